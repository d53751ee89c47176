"""The command line: parse, call the library, format. Nothing here that Python callers lack.

This module holds the group and the list, screening and demo commands; the others are in
``cli_ais.py``, ``cli_watch.py``, ``cli_portfolio.py``, ``cli_serve.py``, ``cli_users.py`` and
``cli_audit.py``, what they share in ``cli_support.py``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.table import Table

from sanctionwatch import __version__
from sanctionwatch.cli_ais import ais, detect_command, simulate_command
from sanctionwatch.cli_audit import audit
from sanctionwatch.cli_dossier import dossier
from sanctionwatch.cli_portfolio import portfolio
from sanctionwatch.cli_serve import serve
from sanctionwatch.cli_support import Group, progress_bar, stderr, stdout
from sanctionwatch.cli_users import users
from sanctionwatch.cli_watch import alerts, run_command, vessels
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.home_lock import WriterLock, home_writer
from sanctionwatch.lists.diff import ListDiff, diff_versions, from_first_difference
from sanctionwatch.lists.loader import LoadOutcome, load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.lists.summary import summarise
from sanctionwatch.safe_text import terminal_safe


@contextmanager
def open_store(ctx: click.Context) -> Iterator[ListStore]:
    """The list store, read-only (the commands that write take the writer lock first)."""
    settings: Settings = ctx.obj
    with ListStore(settings.store_path, writable=False) as store:
        yield store


@click.group(cls=Group)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory holding all state (default: $SANCTIONWATCH_HOME, else the user data dir).",
)
@click.version_option(__version__)
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """sanctionwatch: sanctions-evasion monitoring (lists, screening, AIS, cases)."""
    ctx.obj = load_settings(home)


@cli.group(cls=Group)
def lists() -> None:
    """Load, inspect, compare, export and update sanctions lists."""


@lists.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--list-version", help="Publication date (YYYY-MM-DD) when the file states none.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option(
    "--force", is_flag=True, help="Load a version that removes over half of the previous one."
)
@click.pass_context
def lists_load(
    ctx: click.Context,
    files: tuple[Path, ...],
    list_version: str | None,
    as_json: bool,
    force: bool,
) -> None:
    """Load list FILES (UN XML, OFAC CSV set, UK CSV, EU XML, FtM JSON lines; folders too).

    The format is detected from content. Files of one OFAC set (sdn.csv, add.csv, alt.csv,
    sdn_comments.csv) are joined when named together. Everything loads, or nothing does.
    A version with no listed party is refused; one removing more than half of the previous
    version's entities needs --force.
    """
    settings: Settings = ctx.obj
    with home_writer(settings, "lists load", notify=_say) as lock:
        with ListStore(settings.store_path, writer=lock) as store, progress_bar() as progress:
            outcomes = load_lists(
                store, list(files), version=list_version, progress=progress, force=force
            )
        print_outcomes(outcomes, as_json)
        if any(outcome.created for outcome in outcomes):
            rescreen_after_list_change(settings, lock)


def _say(message: str) -> None:
    click.echo(message, err=True)


def rescreen_after_list_change(settings: Settings, lock: WriterLock) -> None:
    """New list versions: link and score every known vessel again and screen the portfolio
    again, raising alerts for new or changed hits (on stderr: stdout carries the outcome)."""
    from sanctionwatch.chain import refresh

    done = refresh(settings, lock)
    if done.vessels or done.portfolio_screened:
        screened = " and the portfolio" if done.portfolio_screened else ""
        stderr.print(
            f"re-screened {done.vessels:,} vessels{screened} against the new lists: "
            f"{len(done.alerts):,} new alerts (sanctionwatch alerts list)"
        )


def print_outcomes(outcomes: list[LoadOutcome], as_json: bool) -> None:
    if as_json:
        stdout.print_json(
            json.dumps(
                [
                    {
                        "list": o.version.list_name,
                        "version": o.version.version,
                        "version_source": o.version.version_source,
                        "created": o.created,
                        "entities": o.version.entity_count,
                        "rejected": o.version.rejected_count,
                        "warnings": o.version.warnings,
                        "changes": o.changes.__dict__ if o.changes else None,
                    }
                    for o in outcomes
                ]
            )
        )
        return
    for o in outcomes:
        v = o.version
        if not o.created:
            stdout.print(
                f"{v.list_name} {v.version}: already loaded with this content; nothing changed"
            )
            continue
        against = f" ({o.changes} since the previous version)" if o.changes else " (first version)"
        stdout.print(
            f"{v.list_name} {v.version} (date from {v.version_source}): "
            f"{v.entity_count} entities{against}; "
            f"{v.rejected_count} rows rejected, {len(v.warnings)} warnings"
        )


@lists.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def lists_status(ctx: click.Context, as_json: bool) -> None:
    """What lists are loaded: versions, counts by schema and programme, DPRK entries."""
    with open_store(ctx) as store:
        summaries = [summarise(store, name) for name in store.list_names()]
    if as_json:
        stdout.print_json(json.dumps([s.to_json() for s in summaries]))
        return
    if not summaries:
        stdout.print("No lists loaded yet. Try: sanctionwatch lists load FILE")
        return
    table = Table(title="Lists in the store")
    for column in (
        "list",
        "version",
        "versions",
        "entities",
        "parties by schema",
        "DPRK",
        "rejected",
    ):
        table.add_column(column)
    for s in summaries:
        parties = ", ".join(f"{k} {n}" for k, n in s.schemata.items() if k in _PARTY_ORDER)
        dprk = ", ".join(f"{k} {n}" for k, n in s.dprk.items()) or "-"
        table.add_row(
            s.list_name,
            f"{s.latest.version} ({s.latest.version_source})",
            str(len(s.versions)),
            str(s.latest.entity_count),
            parties,
            dprk,
            str(s.latest.rejected_count),
        )
    stdout.print(table)


_PARTY_ORDER = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


@lists.command("rejected")
@click.argument("list_name")
@click.option("--version", "version", help="Version (default: latest).")
@click.pass_context
def lists_rejected(ctx: click.Context, list_name: str, version: str | None) -> None:
    """Rows a load of LIST_NAME could not use, with file, line and reason (JSON lines)."""
    with open_store(ctx) as store:
        chosen = store.find_version(list_name, version)
        for row in store.rejected_rows(chosen.id):
            # terminal_safe's escapes are JSON's: the same JSON, nothing a terminal obeys
            click.echo(terminal_safe(json.dumps(row.__dict__, ensure_ascii=False)))


@lists.command("diff")
@click.argument("list_name")
@click.option("--from", "from_version", help="Older version (default: the one before --to).")
@click.option("--to", "to_version", help="Newer version (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Table: also list addresses, sanctions and documents (JSON always has them).",
)
@click.pass_context
def lists_diff(
    ctx: click.Context,
    list_name: str,
    from_version: str | None,
    to_version: str | None,
    fmt: str,
    show_all: bool,
) -> None:
    """Entities added, removed and changed between two versions of LIST_NAME.

    The table lists the parties (persons, organisations, vessels, aircraft) unless --all;
    a change to a party's address or sanction shows as a changed property of the party too.
    """
    with open_store(ctx) as store:
        new = store.find_version(list_name, to_version)
        old = (
            store.find_version(list_name, from_version)
            if from_version
            else store.previous_version(new)
        )
        result = diff_versions(store, old, new)
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1)
        click.echo(terminal_safe(text, keep_layout=True))
    else:
        print_diff(result if show_all else result.parties_only(), result)


def print_diff(shown: ListDiff, full: ListDiff) -> None:
    what = "entities" if shown is full else "parties"
    stdout.print(
        f"{full.list_name}: {full.from_version or '(nothing)'} -> {full.to_version}: "
        f"{shown.summary()} {what} (all entities: {full.summary()})"
    )
    result = shown
    for title, rows in (("Added", result.added), ("Removed", result.removed)):
        if rows:
            table = Table(title=title)
            table.add_column("id")
            table.add_column("schema")
            table.add_column("name")
            for row in rows:
                table.add_row(row.entity_id, row.schema, row.caption)
            stdout.print(table)
    if result.changed:
        table = Table(title="Changed")
        for column in ("id", "name", "property", "old", "new"):
            table.add_column(column, overflow="fold")
        for change in result.changed:
            for index, prop in enumerate(change.properties):
                old, new = from_first_difference("; ".join(prop.removed), "; ".join(prop.added))
                table.add_row(
                    change.entity_id if index == 0 else "",
                    change.caption if index == 0 else "",
                    prop.prop,
                    _short(old),
                    _short(new),
                )
        stdout.print(table)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lists.command("export")
@click.option(
    "--list", "list_names", multiple=True, help="List to export (repeatable; default all)."
)
@click.option("--version", "version", help="Version to export (default: latest).")
@click.option("--format", "fmt", type=click.Choice(["ftm"]), default="ftm")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@click.pass_context
def lists_export(
    ctx: click.Context, list_names: tuple[str, ...], version: str | None, fmt: str, out: Path | None
) -> None:
    """Write entities as FollowTheMoney JSON lines (readable by OpenSanctions and Aleph tools)."""
    from sanctionwatch.lists.export import export_ftm

    with open_store(ctx) as store, progress_bar() as progress:
        if out is None:
            count = export_ftm(store, sys.stdout, list(list_names), version, progress)
        else:
            with out.open("w", encoding="utf-8") as handle:
                count = export_ftm(store, handle, list(list_names), version, progress)
    stderr.print(f"{count} entities written")


@lists.command("update")
@click.argument("sources", nargs=-1)
@click.option(
    "--force", is_flag=True, help="Load a version that removes over half of the previous one."
)
@click.pass_context
def lists_update(ctx: click.Context, sources: tuple[str, ...], force: bool) -> None:
    """Download the current official lists (all, or the named SOURCES) and load them.

    A download with no listed party is refused; one removing more than half of the
    previous version's entities needs --force."""
    from sanctionwatch.lists.update import update_lists

    settings: Settings = ctx.obj
    with home_writer(settings, "lists update", notify=_say) as lock:
        with ListStore(settings.store_path, writer=lock) as store, progress_bar() as progress:
            results = update_lists(settings, store, list(sources), progress, force=force)
        if any(o.created for result in results for o in result.outcomes):
            rescreen_after_list_change(settings, lock)
    failed = 0
    for result in results:
        if result.error:
            failed += 1
            stderr.print(f"{result.source}: failed: {result.error}", style="red")
        else:
            print_outcomes(result.outcomes, as_json=False)
    if failed:
        raise click.ClickException(f"{failed} of {len(results)} sources could not be updated")


