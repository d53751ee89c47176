"""A high-speed craft is one ship, not two on one MMSI: its own reported speed raises the
speed limit of the track segmenter (issue 12: a 36-38 kn craft was split by the fixed
30 kn rule and reported as a shared MMSI)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.detectors.identity_segments import (
    Track,
    segment,
    speed_kn,
    suspects_sql,
)
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import store_with

KNOTS = 38.0
LAT = 56.5
# a fix every 3 minutes for half an hour, a 40-minute hole in reception, then again
MINUTES = [*range(0, 33, 3), *range(70, 103, 3)]


def fixes() -> list[tuple[int, float, float]]:
    """(minute, lat, lon) due east from the Kattegat at 38 kn. Across the hole the craft
    covers 47 km, more than 30 kn allows (39 km with the 2 km of noise)."""
    scale = 111.195 * math.cos(math.radians(LAT))
    return [(m, LAT, 11.0 + KNOTS * 1.852 * m / 60 / scale) for m in MINUTES]


def crossing(mmsi: str, sog: str) -> list[str]:
    return [
        dma_row(f"01/03/2024 {m // 60:02d}:{m % 60:02d}:00", mmsi, f"{lat:.5f}", f"{lon:.5f}",
                sog=sog, name="FAST CAT")
        for m, lat, lon in fixes()
    ]  # fmt: skip


def track(top_sog_kn: float | None) -> Track:
    minutes, lats, lons = zip(*fixes(), strict=True)
    return Track(
        np.array(minutes, dtype=np.int64) * 60_000, np.array(lats), np.array(lons), top_sog_kn
    )


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


def test_the_sql_prefilter_lets_a_fast_craft_through(tmp_path: Path) -> None:
    # The first pass (SQL) picks the MMSIs with a jump no ship could sail: a craft that
    # reports 37.5 kn is not one; the same track reporting 12 kn is.
    rows = crossing("219000555", "37.5") + crossing("219000556", "12.0")
    engine = DuckDBEngine(store_with(tmp_path, rows))
    try:
        suspects = engine.query(suspects_sql(load_params()["identity"], Window()))
        assert [int(r["mmsi"]) for r in suspects] == [219000556]
        assert detect(engine, load_params(), None, ["identity"]) == []
    finally:
        engine.close()
