"""`sanctionwatch dossier CASE_ID --out DIR` and `sanctionwatch dossier verify DIR`: write a
case's evidence dossier, and check that one was not changed since (reports/)."""

from __future__ import annotations

from pathlib import Path

import click

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cli_support import Group, stdout
from sanctionwatch.config import Settings
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.safe_text import terminal_safe


class DossierGroup(Group):
    """``dossier CASE_ID ...`` is ``dossier build CASE_ID ...``: the issue's short form."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["build", *args]
        return super().parse_args(ctx, args)


@click.group("dossier", cls=DossierGroup)
def dossier() -> None:
    """Write a case's evidence dossier (PDF, HTML, exports, manifest) or verify one."""


@dossier.command("build")
@click.argument("case_id", type=int)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory to write (new or empty).",
)
@click.pass_context
def build(ctx: click.Context, case_id: int, out: Path) -> None:
    """Write case CASE_ID's dossier into --out: dossier.pdf, dossier.html, dossier.json,
    the figures and exports, and manifest.json (every file's SHA-256)."""
    from sanctionwatch.reports.build import build_dossier

    settings: Settings = ctx.obj
    with CasesDatabase.open(settings) as database:
        written = build_dossier(settings, database, case_id, out)
    for path in written:
        stdout.print(terminal_safe(str(path)))
    stdout.print(f"dossier of case {case_id} written to {terminal_safe(str(out))}")


class CannotVerify(click.ClickException):
    exit_code = 2


@dossier.command("verify")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def verify(directory: Path) -> None:
    """Check a dossier directory against its manifest: exit 0 when nothing changed, 1
    naming each changed, missing or added file, 2 when there is no readable manifest."""
    from sanctionwatch.reports.manifest import verify as verify_manifest

    try:
        verdict = verify_manifest(directory)
    except SanctionwatchError as exc:  # not a verdict: exit 1 would say "altered"
        raise CannotVerify(terminal_safe(exc.message, keep_layout=True)) from exc
    if verdict.intact:
        stdout.print(f"dossier intact: {terminal_safe(str(directory))}")
        return
    for label, names in (
        ("changed", verdict.changed),
        ("missing", verdict.missing),
        ("added", verdict.added),
    ):
        for name in names:
            stdout.print(f"{label}: {terminal_safe(name)}")
    if not verdict.digest_ok:
        stdout.print("changed: manifest.json (its overall digest does not match its files)")
    raise click.exceptions.Exit(1)
