"""The loitering detector on hand-made tracks (the scenario check is in test_scenario.py)."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.ais.store import PositionStore
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import ms, store_with


def loitering(store: PositionStore) -> list:
    return detect(DuckDBEngine(store), load_params(), None, ["loitering"])


def slow_track(
    mmsi: str, lat: float, lon: float, hours: list[float], sog: str = "0.8"
) -> list[str]:
    rows = []
    for h in hours:
        minutes = round(h * 60)
        stamp = f"01/03/2024 {minutes // 60:02d}:{minutes % 60:02d}:00"
        rows.append(dma_row(stamp, mmsi, f"{lat + h * 0.001:.4f}", f"{lon:.4f}", sog=sog))
    return rows


def test_slow_far_offshore_for_hours_is_loitering(tmp_path: Path) -> None:
    every_half_hour = [h / 2 for h in range(0, 11)]  # 00:00 .. 05:00
    rows = [
        *slow_track("273000301", 40.0, 135.0, every_half_hour),  # open sea: loitering
        *slow_track("273000302", 42.2, 130.45, every_half_hour),  # off Rajin, near shore
        *slow_track("273000303", 40.5, 135.5, [h / 2 for h in range(0, 7)]),  # only 3 h
        *slow_track("273000304", 40.8, 135.8, every_half_hour, sog="2.5"),  # not slow
        # 2.5 h slow, 3 h silent, 2.5 h slow: the silence breaks the stretch.
        *slow_track("273000305", 39.5, 134.5, [0, 0.5, 1, 1.5, 2, 2.5, 5.5, 6, 6.5, 7, 7.5, 8]),
        # Keeps the data running until 09:00, so nothing above is still going at the end.
        dma_row("01/03/2024 09:00:00", "273000399", "38.0", "134.0"),
    ]
    found = loitering(store_with(tmp_path, rows))
    assert [e.mmsi for e in found] == [273000301]
    event = found[0]
    assert (event.start_ms, event.end_ms) == (ms("2024-03-01T00:00:00"), ms("2024-03-01T05:00:00"))
    assert event.details["hours"] == 5.0 and event.details["positions"] == 11
    assert event.details["median_speed_kn"] == 0.8 and event.details["shore_nm"] > 100


def test_loitering_at_the_end_of_the_data_is_open(tmp_path: Path) -> None:
    rows = slow_track("273000301", 40.0, 135.0, [h / 2 for h in range(0, 11)])
    [event] = loitering(store_with(tmp_path, rows))
    assert event.end_ms is None and event.details["open"] is True
    assert event.to_dict()["end"] is None


def test_no_positions_no_loitering(tmp_path: Path) -> None:
    assert loitering(store_with(tmp_path, [])) == []


def test_loitering_across_the_antimeridian_is_placed_there(tmp_path: Path) -> None:
    # Drifting either side of 180 degrees in the Bering Sea for five hours: the mean of
    # 179.99 and -179.99 is 180, not 0 (a plain average put the event in the Atlantic).
    every_half_hour = [h / 2 for h in range(0, 11)]
    rows = [
        row
        for i, h in enumerate(every_half_hour)
        for row in slow_track("273000306", 57.0, 179.99 if i % 2 else -179.99, [h])
    ]
    rows.append(dma_row("01/03/2024 09:00:00", "273000399", "38.0", "134.0"))
    [event] = loitering(store_with(tmp_path, rows))
    assert abs(abs(event.lon) - 180.0) < 0.02
