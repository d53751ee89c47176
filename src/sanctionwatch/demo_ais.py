"""The AIS half of ``sanctionwatch demo``: real AIS samples, then the synthetic rajin scenario.

Ingests the bundled real logs (AMSA, pyais sample, DMA, MarineCadastre) and prints what
happened to every line; generates the rajin scenario (the documented Rajin - Vostochny /
Dunai shuttle among ordinary Sea of Japan traffic, SYNTHETIC) as NMEA, ingests it, and
shows the identity histories of the vessels whose identity gives them away.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from rich.console import Console

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.ais.vessels import vessel_histories
from sanctionwatch.behaviour.events import Event
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from sanctionwatch.home_lock import WriterLock

# Paths relative to the bundled AIS folder (data/ais; provenance in its PROVENANCE.md).
DEMO_AIS_FILES = (
    "amsa_risky_ais.txt.gz",
    "amsa_risky_nmea-timestamped.txt",
    "pyais_nmea_data_sample.txt",
    "dma_aisdk_20180208_10rows.csv",
    "noaa_marinecadastre_20230111_1000rows.csv",
)
SIMULATION_DAYS = 3.0
SIMULATION_VESSELS = 30


def demo_ais_dir() -> Path:
    """``$SANCTIONWATCH_DEMO_AIS``, else ``data/ais`` of the checkout."""
    if value := os.environ.get("SANCTIONWATCH_DEMO_AIS"):
        return Path(value)
    return Path(__file__).resolve().parents[2] / "data" / "ais"


def run_ais_demo(settings: Settings, out: Console, first_step: int, writer: WriterLock) -> None:
    """The AIS steps, writing under ``writer`` (the home's writer lock, held by the caller)."""
    from sanctionwatch.simulate import simulate

    data = demo_ais_dir()
    if not data.is_dir():
        raise InputError(f"{data}: the bundled AIS samples are not there; run from a checkout")
    with open_store(settings.home, writer=writer) as store:
        out.rule(f"{first_step}. Ingesting the bundled real AIS logs (NMEA, DMA, MarineCadastre)")
        for name in DEMO_AIS_FILES:
            out.print(_summary(ingest_file(store, Source(data / name))))

        out.rule(f"{first_step + 1}. SYNTHETIC traffic: the rajin scenario, generated and ingested")
        started = time.perf_counter()
        folder = settings.home / "simulated-rajin"
        result = simulate(
            folder,
            scenario="rajin",
            days=SIMULATION_DAYS,
            vessels=SIMULATION_VESSELS,
            seed=1,
            formats=("nmea",),
        )
        out.print(
            f"  generated {result.positions:,} positions of {SIMULATION_VESSELS} vessels over "
            f"{SIMULATION_DAYS:.0f} days (SYNTHETIC; ground truth in {result.truth_path.name}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        ingests = []
        for path in result.files["nmea"]:
            counts = ingest_file(store, Source(path))
            ingests.append(counts.ingest_id or 0)
            out.print(_summary(counts))

        out.rule(f"{first_step + 2}. Vessels whose identity gives them away (synthetic run)")
        simulated = store.mmsis(ingests)
        for history in vessel_histories(store):
            if history["mmsi"] not in simulated or not history["problems"]:
                continue
            names = sorted({i["name"] for i in history["identities"] if i["name"]})
            out.print(
                f"  MMSI {history['mmsi']} (MID flag {history['mid_flag']}) "
                f"{' / '.join(names)}: {'; '.join(history['problems'])}"
            )

        out.rule(
            f"{first_step + 3}. Behaviour detected in the synthetic run: dark periods, port "
            "calls, encounters, loitering, identity tricks, cargo moved"
        )
        _print_events(store, simulated, out)
    out.print(f"\nAIS store: {store.root}")


def _print_events(store: PositionStore, vessels: set[int], out: Console) -> None:
    from sanctionwatch.behaviour.params import load_params
    from sanctionwatch.behaviour.stored import EventStore
    from sanctionwatch.engine.duckdb import DuckDBEngine

    with (
        EventStore(store) as stored,
        store.snapshot() as snapshot,
        closing(DuckDBEngine(store)) as engine,
    ):
        stored.update(engine, load_params(), snapshot=snapshot)
        found = [e for e in stored.events() if e.mmsi in vessels]
    names = {row.mmsi: row.name for row in store.identities() if row.name}

    def who(mmsi: int | None) -> str:
        return f"{names.get(mmsi or 0, '?')} (MMSI {mmsi})"

    def when(event: Event) -> str:
        item = event.to_dict()
        return f"{item['start']} .. {item['end'] or 'end of data'} ({event.details.get('hours')} h)"

    counts = Counter(e.type for e in found)
    out.print("  " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
    gaps = [e for e in found if e.type == "gap"]
    dark_calls = [e for e in gaps if e.port]
    out.print(
        f"  {len(gaps)} gaps of 6 h or more, {len(dark_calls)} of them likely dark port calls, "
        f"{sum(1 for e in gaps if e.details['likely_disabling'])} likely deliberate disabling "
        "(12 h or more, starting 50 nm or more from shore):"
    )
    for event in dark_calls:
        out.print(f"  {who(event.mmsi)} dark {when(event)}: likely dark port call at {event.port}")
    calls = [e for e in found if e.type == "port_call" and e.details["watched"]]
    went_dark = {e.mmsi for e in dark_calls}
    shown = [e for e in calls if e.details["country"] == "KP" or e.mmsi in went_dark]
    out.print(
        f"  {counts['port_call']} port calls seen in AIS, {len(calls)} at watched ports; at DPRK "
        "ports, and by the vessels that went dark near one:"
    )
    for event in shown:
        out.print(f"  {who(event.mmsi)} at {event.port} ({event.details['country']}) {when(event)}")
    for event in (e for e in found if e.type == "encounter"):
        out.print(
            f"  {who(event.mmsi)} met {who(event.other_mmsi)} {when(event)}, "
            f"{event.details['median_distance_m']} m apart, {event.details['shore_nm']} nm from "
            f"shore: possible ship-to-ship transfer"
        )
    for event in (e for e in found if e.type == "loitering"):
        out.print(
            f"  {who(event.mmsi)} loitering {when(event)}, median "
            f"{event.details['median_speed_kn']} kn, {event.details['shore_nm']} nm from shore"
        )
    for event in (e for e in found if e.type == "identity"):
        other = f" (with {who(event.other_mmsi)})" if event.other_mmsi else ""
        changed = event.details.get("changed") or {}
        what = "; ".join(f"{k} {v['from']} -> {v['to']}" for k, v in changed.items())
        out.print(
            f"  {who(event.mmsi)}{other} identity: {', '.join(event.details['reasons'])}"
            f"{': ' + what if what else ''} from {event.to_dict()['start']}"
        )
    # Cargo moved where no port saw it: a draught change just after a meeting or a silence.
    for event in (e for e in found if e.type == "draught_change" and e.port is None):
        before = [
            e
            for e in found
            if e.type in ("encounter", "gap")
            and event.mmsi in (e.mmsi, e.other_mmsi)
            and e.end_ms is not None
            and 0 <= event.start_ms - e.end_ms <= 6 * 3_600_000
        ]
        if not before:
            continue
        after = before[-1]
        cause = (
            f"after meeting {who(after.other_mmsi if after.mmsi == event.mmsi else after.mmsi)}"
            if after.type == "encounter"
            else f"after {after.details['hours']} h dark"
            + (f" (likely dark port call at {after.port})" if after.port else "")
        )
        out.print(
            f"  {who(event.mmsi)} draught {event.details.get('from_m')} -> "
            f"{event.details.get('to_m')} m from {event.to_dict()['start']}, {cause}: cargo "
            f"{event.details.get('cargo')} where no port saw it"
        )


def _summary(counts: IngestCounts) -> str:
    """One line per file: what became of every line (the outcomes add up to the lines)."""
    outcome = counts.line_outcomes
    reasons = ", ".join(f"{n:,} {r}" for r, n in list(counts.rejected_by_reason.items())[:3])
    return (
        f"  {Path(counts.file).name} ({counts.format}): {counts.lines:,} lines -> "
        f"{outcome.get('stored', 0):,} positions, {outcome.get('duplicate', 0):,} duplicates, "
        f"{outcome.get('static', 0):,} static, {outcome.get('fragment', 0):,} fragments, "
        f"{counts.rejected:,} rejected{f' ({reasons}, ...)' if reasons else ''}, "
        f"{sum(counts.skipped_by_reason.values()):,} skipped; "
        f"{counts.statics:,} identity reports, {counts.vessels:,} vessels"
    )
