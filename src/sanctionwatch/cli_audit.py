"""`sanctionwatch audit verify|export`: check the team's hash-chained log, and write it out.

Both open the home's cases database (``SANCTIONWATCH_DATABASE_URL`` for PostgreSQL) and call
the library (``cases.audit``); nothing here that Python callers lack.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from sanctionwatch.cases import audit as audit_log
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cli_support import Group, stdout
from sanctionwatch.config import Settings
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.safe_text import terminal_safe

EXPORT_BATCH = 1000  # entries read per query: the log grows without bound


@click.group("audit", cls=Group)
def audit() -> None:
    """Verify and export the team's audit log (every change, hash-chained)."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Check the whole audit chain: exit 0 when intact, 1 naming the first broken entry,
    2 when it could not be checked (the database cannot be opened).

    An intact log prints its head (the last entry's number and hash). Record it somewhere
    outside the database (a ticket, an e-mail): the chain proves no entry was edited,
    deleted or inserted, but only a head recorded elsewhere proves the tail was not cut.
    """
    settings: Settings = ctx.obj
    try:
        with CasesDatabase.open(settings) as database, database.read() as session:
            verdict = audit_log.verify(session)
    except SanctionwatchError as exc:  # not a verdict: exit 1 would say "broken"
        raise CannotVerify(terminal_safe(exc.message, keep_layout=True)) from exc
    if as_json:
        click.echo(json.dumps(verdict_dict(verdict)))
    elif verdict.intact:
        stdout.print(
            f"audit log intact: {verdict.entries} entries; "
            f"head: entry {verdict.head_seq} {verdict.head_hash}"
        )
    else:
        stdout.print(
            f"audit log BROKEN at entry {verdict.broken_at}: {verdict.reason} "
            f"(intact up to entry {verdict.head_seq}, {verdict.head_hash})"
        )
    ctx.exit(0 if verdict.intact else 1)


class CannotVerify(click.ClickException):
    exit_code = 2


def verdict_dict(verdict: audit_log.Verdict) -> dict[str, object]:
    """A verdict as JSON (also the API's answer)."""
    return {
        "intact": verdict.intact,
        "entries": verdict.entries,
        "head_seq": verdict.head_seq,
        "head_hash": verdict.head_hash,
        "broken_at": verdict.broken_at,
        "reason": verdict.reason,
    }


@audit.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: standard output).",
)
@click.pass_context
def export(ctx: click.Context, out: Path | None) -> None:
    """Write the audit log as JSON lines: each entry's hashed fields and its hash.

    The export itself is logged: once the lines are written, an 'audit_exported' entry
    (who, how many entries, up to which one) is appended to the log, so it is not in this
    export but will be in the next.
    """
    settings: Settings = ctx.obj
    with CasesDatabase.open(settings) as database:
        with _destination(out) as sink:
            count, last = write_lines(database, sink)
        with database.begin() as session:
            audit_log.append(
                session, cli_principal(), "audit_exported", "audit", last,
                {"entries": count, "through_seq": last, "to": str(out) if out else "stdout"},
            )  # fmt: skip
    if out is not None:
        stdout.print(f"{count} entries written to {out} (the export is logged)")


def write_lines(database: CasesDatabase, sink: IO[str]) -> tuple[int, int]:
    """Every entry as a JSON line, in order, from one read transaction (a consistent
    snapshot); how many were written and the last one's ``seq`` (0: none)."""
    count, after = 0, 0
    with database.read() as session:
        while batch := audit_log.entries(session, after=after, limit=EXPORT_BATCH):
            for entry in batch:
                sink.write(json.dumps(audit_log.export_line(entry), ensure_ascii=False) + "\n")
            count += len(batch)
            after = batch[-1].seq
            session.expunge_all()
    return count, after


@contextmanager
def _destination(out: Path | None) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with out.open("w", encoding="utf-8", newline="\n") as sink:
        yield sink
