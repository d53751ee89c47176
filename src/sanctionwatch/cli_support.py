"""What every command module shares: the consoles, the error handling, the progress bar."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.safe_text import SafeConsole, terminal_safe

# Safe consoles: list and AIS data (names, programmes like "[DPRK2]", file names) is printed
# as text, never as rich markup, and its control characters as visible escapes.
# Piped output (logs, CI) gets 140 columns rather than rich's default of 80.
_WIDTH = None if sys.stdout.isatty() else 140
stdout = SafeConsole(soft_wrap=True, width=_WIDTH)
stderr = SafeConsole(stderr=True)


class Group(click.Group):
    """Turns a SanctionwatchError into a clean message and exit code (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SanctionwatchError as exc:
            error = BadInput if exc.exit_code == BadInput.exit_code else click.ClickException
            raise error(terminal_safe(exc.message, keep_layout=True)) from exc


class BadInput(click.ClickException):
    """An error in what the user gave (a file, a value): exit code 2, like a usage error."""

    exit_code = 2


@contextmanager
def progress_bar() -> Iterator[Progress]:
    with Progress(
        _Description(),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        yield progress


class _Description(ProgressColumn):
    """A task's description (it may hold a file name) as plain, terminal-safe text."""

    def render(self, task: Task) -> Text:
        return Text(terminal_safe(task.description))
