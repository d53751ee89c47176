"""Every registered detector on awkward data: correct results or a clear message, no crash.

Empty store, a single position, one vessel only, a day with no data, positions out of
order, duplicate timestamps, a vessel crossing the antimeridian.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.errors import InputError
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write

START = datetime(2024, 3, 1, tzinfo=UTC)


def stamp(minutes: float) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%d/%m/%Y %H:%M:%S")


def store_of(tmp_path: Path, rows: list[str], name: str = "home") -> PositionStore:
    store = open_store(tmp_path / name)
    if rows:
        ingest_file(store, Source(write(tmp_path / f"{name}.csv", [DMA_HEADER, *rows])))
    return store


def run_all(store: PositionStore) -> list[Event]:
    return detect(DuckDBEngine(store), load_params())


def sailing(mmsi: str, lat: float, lon: float, hours: float, east_kn: float, every: float = 10):
    """Rows of a vessel sailing due east at ``east_kn`` from (lat, lon), one every ``every``
    minutes; longitudes wrap at 180."""
    rows = []
    steps = int(hours * 60 / every) + 1
    for step in range(steps):
        minutes = step * every
        degrees = east_kn * 1852 * minutes / 60 / (111_195 * 0.7071)  # at about 45 degrees
        lon_now = (lon + degrees + 180) % 360 - 180
        rows.append(dma_row(stamp(minutes), mmsi, f"{lat:.5f}", f"{lon_now:.5f}",
                            sog=f"{east_kn:.1f}", cog="90.0", heading="90"))  # fmt: skip
    return rows


def test_every_detector_on_an_empty_store(tmp_path: Path) -> None:
    assert run_all(store_of(tmp_path, [])) == []
    for name in DETECTORS:
        assert detect(DuckDBEngine(store_of(tmp_path, [])), load_params(), None, [name]) == []


def test_a_single_position_gives_no_event(tmp_path: Path) -> None:
    assert run_all(store_of(tmp_path, [dma_row(stamp(0), "273000001", "40.0", "135.0")])) == []


def test_an_unknown_detector_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no detector named \['gapp'\]"):
        detect(DuckDBEngine(store_of(tmp_path, [])), load_params(), None, ["gapp"])


def test_one_vessel_sailing_with_one_silence(tmp_path: Path) -> None:
    # Far out in the Sea of Japan at 12 kn for 4 h, silent 8 h, then 2 h more.
    rows = sailing("273000001", 40.0, 134.0, 4, 12)
    later = sailing("273000001", 40.0, 135.2, 2, 12)
    rows += _shift(later, 12 * 60)
    found = run_all(store_of(tmp_path, rows))
    assert [(e.type, e.mmsi) for e in found] == [("gap", 273000001)]
    assert found[0].details["hours"] == pytest.approx(8.0)


def _shift(rows: list[str], minutes: float) -> list[str]:
    shifted = []
    for row in rows:
        ts, rest = row.split(",", 1)
        when = datetime.strptime(ts, "%d/%m/%Y %H:%M:%S").replace(tzinfo=UTC)
        new = (when + timedelta(minutes=minutes)).strftime("%d/%m/%Y %H:%M:%S")
        shifted.append(f"{new},{rest}")
    return shifted


def test_a_day_with_no_data_is_one_gap_per_vessel(tmp_path: Path) -> None:
    rows = []
    for number, lat in enumerate((39.0, 39.5)):
        mmsi = f"27300000{number}"
        rows += sailing(mmsi, lat, 134.0, 6, 10)
        rows += _shift(sailing(mmsi, lat, 134.5, 6, 10), 48 * 60)  # nothing on 2 March
    found = run_all(store_of(tmp_path, rows))
    gaps = [e for e in found if e.type == "gap"]
    assert [(e.mmsi, e.details["hours"]) for e in gaps] == [(273000000, 42.0), (273000001, 42.0)]
    assert [e for e in found if e.type != "gap"] == []


def test_order_of_the_rows_does_not_matter(tmp_path: Path) -> None:
    rows = sailing("273000001", 40.0, 134.0, 5, 1.0) + sailing("273000002", 41.0, 134.0, 5, 11)
    rows += _shift(sailing("273000001", 40.0, 134.2, 2, 1.0), 14 * 60)
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    in_order = [e.to_dict() for e in run_all(store_of(tmp_path, rows, "sorted"))]
    assert {e["type"] for e in in_order} == {"loitering", "gap"}, in_order
    assert [e.to_dict() for e in run_all(store_of(tmp_path, shuffled, "shuffled"))] == in_order


def test_duplicate_timestamps_at_different_places(tmp_path: Path) -> None:
    # Two reports in the same second, 200 m apart (a GPS jump or two receivers' clocks):
    # both are kept (the dedup key includes the position); detectors must not crash and
    # must not see an impossible speed between them as two ships.
    rows = sailing("273000001", 40.0, 134.0, 3, 0.5)
    rows += [dma_row(stamp(60), "273000001", "40.00180", "134.00100", sog="0.5")]
    found = run_all(store_of(tmp_path, rows))
    assert [e for e in found if e.type == "identity"] == []
    assert [e.to_dict() for e in run_all(store_of(tmp_path, rows, "again"))] == [
        e.to_dict() for e in found
    ]


def test_a_vessel_crossing_the_antimeridian(tmp_path: Path) -> None:
    # Eastwards across 180 at 12 kn (Bering Sea), reporting every 10 minutes, then a 7 h
    # silence that also straddles the line: one gap of sensible length and speed.
    rows = sailing("273000001", 55.0, 179.5, 3, 12)
    rows += _shift(sailing("273000001", 55.0, -179.2, 2, 12), 10 * 60)
    found = run_all(store_of(tmp_path, rows))
    assert [(e.type, e.mmsi) for e in found] == [("gap", 273000001)]
    [gap] = found
    assert gap.details["distance_km"] < 100
    assert gap.details["implied_speed_kn"] < 12
