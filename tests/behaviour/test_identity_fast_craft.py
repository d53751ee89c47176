"""A high-speed craft is one ship, not two on one MMSI: its own reported speed raises the
speed limit of the track segmenter (issue 12: a 36-38 kn craft was split by the fixed
30 kn rule and reported as a shared MMSI)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sanctionwatch.behaviour.detectors.identity_segments import Track, segment, speed_kn
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import store_with

KNOTS = 38.0


def crossing(mmsi: str, sog: str) -> list[str]:
    """Due east from the Kattegat at 38 kn: a fix every 3 minutes for half an hour, a
    40-minute hole in reception, then a fix every 3 minutes again. Across the hole the craft
    covers 47 km, more than 30 kn allows (39 km with the 2 km of noise)."""
    rows = []
    lat = 56.5
    minutes = [*range(0, 33, 3), *range(70, 103, 3)]
    for minute in minutes:
        km = KNOTS * 1.852 * minute / 60
        lon = 11.0 + km / (111.195 * math.cos(math.radians(lat)))
        stamp = f"01/03/2024 {minute // 60:02d}:{minute % 60:02d}:00"
        rows.append(dma_row(stamp, mmsi, f"{lat:.5f}", f"{lon:.5f}", sog=sog, name="FAST CAT"))
    return rows


def track(top_sog_kn: float | None) -> Track:
    rows = [r.split(",") for r in crossing("219000555", "37.5")]
    return Track(
        np.array([_minute(r[0]) * 60_000 for r in rows], dtype=np.int64),
        np.array([float(r[3]) for r in rows]),
        np.array([float(r[4]) for r in rows]),
        top_sog_kn,
    )


def _minute(stamp: str) -> int:
    hours, minutes = stamp.split(" ")[1].split(":")[:2]
    return int(hours) * 60 + int(minutes)


def test_the_segmenter_keeps_a_fast_craft_in_one_segment() -> None:
    params = load_params()["identity"]
    assert len(segment(track(37.5), params)) == 1
    # with no reported speed (or a slow one) the fixed 30 kn rule splits it at the hole
    assert len(segment(track(None), params)) == 2
    assert len(segment(track(12.0), params)) == 2


def test_an_impossible_speed_report_does_not_lift_the_limit_beyond_60_kn() -> None:
    params = load_params()["identity"]
    assert speed_kn(params, 102.2) == params["fast_craft_max_kn"] == 60.0
    assert speed_kn(params, 10.0) == params["max_speed_kn"] == 30.0


def test_a_fast_craft_reporting_its_speed_raises_no_identity_event(tmp_path: Path) -> None:
    engine = DuckDBEngine(store_with(tmp_path, crossing("219000555", "37.5")))
    try:
        assert detect(engine, load_params(), None, ["identity"]) == []
    finally:
        engine.close()
