"""`sanctionwatch audit ...` (filled in by the issue-14 work)."""

from __future__ import annotations

import click

from sanctionwatch.cli_support import Group


@click.group("audit", cls=Group)
def audit() -> None:
    """audit of the team workspace."""