SCREEN_BAD_ROWS_EXIT = 3  # every row written, but some are errors


@cli.command("screen")
@click.argument(
    "source", default="-", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.7, show_default=True)
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes (default: every CPU).")
@click.option(
    "--explain",
    is_flag=True,
    help="Also show the best candidates below the threshold, and which rules put them there.",
)
@click.pass_context
def screen_command(
    ctx: click.Context,
    source: Path,
    threshold: float,
    limit: int,
    fmt: str,
    workers: int | None,
    explain: bool,
) -> None:
    """Screen the names in SOURCE (CSV with a 'name' column, or JSON lines; '-' for stdin).

    Optional columns: id, schema, birth_date, nationality, imo, country. One result per row,
    matches at or above the threshold, best first, each with its explanation; a row that
    cannot be screened gets an "error" and no matches, and the exit code is then 3.
    """
    from sanctionwatch.lists.loader import default_workers
    from sanctionwatch.screening.batch_io import open_queries
    from sanctionwatch.screening.output import write_results
    from sanctionwatch.screening.service import open_screener

    screener = open_screener(ctx.obj)
    workers = workers or default_workers()
    if str(source) == "-":
        counts = write_results(
            screener,
            sys.stdin,
            "<stdin>",
            fmt,
            threshold,
            limit,
            sys.stdout,
            None,
            workers,
            explain,
        )
    else:
        with open_queries(source) as handle, progress_bar() as bar:
            counts = write_results(
                screener,
                handle,
                str(source),
                fmt,
                threshold,
                limit,
                sys.stdout,
                bar,
                workers,
                explain,
            )
    if counts.errors:
        stderr.print(
            f"{counts.errors} of {counts.rows} rows could not be screened "
            '(each has an "error" in the output)'
        )
        ctx.exit(SCREEN_BAD_ROWS_EXIT)


@cli.command("demo")
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the bundled real lists into a fresh store, summarise them and screen a few names."""
    from sanctionwatch.demo import run_demo

    with progress_bar() as progress:
        run_demo(ctx.obj, stdout, progress)


for command in (
    ais, detect_command, simulate_command, vessels, alerts, portfolio, run_command, users, audit,
    serve, dossier,
):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    cli(prog_name="sanctionwatch")
