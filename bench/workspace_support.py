"""The home bench_workspace.py measures (built once, not timed): a case whose vessels have
100,000 track points in total and 500 events.

- Lists: the bundled UN 2026-02-27 and OFAC SDN 2024-05-03 lists, loaded with ``load_lists``.
- AIS: one DMA CSV ingested with ``ingest_file`` (the real ingest): ``vessels`` ships (four
  by default) sharing the points evenly, one report every few minutes over bench_risk.py's
  90 days, each ship wandering at about 10 knots in the open sea east of Japan, with a name,
  a valid IMO number and a type.
- Events: bench_risk.py's synthetic mix (gaps, port calls, loitering, encounters between
  the case's ships, draught and identity changes) over those ships, written into
  ``ais/events.sqlite`` as ``EventStore`` stores them, with each detector's state set so
  that the stored events are up to date (bench_chain.py does the same at scale).
- Risk and alerts: ``chain.refresh`` under the home's writer lock, as ``run`` leaves them
  (so the web server reads stored scores and computes nothing).
- Cases: an analyst, a viewer, one case holding every ship as a subject (evidence read by
  ``subjects.add_subject``), ten notes and two attachments.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_chain import dma_line, event_row  # not a package
from bench_linking import HEADER, LISTS, random_imo
from bench_risk import DAYS, HOUR_MS, T0, make_events

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.behaviour.tables import DetectorStateRow, EventRow
from sanctionwatch.cases import accounts, attachments, cases, notes, subjects
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.chain import refresh
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import home_writer
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.tables import insert_sql, to_params

BUILT = "workspace-bench.json"
PASSWORD = "bench-password-1"
NAMES = ("OCEAN GRACE", "HAI XING 7", "PACIFIC DAWN", "SEA PIONEER", "MING YANG", "KOTA JAYA")
FIRST_MMSI = 477_300_101  # Hong Kong MID: real, allocated, nothing listed under it


def write_tracks(path: Path, vessels: int, points: int, rng: random.Random) -> list[int]:
    """The DMA CSV of the case's ships; their MMSIs."""
    mmsis = [FIRST_MMSI + i for i in range(vessels)]
    each = points // vessels
    step_ms = DAYS * 24 * HOUR_MS // each
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n, mmsi in enumerate(mmsis):
            static = {
                "name": NAMES[n % len(NAMES)],
                "imo": random_imo(rng),
                "type": "Cargo",
                "length": str(rng.randint(90, 250)),
            }
            lat, lon, heading = rng.uniform(25, 40), rng.uniform(140, 155), rng.uniform(0, 360)
            knots_deg = 10 * 1.852 / 111.2 * step_ms / HOUR_MS  # ~10 kn, in degrees per step
            for i in range(each):
                heading = (heading + rng.gauss(0, 8)) % 360
                lat = min(max(lat + knots_deg * math.cos(math.radians(heading)), 20), 44)
                lon = min(max(lon + knots_deg * math.sin(math.radians(heading)), 135), 160)
                out.write(dma_line(T0 + i * step_ms, mmsi, lat, lon, static) + "\n")
    return mmsis


def build(settings: Settings, *, vessels: int, points: int, events: int, seed: int) -> None:
    """The home described in the module docstring; what was built in ``BUILT``."""
    home = settings.home
    rng = random.Random(seed)
    summary: dict[str, Any] = {}
    began = time.perf_counter()
    with ListStore(settings.store_path) as lists:
        for path in LISTS:
            load_lists(lists, [path])
    csv_path = home / "tracks.csv"
    mmsis = write_tracks(csv_path, vessels, points, rng)
    with open_store(home) as ais:
        counts = ingest_file(ais, Source(csv_path))
        with ais.snapshot() as snapshot:
            last_ingest, data_end = snapshot.last_ingest_id, snapshot.data_end_ms
    csv_path.unlink()
    summary["positions"] = counts.accepted
    made = make_events(mmsis, events * 2, rng)[:events]  # it skips a ship meeting itself
    params = load_params(None)
    with open_store(home) as ais, EventStore(ais) as stored, stored.db:
        stored.db.execute("BEGIN")
        stored.db.executemany(insert_sql(EventRow), (event_row(e) for e in made))
        for name in DETECTORS:
            state = DetectorStateRow(
                name, json.dumps(params[name], sort_keys=True), last_ingest, data_end
            )
            stored.db.execute(insert_sql(DetectorStateRow, conflict="REPLACE"), to_params(state))
    summary["events"] = len(made)
    with home_writer(settings, "bench workspace") as lock:
        done = refresh(settings, lock)
    assert not done.detected, "the stored events should have been up to date"
    summary["case_id"] = seed_case(settings, mmsis)
    summary["mmsis"] = mmsis
    summary["build_s"] = round(time.perf_counter() - began, 1)
    (home / BUILT).write_text(json.dumps(summary), encoding="utf-8")


def seed_case(settings: Settings, mmsis: list[int]) -> int:
    """Users, and the case of every ship with notes and attachments; the case's id."""
    with CasesDatabase.open(settings) as db:
        with db.begin() as session:
            for name, role in (("analyst", "analyst"), ("viewer", "viewer")):
                accounts.add_user(session, settings, cli_principal(), name, role, PASSWORD)
        with db.read() as session:
            analyst = accounts.principal_of(accounts.get_user(session, "analyst"))
        with db.begin() as session:
            case = cases.create_case(
                session, analyst, "Ship-to-ship transfers east of Japan", "Bench case."
            )
            case_id = case.id
            for mmsi in mmsis:
                subjects.add_subject(session, settings, analyst, case_id, "vessel", mmsi=mmsi)
            for n in range(10):
                notes.add_note(session, analyst, case_id, f"Note {n}: *seen* near the grid.")
            for n in range(2):
                text = f"mmsi,seen\n{mmsis[0]},{n}\n".encode()
                attachments.add_attachment(
                    session, settings, analyst, case_id, io.BytesIO(text), "text/csv", f"s{n}.csv"
                )
    return case_id
