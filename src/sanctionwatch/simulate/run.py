"""The generator's driver: plan every vessel, then stream the run out one window at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.geo import Port, load_ports
from sanctionwatch.simulate import groundtruth
from sanctionwatch.simulate.cast import check_cast, plan_cast
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.manifest import write_manifest, write_readme
from sanctionwatch.simulate.reception import Reception
from sanctionwatch.simulate.routes import Router
from sanctionwatch.simulate.scenario import Scenario, VesselSpec, cast_spec, load_scenario
from sanctionwatch.simulate.silences import SilenceTracker
from sanctionwatch.simulate.traffic import make_fleet, plan_ordinary
from sanctionwatch.simulate.truth import write_truth
from sanctionwatch.simulate.window import PlanIndex, generate_window
from sanctionwatch.simulate.writers import (
    DmaWriter,
    MarineCadastreWriter,
    NmeaWriter,
    StaticLookup,
    TruthParquetWriter,
)

FORMATS = ("nmea", "dma", "marinecadastre")
# Windows are cut at whole UTC hours that divide a day, so no window spans two days. They
# are as long as keeps a window near WINDOW_POSITIONS positions (class A ships underway
# send 360 an hour): per-window overheads stay small and memory stays bounded.
WINDOW_HOURS = (6, 4, 3, 2, 1)
WINDOW_POSITIONS = 250_000


def window_seconds(vessels: int) -> int:
    """The window length for a fleet of ``vessels`` ships."""
    for hours in WINDOW_HOURS:
        if vessels * 360 * hours <= WINDOW_POSITIONS:
            return hours * 3600
    return 3600


@dataclass(frozen=True)
class SimulationResult:
    """What a run wrote. ``files`` maps each format to its daily files, in date order."""

    out_dir: Path
    files: dict[str, list[Path]]
    positions: int  # transmitted (rows of positions_path)
    received_positions: int
    truth_path: Path
    positions_path: Path
    statics_path: Path
    manifest_path: Path
    counts: dict[str, int] = field(default_factory=dict)


def _check(days: float, vessels: int, formats: Sequence[str], shares: dict[str, float]) -> None:
    if not days > 0:
        raise InputError(f"days must be positive, not {days}.")
    if vessels < 1:
        raise InputError(f"vessels must be at least 1, not {vessels}.")
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(
            f"Unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}."
        )
    for name, value in shares.items():
        if not 0.0 <= value <= 0.5:
            raise InputError(f"{name} must be between 0 and 0.5, not {value}.")


def _kept_away_from(scenario: Scenario, cast: list[VesselSpec]) -> list[Port]:
    """Ports meetings and loitering keep away from: the traffic's, the cast's homes, the
    scenario's watched ports and every gazetteer port inside its region."""
    ports: list[Port] = [port for port, _ in scenario.ports]
    ports += [spec.home for spec in cast if spec.home not in ports]
    ports += [port for port in scenario.watched_ports if port not in ports]
    if scenario.region is not None:
        lat_min, lat_max, lon_min, lon_max = scenario.region
        ports += [
            port
            for port in load_ports()
            if lat_min <= port.lat <= lat_max
            and lon_min <= port.lon <= lon_max
            and port not in ports
        ]
    return ports


def _start_time(start: datetime | None, default: datetime) -> int:
    when = start or default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def _clear_previous(out_dir: Path) -> None:
    """Remove the files a previous run listed in its manifest (and only those)."""
    manifest = out_dir / "manifest.json"
    if not manifest.exists():
        return
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError):
        return
    for entry in listed:
        path = out_dir / str(entry.get("path", ""))
        if path.parent == out_dir and path.name.startswith("synthetic-") and path.is_file():
            path.unlink()


