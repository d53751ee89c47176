"""The cases layer's errors, each with the HTTP status the API answers with."""

from __future__ import annotations

from typing import ClassVar

from sanctionwatch.errors import SanctionwatchError


class NotFound(SanctionwatchError):
    """An id or name that does not exist."""

    http_status = 404


class Forbidden(SanctionwatchError):
    """Signed in, but this role or user may not do this."""

    http_status = 403


class Unauthenticated(SanctionwatchError):
    """No valid credential (missing, wrong, expired, revoked)."""

    http_status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class Conflict(SanctionwatchError):
    """The request contradicts the current state (a duplicate, a stale version)."""

    http_status = 409


class TooLarge(SanctionwatchError):
    http_status = 413


class UnsupportedType(SanctionwatchError):
    http_status = 415


class Locked(SanctionwatchError):
    """Too many failed sign-ins: the account is locked for a while."""

    http_status = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(max(1, retry_after_s))}
