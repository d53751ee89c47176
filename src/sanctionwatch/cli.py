"""The command line: parse, call the library, format. Nothing here that Python callers lack."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from sanctionwatch import __version__
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.lists.diff import ListDiff, diff_versions, from_first_difference
from sanctionwatch.lists.loader import LoadOutcome, load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.lists.summary import summarise

if TYPE_CHECKING:
    from sanctionwatch.ais.store import IngestCounts

# Markup off: list data (names, programmes like "[DPRK2]") is printed as text, never
# interpreted as rich markup.
# Piped output (logs, CI) gets 140 columns rather than rich's default of 80.
_WIDTH = None if sys.stdout.isatty() else 140
stdout = Console(soft_wrap=True, markup=False, highlight=False, width=_WIDTH)
stderr = Console(stderr=True, markup=False, highlight=False)


class _Group(click.Group):
    """Turns a SanctionwatchError into a clean message and exit code (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SanctionwatchError as exc:
            error = _BadInput if exc.exit_code == _BadInput.exit_code else click.ClickException
            raise error(exc.message) from exc


class _BadInput(click.ClickException):
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


@contextmanager
def open_store(ctx: click.Context) -> Iterator[ListStore]:
    settings: Settings = ctx.obj
    with ListStore(settings.store_path) as store:
        yield store


@click.group(cls=_Group)
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


@cli.group(cls=_Group)
def lists() -> None:
    """Load, inspect, compare, export and update sanctions lists."""


@lists.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--list-version", help="Publication date (YYYY-MM-DD) when the file states none.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def lists_load(
    ctx: click.Context, files: tuple[Path, ...], list_version: str | None, as_json: bool
) -> None:
    """Load list FILES (UN XML, OFAC CSV set, UK CSV, EU XML, FtM JSON lines; folders too).

    The format is detected from content. Files of one OFAC set (sdn.csv, add.csv, alt.csv,
    sdn_comments.csv) are joined when named together. Everything loads, or nothing does.
    """
    with open_store(ctx) as store, progress_bar() as progress:
        outcomes = load_lists(store, list(files), version=list_version, progress=progress)
    print_outcomes(outcomes, as_json)


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
            click.echo(json.dumps(row.__dict__, ensure_ascii=False))


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
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
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
@click.pass_context
def lists_update(ctx: click.Context, sources: tuple[str, ...]) -> None:
    """Download the current official lists (all, or the named SOURCES) and load them."""
    from sanctionwatch.lists.update import update_lists

    settings: Settings = ctx.obj
    with open_store(ctx) as store, progress_bar() as progress:
        results = update_lists(settings, store, list(sources), progress)
    failed = 0
    for result in results:
        if result.error:
            failed += 1
            stderr.print(f"{result.source}: failed: {result.error}", style="red")
        else:
            print_outcomes(result.outcomes, as_json=False)
    if failed:
        raise click.ClickException(f"{failed} of {len(results)} sources could not be updated")


@cli.command("screen")
@click.argument(
    "source", default="-", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.7, show_default=True)
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes (default: every CPU).")
@click.pass_context
def screen_command(
    ctx: click.Context, source: Path, threshold: float, limit: int, fmt: str, workers: int | None
) -> None:
    """Screen the names in SOURCE (CSV with a 'name' column, or JSON lines; '-' for stdin).

    Optional columns: id, schema, birth_date, nationality, imo, country. One result per row,
    matches at or above the threshold, best first, each with its explanation; a row that
    cannot be screened gets an "error" instead.
    """
    from sanctionwatch.lists.loader import default_workers
    from sanctionwatch.screening.output import write_results
    from sanctionwatch.screening.service import open_screener

    screener = open_screener(ctx.obj)
    workers = workers or default_workers()
    if str(source) == "-":
        write_results(
            screener, sys.stdin, "<stdin>", fmt, threshold, limit, sys.stdout, None, workers
        )
        return
    if not source.exists():
        raise click.BadParameter(f"{source}: no such file", param_hint="SOURCE")
    with (
        source.open(encoding="utf-8-sig", errors="replace", newline="") as handle,
        progress_bar() as bar,
    ):
        write_results(
            screener, handle, str(source), fmt, threshold, limit, sys.stdout, bar, workers
        )


@cli.group(cls=_Group)
def ais() -> None:
    """Ingest AIS files and look at what is stored (positions, vessel identities)."""


@ais.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
@click.pass_context
def ais_ingest(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Ingest NMEA (.gz, .zip too), DMA CSV or MarineCadastre CSV files, format from content.

    Each file is stored whole or not at all. Rejected lines go, with line number and
    reason, to a quarantine file under HOME/ais/quarantine; re-ingesting adds nothing.
    """
    from sanctionwatch.ais.ingest import ingest_file, sources
    from sanctionwatch.ais.store import open_store as open_ais_store

    settings: Settings = ctx.obj
    todo = sources(list(files))  # every file checked before any is ingested
    store = open_ais_store(settings.home)
    try:
        for source in todo:
            with progress_bar() as progress:
                task = progress.add_task(f"ingest {source.name}", total=None)

                def advance(size: int, task: TaskID = task, bar: Progress = progress) -> None:
                    bar.advance(task, size)

                counts = ingest_file(store, source, progress=advance)
            if as_json:
                stdout.print(json.dumps(asdict(counts), ensure_ascii=False))
            else:
                print_ingest(counts)
    finally:
        store.close()


def print_ingest(counts: IngestCounts) -> None:
    span = "-"
    if counts.first_ts is not None and counts.last_ts is not None:
        span = f"{_iso(counts.first_ts)} .. {_iso(counts.last_ts)}"
    stdout.print(
        f"{counts.file} ({counts.format}): {counts.lines:,} lines; "
        f"{counts.accepted:,} positions accepted, {counts.duplicates:,} duplicates skipped, "
        f"{counts.rejected:,} rejected, {sum(counts.skipped_by_reason.values()):,} skipped, "
        f"{counts.statics:,} static reports; {counts.vessels:,} vessels; {span}"
    )
    for title, by_reason in (
        ("rejected", counts.rejected_by_reason),
        ("skipped", counts.skipped_by_reason),
    ):
        for reason, number in by_reason.items():
            stdout.print(f"  {title}: {number:>9,}  {reason}")
    if counts.quarantine:
        stdout.print(f"  rejected lines (line number, reason, text): {counts.quarantine}")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_when(value: str | None, option: str) -> int | None:
    """ISO date or date-time (UTC unless it says otherwise) -> milliseconds."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _BadInput(f"{option}: {value!r} is not an ISO 8601 date or date-time") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)


@ais.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def ais_status(ctx: click.Context, as_json: bool) -> None:
    """What the AIS store holds: each ingest with its counts, and the totals."""
    from sanctionwatch.ais.store import open_store as open_ais_store

    settings: Settings = ctx.obj
    store = open_ais_store(settings.home)
    try:
        ingests = store.ingests()
        activity = store.activity()
        days = len({path.parent.name for path in store.part_files()})
    finally:
        store.close()
    totals = {
        "files": len(ingests),
        "positions": sum(int(str(row["accepted"])) for row in ingests),
        "rejected": sum(int(str(row["rejected"])) for row in ingests),
        "vessels": len(activity),
        "days": days,
    }
    if as_json:
        stdout.print(json.dumps({"totals": totals, "ingests": ingests}, ensure_ascii=False))
        return
    table = Table("id", "file", "format", "lines", "accepted", "duplicates", "rejected", "sha256")
    for row in ingests:
        table.add_row(
            str(row["id"]), str(row["file"]), str(row["format"]), f"{row['lines']:,}",
            f"{row['accepted']:,}", f"{row['duplicates']:,}", f"{row['rejected']:,}",
            str(row["sha256"])[:12],
        )  # fmt: skip
    stdout.print(table)
    stdout.print(
        f"{totals['files']} files; {totals['positions']:,} positions of {totals['vessels']:,} "
        f"vessels over {totals['days']} days; {totals['rejected']:,} lines rejected"
    )


@ais.command("vessels")
@click.option("--mmsi", type=int, help="Only this MMSI.")
@click.option("--imo", type=int, help="Only vessels that ever reported this IMO number.")
@click.option("--name", help="Only vessels that ever reported a name containing this text.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per vessel.")
@click.pass_context
def ais_vessels(
    ctx: click.Context, mmsi: int | None, imo: int | None, name: str | None, as_json: bool
) -> None:
    """Each vessel's identity history: IMO, name, call sign, type, size, draught, destination,
    with first and last seen, the flag its MMSI implies, and the checks that failed."""
    from sanctionwatch.ais.store import open_store as open_ais_store
    from sanctionwatch.ais.vessels import vessel_histories

    settings: Settings = ctx.obj
    store = open_ais_store(settings.home)
    try:
        histories = vessel_histories(store, mmsi=mmsi, imo=imo, name=name)
    finally:
        store.close()
    if as_json:
        for history in histories:
            stdout.print(json.dumps(history, ensure_ascii=False))
        return
    if not histories:
        stdout.print("No vessel matches.")
        return
    for history in histories:
        flag = history["mid_flag"] or "-"
        stdout.print(
            f"MMSI {history['mmsi']} ({history['mmsi_kind']}, MID flag {flag}): "
            f"{history['positions']:,} positions"
            + (
                f", {history['first_position']} .. {history['last_position']}"
                if history["positions"]
                else ""
            )
        )
        for problem in history["problems"]:
            stdout.print(f"  ! {problem}")
        table = Table(
            "first seen",
            "last seen",
            "IMO",
            "name",
            "call sign",
            "type",
            "size (m)",
            "draught",
            "destination",
            box=None,
        )
        for row in history["identities"]:
            size = f"{row['length'] or '?'} x {row['width'] or '?'}" if row["length"] else ""
            table.add_row(
                row["first_seen"],
                row["last_seen"],
                f"{row['imo']}{'' if row['imo_valid'] is not False else ' (bad check digit)'}"
                if row["imo"]
                else "",
                row["name"] or "",
                row["callsign"] or "",
                str(row["ship_type"] or ""),
                size,
                str(row["draught"] or ""),
                row["destination"] or "",
            )
        if history["identities"]:
            stdout.print(table)


@ais.command("track")
@click.argument("mmsi", type=int)
@click.option("--from", "start", help="ISO date or date-time (UTC).")
@click.option("--to", "end", help="ISO date or date-time (UTC).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "csv", "parquet"]),
    default="geojson",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (required for parquet); default standard output.",
)
@click.pass_context
def ais_track(
    ctx: click.Context, mmsi: int, start: str | None, end: str | None, fmt: str, out: Path | None
) -> None:
    """One vessel's positions in time order, as GeoJSON, CSV or Parquet."""
    from sanctionwatch.ais.store import open_store as open_ais_store
    from sanctionwatch.ais.tracks import write_track

    if fmt == "parquet" and out is None:
        raise _BadInput("--format parquet needs --out FILE")
    settings: Settings = ctx.obj
    store = open_ais_store(settings.home)
    try:
        table = store.track(mmsi, _parse_when(start, "--from"), _parse_when(end, "--to"))
    finally:
        store.close()
    if out is None:
        write_track(table, fmt, sys.stdout)
    else:
        with out.open(
            "wb" if fmt == "parquet" else "w", encoding=None if fmt == "parquet" else "utf-8"
        ) as handle:
            write_track(table, fmt, handle)
        stderr.print(f"{table.num_rows:,} positions of MMSI {mmsi} written to {out}")


@cli.command("detect")
@click.option("--from", "start", help="Only positions from this ISO date or date-time (UTC).")
@click.option("--to", "end", help="Only positions before this ISO date or date-time (UTC).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the events here (JSON lines); default standard output.")  # fmt: skip
@click.option("--params", "params_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file overriding detector parameters (see docs/behaviour.md).")  # fmt: skip
@click.option("--detector", "only", multiple=True, help="Run only this detector (repeat).")
@click.pass_context
def detect_command(
    ctx: click.Context, start: str | None, end: str | None, engine: str, out: Path | None,
    params_file: Path | None, only: tuple[str, ...],
) -> None:  # fmt: skip
    """Detect behaviour in the stored AIS positions; one JSON event per line.

    {"type", "mmsi", "other_mmsi", "start", "end", "lat", "lon", "port", "details"}.
    """
    from sanctionwatch.ais.store import open_store as open_ais_store
    from sanctionwatch.behaviour.detectors.base import Window
    from sanctionwatch.behaviour.params import load_params
    from sanctionwatch.behaviour.run import detect

    if engine == "spark":
        raise _BadInput("--engine spark: the Spark engine is not built yet; use --engine duckdb")
    from sanctionwatch.engine.duckdb import DuckDBEngine

    settings: Settings = ctx.obj
    params = load_params(params_file)
    window = Window(_parse_when(start, "--from"), _parse_when(end, "--to"))
    store = open_ais_store(settings.home)
    try:
        duck = DuckDBEngine(store)
        events = detect(duck, params, window, only or None)
        duck.close()
    finally:
        store.close()
    lines = [event.to_json() for event in events]
    if out is None:
        for line in lines:
            click.echo(line)
    else:
        out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        stderr.print(f"{len(lines):,} events written to {out}")


@cli.command("simulate")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scenario", default="rajin", show_default=True, help="Built-in scenario.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option("--start", help="UTC start, ISO 8601 (default: the scenario's).")
@click.option("--days", type=click.FloatRange(min=0, min_open=True), default=7.0,
              show_default=True)  # fmt: skip
@click.option("--vessels", type=click.IntRange(min=1), default=60, show_default=True,
              help="Ships in all, the scenario's cast included.")  # fmt: skip
@click.option(
    "--format", "formats", type=click.Choice(["nmea", "dma", "marinecadastre"]), multiple=True,
    help="Output formats (repeat; default: all three).",
)  # fmt: skip
@click.option("--corrupt-share", type=click.FloatRange(0, 1), default=0.002, show_default=True,
              help="Share of NMEA lines corrupted on purpose.")  # fmt: skip
@click.option("--duplicate-share", type=click.FloatRange(0, 1), default=0.01, show_default=True,
              help="Share of messages heard twice (NMEA).")  # fmt: skip
def simulate_command(
    out_dir: Path, scenario: str, seed: int, start: str | None, days: float, vessels: int,
    formats: tuple[str, ...], corrupt_share: float, duplicate_share: float,
) -> None:  # fmt: skip
    """Write SYNTHETIC AIS traffic with ground truth (NMEA, DMA CSV, MarineCadastre CSV).

    The rajin scenario replays the documented Rajin - Vostochny/Dunai shuttle (vessels and
    IMO numbers from public case notes, AIS off near the ports) among ordinary traffic in
    the Sea of Japan. Beside the traffic: truth.jsonl (every injected event), the
    transmitted positions as Parquet, and a manifest saying the data is synthetic.
    """
    from sanctionwatch.simulate import FORMATS, simulate

    when = _parse_when(start, "--start")
    with progress_bar() as progress:
        task = progress.add_task("simulate (hours)", total=None)

        def advance(
            done_s: int, total_s: int, task: TaskID = task, bar: Progress = progress
        ) -> None:
            bar.update(task, completed=done_s // 3600, total=total_s // 3600)

        result = simulate(
            out_dir,
            scenario=scenario,
            seed=seed,
            start=datetime.fromtimestamp(when / 1000, UTC) if when is not None else None,
            days=days,
            vessels=vessels,
            formats=formats or FORMATS,
            corrupt_share=corrupt_share,
            duplicate_share=duplicate_share,
            progress=advance,
        )
    stdout.print(
        f"SYNTHETIC traffic, scenario {scenario!r}, seed {seed}: {result.positions:,} positions "
        f"transmitted, {result.received_positions:,} received, in {result.out_dir}"
    )
    for fmt, paths in result.files.items():
        stdout.print(f"  {fmt}: {len(paths)} file(s), first {paths[0].name if paths else '-'}")
    stdout.print(f"  ground truth: {result.truth_path}")
    stdout.print(f"  transmitted positions: {result.positions_path}")


@cli.command("demo")
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the bundled real lists into a fresh store, summarise them and screen a few names."""
    from sanctionwatch.demo import run_demo

    with progress_bar() as progress:
        run_demo(ctx.obj, stdout, progress)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--no-auth", is_flag=True, help="Serve without an API key (local experiments only).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_auth: bool) -> None:
    """Serve the screening API: yente-compatible /match and /search, docs at /docs.

    Requests need the API key (header 'Authorization: ApiKey <key>'): $SANCTIONWATCH_API_KEY,
    else the key made on the first start, shown once and stored only as a SHA-256 hash in
    HOME/api-key.sha256 (delete that file to make a new key).
    """
    import uvicorn

    from sanctionwatch.screening.service import open_screener
    from sanctionwatch.web.app import create_app
    from sanctionwatch.web.auth import KEY_FILE, ApiKeyAuth, ensure_api_key

    settings: Settings = ctx.obj
    screener = open_screener(settings)  # fails here, cleanly, when no list is loaded
    if no_auth:
        auth = ApiKeyAuth.disabled()
        stderr.print(
            f"WARNING: authentication is off: anyone who can reach {host}:{port} can query.",
            style="bold red",
        )
    else:
        auth, new_key = ensure_api_key(settings)
        if new_key:
            stdout.print(
                f"API key (shown once; only its SHA-256 hash is kept, in "
                f"{settings.home / KEY_FILE}):\n{new_key}"
            )
    app = create_app(settings, auth=auth, screener=screener)
    stdout.print(f"Serving on http://{host}:{port} (API docs at /docs)")
    uvicorn.run(app, host=host, port=port, server_header=False, proxy_headers=False)


def main() -> None:
    cli(prog_name="sanctionwatch")