def simulate(
    out_dir: Path,
    *,
    scenario: str | Scenario = "rajin",
    seed: int = 0,
    start: datetime | None = None,
    days: float = 7,
    vessels: int = 60,
    formats: Sequence[str] = FORMATS,
    corrupt_share: float = 0.002,
    duplicate_share: float = 0.01,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Generate synthetic AIS traffic with ground truth into ``out_dir``.

    ``scenario``: a built-in scenario (see :func:`scenario_names`: ``rajin``, ``yellow_sea``,
    ``east_china_sea``), or a :class:`Scenario` made from one (``simulate.evaders``).
    ``seed``: same seed and arguments, same bytes. ``start``: UTC start (naive = UTC;
    default: the scenario's). ``days``: length of the run. ``vessels``: total ships, the
    scenario's cast included (the rest is ordinary traffic). ``formats``: any of ``nmea``,
    ``dma``, ``marinecadastre``.
    ``corrupt_share`` / ``duplicate_share``: share of NMEA lines corrupted, and of received
    messages heard twice (NMEA only). ``progress(done_s, total_s)`` is called after each
    window. Raises :class:`InputError` for bad arguments.
    """
    _check(
        days, vessels, formats, {"corrupt_share": corrupt_share, "duplicate_share": duplicate_share}
    )
    plan_scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    scenario = plan_scenario.name
    check_cast(plan_scenario)
    if days < plan_scenario.minimum_days:
        raise InputError(f"Scenario {scenario!r} needs at least {plan_scenario.minimum_days} days.")
    cast = [cast_spec(index, raw) for index, raw in enumerate(plan_scenario.cast)]
    if vessels < len(cast):
        raise InputError(
            f"Scenario {scenario!r} has a cast of {len(cast)} vessels; ask for at least that many."
        )
    t_start = _start_time(start, plan_scenario.default_start)
    t_end = t_start + round(days * 86_400)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear_previous(out_dir)

    router = Router()
    holes = plan_scenario.coverage_holes(t_start, t_end)
    ports = _kept_away_from(plan_scenario, cast)
    ctx = PlanContext(plan_scenario, t_start, t_end, seed, router, holes, ports)
    taken = {spec.identity.mmsi for spec in cast}
    taken |= {int(hop["mmsi"]) for spec in cast for hop in spec.extra.get("hops", [])}
    fleet = make_fleet(ctx, vessels - len(cast), len(cast), taken)
    plans = plan_cast(ctx, cast) if cast else []
    plans += [plan_ordinary(ctx, spec, kind) for spec, kind in fleet]
    indexes = [PlanIndex.of(plan) for plan in plans]

    reception = Reception(plan_scenario.stations, plan_scenario.satellites, holes, seed)
    lookup = StaticLookup(plans)
    metadata = {
        "synthetic": "true",
        "generator": "sanctionwatch.simulate",
        "scenario": scenario,
        "seed": str(seed),
    }
    truth_parquet = TruthParquetWriter(out_dir, lookup, reception.names, metadata)
    writers: dict[str, Any] = {}
    if "nmea" in formats:
        writers["nmea"] = NmeaWriter(
            out_dir, scenario, lookup, reception, seed, duplicate_share, corrupt_share
        )
    if "dma" in formats:
        writers["dma"] = DmaWriter(out_dir, scenario, lookup)
    if "marinecadastre" in formats:
        writers["marinecadastre"] = MarineCadastreWriter(out_dir, scenario, lookup)
    tracker = SilenceTracker(t_start)
    received = 0
    window_start = t_start
    step = window_seconds(vessels)
    try:
        while window_start < t_end:
            window_end = min(t_end, (window_start // step + 1) * step)
            window = generate_window(plans, indexes, window_start, window_end, seed, reception)
            truth_parquet.write(window)
            for writer in writers.values():
                writer.write(window)
            tracker.update(window.positions)
            received += int(window.positions["received"].sum())
            window_start = window_end
            if progress is not None:
                progress(window_start - t_start, t_end - t_start)
    finally:
        truth_parquet.close()
        for writer in writers.values():
            writer.close()
    tracker.finish(t_end)

    mask = router.mask
    events = [e for e in ctx.events if e.start < t_end and (e.end is None or e.end > t_start)]
    events += groundtruth.port_call_events(plans, t_start, t_end)
    events += groundtruth.draught_events(plans, t_start, t_end, seed)
    events += groundtruth.loitering_events(plans, mask, t_start, t_end)
    events += tracker.gap_events(plans, mask)
    events += tracker.coverage_events(plans, holes)
    groundtruth.enrich(events, plans)
    truth_path = out_dir / "synthetic-truth.jsonl"
    write_truth(truth_path, events)

    counts = {
        "positions_transmitted": truth_parquet.rows,
        "positions_received": received,
        "static_messages_transmitted": truth_parquet.static_rows,
        "truth_events": len(events),
    }
    if "nmea" in writers:
        counts.update({f"nmea_{key}": value for key, value in writers["nmea"].counts.items()})
    files = {name: [f.path for f in writer.files.files] for name, writer in writers.items()}
    manifest_path = write_manifest(
        out_dir,
        scenario=plan_scenario,
        seed=seed,
        start=t_start,
        end=t_end,
        parameters={
            "days": days,
            "vessels": vessels,
            "formats": list(formats),
            "corrupt_share": corrupt_share,
            "duplicate_share": duplicate_share,
        },
        plans=plans,
        reception=reception,
        holes=holes,
        counts=counts,
        files=[f for writer in writers.values() for f in writer.files.files],
        extra_files=[truth_parquet.positions_path, truth_parquet.statics_path, truth_path],
        notes=ctx.notes,
    )
    write_readme(out_dir, plan_scenario, t_start, t_end, seed, counts)
    return SimulationResult(
        out_dir=out_dir,
        files=files,
        positions=truth_parquet.rows,
        received_positions=received,
        truth_path=truth_path,
        positions_path=truth_parquet.positions_path,
        statics_path=truth_parquet.statics_path,
        manifest_path=manifest_path,
        counts=counts,
    )
