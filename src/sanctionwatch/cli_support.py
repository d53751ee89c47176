"""What every command module shares: the consoles, the error handling, the progress bar."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sanctionwatch.errors import SanctionwatchError

# Markup off: list data (names, programmes like "[DPRK2]") is printed as text, never
# interpreted as rich markup.
# Piped output (logs, CI) gets 140 columns rather than rich's default of 80.
_WIDTH = None if sys.stdout.isatty() else 140
stdout = Console(soft_wrap=True, markup=False, highlight=False, width=_WIDTH)
stderr = Console(stderr=True, markup=False, highlight=False)


class Group(click.Group):
    """Turns a SanctionwatchError into a clean message and exit code (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SanctionwatchError as exc:
            error = BadInput if exc.exit_code == BadInput.exit_code else click.ClickException
            raise error(exc.message) from exc


class BadInput(click.ClickException):
    """An error in what the user gave (a file, a value): exit code 2, like a usage error."""

    exit_code = 2


@contextmanager
def progress_bar() -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        yield progress
