"""`sanctionwatch users ...` (filled in by the issue-14 work)."""

from __future__ import annotations

import click

from sanctionwatch.cli_support import Group


@click.group("users", cls=Group)
def users() -> None:
    """users of the team workspace."""
