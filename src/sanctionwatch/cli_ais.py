"""AIS commands: ``ais ingest|status|vessels|track``, ``detect`` and ``simulate``."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.progress import Progress, TaskID
from rich.table import Table

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.cli_support import BadInput, Group, progress_bar, stderr, stdout
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import home_writer

if TYPE_CHECKING:
    from sanctionwatch.ais.counts import IngestCounts
    from sanctionwatch.ais.store import PositionStore
    from sanctionwatch.behaviour.run import SqlEngine
    from sanctionwatch.behaviour.stored import RunReport


@click.group(cls=Group)
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
    from sanctionwatch.ais.input_limits import IngestLimits
    from sanctionwatch.ais.store import open_store as open_ais_store

    settings: Settings = ctx.obj
    limits = IngestLimits.from_mapping(settings.ais_limits)
    todo = sources(list(files))  # every file checked before any is ingested
    with (
        home_writer(settings, "ais ingest", notify=_say) as lock,
        open_ais_store(settings.home, writer=lock) as store,
    ):
        for source in todo:
            with progress_bar() as progress:
                task = progress.add_task(f"ingest {source.name}", total=None)

                def advance(size: int, task: TaskID = task, bar: Progress = progress) -> None:
                    bar.advance(task, size)

                counts = ingest_file(store, source, progress=advance, limits=limits)
            if as_json:
                stdout.print(json.dumps(asdict(counts), ensure_ascii=False))
            else:
                print_ingest(counts)


def _say(message: str) -> None:
    """A message on stderr as one line (the writer-lock wait)."""
    click.echo(message, err=True)


def print_ingest(counts: IngestCounts) -> None:
    from sanctionwatch.ais.counts import ingest_summary_lines

    for line in ingest_summary_lines(counts):
        stdout.print(line)


def _parse_when(value: str | None, option: str) -> int | None:
    """ISO date or date-time (UTC unless it says otherwise) -> milliseconds."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadInput(f"{option}: {value!r} is not an ISO 8601 date or date-time") from exc
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
    with open_ais_store(settings.home, writable=False) as store, store.snapshot():
        ingests = store.ingests()
        activity = store.activity()
        days = len({path.parent.name for path in store.part_files()})
    totals = {
        "files": len(ingests),
        "positions": sum(row.accepted for row in ingests),
        "rejected": sum(row.rejected for row in ingests),
        "vessels": len(activity),
        "days": days,
    }
    if as_json:
        rows = [asdict(row) for row in ingests]
        stdout.print(json.dumps({"totals": totals, "ingests": rows}, ensure_ascii=False))
        return
    table = Table("id", "file", "format", "lines", "accepted", "duplicates", "rejected", "sha256")
    for row in ingests:
        table.add_row(
            str(row.id), row.file, row.format, f"{row.lines:,}", f"{row.accepted:,}",
            f"{row.duplicates:,}", f"{row.rejected:,}", row.sha256[:12],
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
    from sanctionwatch.behaviour.params import default_params

    settings: Settings = ctx.obj
    in_port_km = default_params()["port_call"]["enter_km"]
    with open_ais_store(settings.home, writable=False) as store, store.snapshot():
        histories = vessel_histories(store, mmsi=mmsi, imo=imo, name=name, in_port_km=in_port_km)
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
        if history["last_heard"]:
            stdout.print(f"  last heard {_where(history['last_heard'])}")
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


def _where(heard: dict[str, Any]) -> str:
    """``2023-01-11T04:00:00Z at 36.083, 120.3: in Qingdao Gang (CN; anchorage QINGDAO,
    0.15 km)``, or ``...: at sea, 136 km from Heuksando (KR)``."""
    text = f"{heard['time']} at {heard['lat']}, {heard['lon']}"
    place = heard["place"]
    if place is None:
        return text
    if place["in_port"]:
        point = f"anchorage {place['anchorage']}, " if place["anchorage"] else ""
        return f"{text}: in {place['name']} ({place['country']}; {point}{place['distance_km']} km)"
    return (
        f"{text}: at sea, {place['distance_km']:,.1f} km from {place['name']} ({place['country']})"
    )


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
        raise BadInput("--format parquet needs --out FILE")
    settings: Settings = ctx.obj
    with open_ais_store(settings.home, writable=False) as store:
        table = store.track(mmsi, _parse_when(start, "--from"), _parse_when(end, "--to"))
    if out is None:
        write_track(table, fmt, sys.stdout)
    else:
        with out.open(
            "wb" if fmt == "parquet" else "w", encoding=None if fmt == "parquet" else "utf-8"
        ) as handle:
            write_track(table, fmt, handle)
        stderr.print(f"{table.num_rows:,} positions of MMSI {mmsi} written to {out}")


@click.command("detect")
@click.option("--from", "start", help="Only events going on from this ISO date or date-time (UTC).")
@click.option("--to", "end", help="Only events that start before this ISO date or date-time (UTC).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True)  # fmt: skip
@click.option("--spark-master", help="Spark master URL (default local[2]); with --engine spark.")
@click.option("--spark-remote", help="Spark Connect URL (sc://host:port); with --engine spark.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the events here (JSON lines); default standard output.")  # fmt: skip
@click.option("--params", "params_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file overriding detector parameters (see docs/behaviour.md); "
              "such a run is not stored.")  # fmt: skip
@click.option("--detector", "only", multiple=True, help="Run only this detector (repeat).")
@click.option("--full", is_flag=True, help="Recompute the stored events from scratch.")
@click.pass_context
def detect_command(
    ctx: click.Context, start: str | None, end: str | None, engine: str,
    spark_master: str | None, spark_remote: str | None, out: Path | None,
    params_file: Path | None, only: tuple[str, ...], full: bool,
) -> None:  # fmt: skip
    """Detect behaviour in the stored AIS positions; one JSON event per line.

    {"type", "mmsi", "other_mmsi", "start", "end", "lat", "lon", "port", "details"}.
    Events are stored: a later run only works on what was ingested since, and --from/--to
    choose which stored events are written. With --params the detectors run over the
    --from/--to positions only, and nothing is stored.
    """
    from sanctionwatch.ais.store import open_store as open_ais_store
    from sanctionwatch.behaviour.detectors.base import Window
    from sanctionwatch.behaviour.params import load_params
    from sanctionwatch.behaviour.run import detect
    from sanctionwatch.behaviour.stored import EventStore

    settings: Settings = ctx.obj
    params = load_params(params_file)
    window = Window(_parse_when(start, "--from"), _parse_when(end, "--to"))
    if params_file is not None:  # nothing stored: a reader
        with (
            open_ais_store(settings.home, writable=False) as store,
            store.snapshot(),
            closing(_engine(engine, store, spark_master, spark_remote)) as runner,
        ):
            events = detect(runner, params, window, only or None)
    else:
        # Views and watermark from one snapshot of the catalogue (taken under the lock).
        with (
            home_writer(settings, "detect", notify=_say) as lock,
            open_ais_store(settings.home, writer=lock) as store,
            EventStore(store) as stored,
            store.snapshot() as snapshot,
            closing(_engine(engine, store, spark_master, spark_remote)) as runner,
        ):
            for report in stored.update(runner, params, only or None, full, snapshot=snapshot):
                stderr.print(_describe_run(report))
            events = stored.events(window, only or None)
    lines = [event.to_json() for event in events]
    if out is None:
        for line in lines:
            click.echo(line)
    else:
        out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        stderr.print(f"{len(lines):,} events written to {out}")


def _engine(name: str, store: PositionStore, master: str | None, remote: str | None) -> SqlEngine:
    if name == "duckdb":
        if master or remote:
            raise BadInput("--spark-master and --spark-remote go with --engine spark")
        from sanctionwatch.engine.duckdb import DuckDBEngine

        return DuckDBEngine(store)
    from sanctionwatch.engine.spark import SparkEngine

    return SparkEngine(store, master=master, remote=remote)


def _describe_run(report: RunReport) -> str:
    if report.mode == "unchanged":
        return f"{report.detector}: nothing new since the last run"
    where = (
        f" from {iso_utc(report.recomputed_from_ms)}"
        if report.recomputed_from_ms is not None
        else ""
    )
    found = report.events_found
    return (
        f"{report.detector}: {report.mode} run{where}, {found:,} event{'' if found == 1 else 's'}"
        f" (replacing {report.events_replaced:,})"
    )


@click.command("simulate")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scenario", default="rajin", show_default=True,
              help="Built-in scenario: rajin (Sea of Japan, medium density), yellow_sea "
              "(Korea Bay and Bohai, dense), east_china_sea (sparse, by satellite).")  # fmt: skip
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
    the Sea of Japan; yellow_sea the coal shuttles dark at Nampo and Songnim and transfers
    in Korea Bay; east_china_sea transfers at sea off Shanghai. Beside the traffic:
    truth.jsonl (every injected event), the transmitted positions as Parquet, and a
    manifest saying the data is synthetic.
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
