"""One exception hierarchy; every error carries a message meant for the user.

The CLI prints ``message`` (no traceback) and exits with ``exit_code``; the web layer
answers with ``http_status`` and the message as JSON.
"""

from __future__ import annotations


class SanctionwatchError(Exception):
    """Base of every error a user can cause or must act on."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(SanctionwatchError):
    """A file or value the user gave cannot be read; the message names where and why."""

    exit_code = 2
    http_status = 422


class UnknownFormatError(InputError):
    """A file whose content matches none of the supported list formats."""


class HostileInputError(InputError):
    """Input that tries entity expansion, external entities or similar tricks."""


class ListShrinkError(InputError):
    """A new list version with no usable entity, or one removing most of the previous one."""


class RiskParamsError(InputError):
    """A risk factor file naming an unknown factor or key, or giving a negative weight."""


class AlertRulesError(InputError):
    """An alert rules file that cannot be used (unknown kind or key, bad value); names it."""


class StoreError(SanctionwatchError):
    """The embedded store cannot be opened, or a version asked for does not exist."""

    http_status = 404


class DownloadError(SanctionwatchError):
    """A list could not be downloaded, or what came back is not the list."""

    http_status = 502


class DossierError(SanctionwatchError):
    """A dossier could not be rendered, or a dossier directory cannot be checked."""
