"""The port-call detector: GFW's 3 km in / 4 km out / stopped rule, and the grid join."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from sanctionwatch.ais.store import PositionStore
from sanctionwatch.behaviour.detectors import port_call
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.geo.places import Place, PlacePoints
from sanctionwatch.geo.ports import Port, find_port, haversine_m
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import ms, store_with

BUSAN = find_port("Busan")
# Pohang has one point only (no anchorage point within 16 km): the 3 km / 4 km geometry
# below is measured from it alone. Busan has 400 anchorage points around its WPI point.
POHANG = find_port("Pohang")


def calls(store: PositionStore) -> list:
    return detect(DuckDBEngine(store), load_params(), None, ["port_call"])


def offset(port: Port, north_km: float, east_km: float) -> tuple[str, str]:
    lat = port.lat + north_km / 111.195
    lon = port.lon + east_km / (111.195 * math.cos(math.radians(port.lat)))
    return f"{lat:.6f}", f"{lon:.6f}"


def visit(mmsi: str, port: Port, distances_km: list[float], sogs: list[str]) -> list[str]:
    """One position every 20 minutes from 00:00, ``distances_km`` south of the port."""
    rows = []
    for i, (km, sog) in enumerate(zip(distances_km, sogs, strict=True)):
        lat, lon = offset(port, -km, 0.0)
        stamp = f"01/03/2024 {i // 3:02d}:{i % 3 * 20:02d}:00"
        rows.append(dma_row(stamp, mmsi, lat, lon, sog=sog))
    return rows


def test_a_call_is_entered_at_3_km_and_left_beyond_4_km(tmp_path: Path) -> None:
    approach = [10, 6, 3.5, 2.5, 1, 0.5, 0.5, 0.5, 0.5, 1, 3.5, 3.8, 5, 10]
    speeds = ["12", "10", "8", "6", "3", "0.1", "0", "0", "0.1", "3", "8", "9", "10", "12"]
    rows = [
        *visit("440000001", POHANG, approach, speeds),
        # Passes within 1 km without stopping: not a call.
        *visit("440000002", POHANG, [6, 2, 1, 2, 6], ["12"] * 5),
        # Stops at 3.5 km, never inside 3 km: not a call.
        *visit("440000003", POHANG, [6, 3.5, 3.5, 3.5, 6], ["5", "0", "0", "0", "5"]),
    ]
    found = calls(store_with(tmp_path, rows))
    assert [(e.mmsi, e.port) for e in found] == [(440000001, "Pohang")]
    call = found[0]
    # In at the first position within 3 km (01:00, 2.5 km), out at the last within 4 km
    # (03:40, 3.8 km): 3.5 km on the way in does not start it, 3.5 km on the way out does
    # not end it.
    assert call.start_ms == ms("2024-03-01T01:00:00")
    assert call.end_ms == ms("2024-03-01T03:40:00")
    assert call.details["country"] == "KR" and call.details["watched"] is False
    assert call.details["stopped_positions"] == 4
    assert call.details["closest_km"] == pytest.approx(0.5, abs=0.05)


def test_watched_ports_are_marked(tmp_path: Path) -> None:
    rajin = find_port("Rajin")
    rows = visit("445000001", rajin, [5, 1, 0.2, 0.2, 1, 5], ["8", "2", "0", "0", "2", "8"])
    [call] = calls(store_with(tmp_path, rows))
    assert call.port == "Najin" and call.details["watched"] is True


def one_place(name: str, lats: list[float], lons: list[float]) -> PlacePoints:
    """A gazetteer of one place made of the points given."""
    place = Place(f"test:{name}", name, "FJ", None, lats[0], lons[0])
    return PlacePoints(
        places=(place,),
        place=np.zeros(len(lats), dtype=np.int64),
        lat=np.array(lats),
        lon=np.array(lons),
        kind=("anchorage",) * len(lats),
        label=(name.upper(),) * len(lats),
        sublabel=(None,) * len(lats),
    )


def test_port_cells_cover_the_radius_across_the_antimeridian() -> None:
    edge = one_place("Edge", [-16.8], [179.99])
    columns = port_call.cells_for(edge, 4000.0)
    cells = set(zip(columns["cell_lat"], columns["cell_lon"], strict=True))
    # Every point within 4 km of the port falls in one of its cells, on both sides of
    # the antimeridian.
    for bearing in range(0, 360, 10):
        for km in (0.5, 2.0, 3.99):
            lat = -16.8 + km / 111.195 * math.cos(math.radians(bearing))
            lon = 179.99 + km / (111.195 * math.cos(math.radians(-16.8))) * math.sin(
                math.radians(bearing)
            )
            lon = (lon + 180) % 360 - 180
            assert haversine_m(lat, lon, -16.8, 179.99) < 4000
            key = (math.floor(lat / port_call.CELL_DEG), math.floor(lon / port_call.CELL_DEG))
            assert key in cells, (bearing, km, lat, lon)
    assert any(lon < 0 for _, lon in cells) and any(lon > 0 for _, lon in cells)


def test_pruned_cells_still_give_the_exact_nearest_point() -> None:
    # A dense anchorage field (300 points 0.5 km apart, like GFW's S2 cells at a big port):
    # within each cell only points that can be nearest are kept, yet for any position
    # the nearest kept point of its cell is the nearest point of all.
    rng = np.random.default_rng(5)
    lats = list(36.0 + rng.uniform(0, 0.12, 300))
    lons = list(120.2 + rng.uniform(0, 0.15, 300))
    field = one_place("Field", lats, lons)
    columns = port_call.cells_for(field, 4000.0)
    assert len(columns["point"]) < 300 * 35 / 2  # pruning did something
    by_cell: dict[tuple[int, int], list[int]] = {}
    for cell_lat, cell_lon, point in zip(columns["cell_lat"], columns["cell_lon"],
                                         columns["point"], strict=True):  # fmt: skip
        by_cell.setdefault((cell_lat, cell_lon), []).append(point)
    for lat, lon in zip(rng.uniform(35.95, 36.17, 2000), rng.uniform(120.15, 120.4, 2000),
                        strict=True):  # fmt: skip
        every = haversine_m(lat, lon, field.lat, field.lon)
        if every.min() > 4000:
            continue
        key = (math.floor(lat / port_call.CELL_DEG), math.floor(lon / port_call.CELL_DEG))
        kept = by_cell[key]
        assert int(np.argmin(every)) in kept
        assert every[kept].min() == every.min()


def test_a_vessel_still_in_port_when_the_data_ends_has_an_open_call(tmp_path: Path) -> None:
    rows = [
        # Arrives and is still moored at the last position of all: open.
        *visit("440000001", POHANG, [6, 2, 0.5, 0.5, 0.5, 0.5], ["9", "4", "0", "0", "0", "0"]),
        # Calls and leaves before the end: closed.
        *visit("440000002", POHANG, [2, 0.5, 0.5, 2, 6, 10], ["4", "0", "0", "4", "10", "12"]),
    ]
    found = {e.mmsi: e for e in calls(store_with(tmp_path, rows))}
    assert found[440000001].end_ms is None and found[440000001].details["open"] is True
    assert found[440000001].details["hours"] == pytest.approx(4 / 3, abs=0.01)
    assert found[440000002].end_ms == ms("2024-03-01T01:00:00")
    assert found[440000002].details["open"] is False


def test_a_trip_out_and_back_is_two_calls_a_shared_mmsi_is_not(tmp_path: Path) -> None:
    pohang = find_port("Pohang")
    rows = []
    # A small boat moored 00:00-01:40, out 8 km for two hours, moored again from 04:00.
    out_and_back = [0.5] * 6 + [8.0] * 6 + [0.5] * 6
    speeds = ["0"] * 6 + ["6"] * 6 + ["0"] * 6
    rows += visit("440000001", POHANG, out_and_back, speeds)
    # One MMSI on two ships, one moored at Busan, the other at Pohang, reports interleaved
    # every 10 minutes for six hours: one call at each port, not dozens.
    for i in range(36):
        port = BUSAN if i % 2 == 0 else pohang
        lat, lon = offset(port, -0.5, 0.0)
        rows.append(dma_row(f"02/03/2024 {i // 6:02d}:{i % 6 * 10:02d}:00", "440000002", lat,
                            lon, sog="0"))  # fmt: skip
    found = calls(store_with(tmp_path, rows))
    boat = [(e.start_ms, e.end_ms) for e in found if e.mmsi == 440000001]
    assert boat == [
        (ms("2024-03-01T00:00:00"), ms("2024-03-01T01:40:00")),
        (ms("2024-03-01T04:00:00"), ms("2024-03-01T05:40:00")),
    ]
    shared = sorted(e.port for e in found if e.mmsi == 440000002)
    assert shared == ["Busan", "Pohang"]


def test_a_vessel_already_in_port_when_the_data_begins_has_a_call_open_at_its_start(
    tmp_path: Path,
) -> None:
    rows = [
        # Moored at its very first position, when the data begins: arrival not seen.
        *visit("440000003", POHANG, [0.5, 0.5, 0.5, 2, 6, 10], ["0", "0", "0", "4", "10", "12"]),
        # Seen arriving from 6 km out: an arrival.
        *visit("440000004", POHANG, [6, 2, 0.5, 0.5, 2, 6], ["9", "4", "0", "0", "4", "10"]),
    ]
    found = {e.mmsi: e for e in calls(store_with(tmp_path, rows))}
    assert found[440000003].details["open_start"] is True
    assert found[440000003].start_ms == ms("2024-03-01T00:00:00")  # when first seen
    assert found[440000003].details["open"] is False
    assert found[440000004].details["open_start"] is False


def test_a_ferry_shuttling_between_two_ports_makes_a_call_at_each_visit(tmp_path: Path) -> None:
    # Helsingør and Helsingborg are 4.4 km apart. A ferry berths at each in turn for 20
    # minutes, every hour, from 00:00 to 06:00: its calls at the two ports alternate and
    # never overlap (before, positions at Helsingør less than an hour apart did not end a
    # "call" at Helsingborg, which lasted six hours). A stop lasts until the next position
    # (30 minutes: min_stop_minutes); the last one, at Helsingør from 06:00 when the data
    # ends, has lasted 20 minutes: not a call yet.
    helsingor, helsingborg = find_port("Helsingor"), find_port("Helsingborg")
    rows = []
    for minute in (0, 10, 20):
        lat, lon = offset(helsingor, 0.2, 0.0)
        rows.append(dma_row(f"01/03/2024 06:{minute:02d}:00", "219000777", lat, lon, sog="0"))
    for hour in range(6):
        for port, minutes in ((helsingor, (0, 10, 20)), (helsingborg, (30, 40, 50))):
            for minute in minutes:
                lat, lon = offset(port, 0.2, 0.0)
                stamp = f"01/03/2024 {hour:02d}:{minute:02d}:00"
                rows.append(dma_row(stamp, "219000777", lat, lon, sog="0"))
    found = sorted(calls(store_with(tmp_path, rows)), key=lambda e: e.start_ms)
    assert [e.port for e in found] == ["Helsingor", "Helsingborg"] * 6
    for before, after in pairwise(found):
        assert before.end_ms is not None and before.end_ms < after.start_ms


def every(
    mmsi: str, port: Port, start: str, minutes: int, track: list[tuple[float, str]]
) -> list[str]:
    """One position every ``minutes`` from ``start`` (HH:MM on 1 March 2024): (km south of
    ``port``, SOG) each."""
    hour, minute = (int(part) for part in start.split(":"))
    rows = []
    for i, (km, sog) in enumerate(track):
        total = hour * 60 + minute + i * minutes
        lat, lon = offset(port, -km, 0.0)
        rows.append(dma_row(f"01/03/2024 {total // 60:02d}:{total % 60:02d}:00", mmsi, lat, lon,
                            sog=sog))  # fmt: skip
    return rows


def test_a_short_stop_in_passing_is_not_a_call(tmp_path: Path) -> None:
    # Real traffic: ships lie 10-14 minutes in a lock chamber of the Panama Canal, inside the
    # places Panama City and Colon, then sail on. A call needs min_stop_minutes (30) still.
    lockage = [(6, "8"), (2, "5"), (1, "2"), (0.5, "0"), (0.5, "0.1"), (1, "3"), (3, "6"),
               (6, "8")]  # fmt: skip
    berthed = [(6, "8"), (2, "5"), (1, "2"), *[(0.5, "0")] * 8, (1, "3"), (3, "6"),
               (6, "8")]  # fmt: skip
    rows = [
        # Stopped from 00:15 until it moves at 00:25: 10 minutes.
        *every("440000011", POHANG, "00:00", 5, lockage),
        # Stopped from 00:15 until it moves at 00:55: 40 minutes.
        *every("440000012", POHANG, "00:00", 5, berthed),
    ]
    found = calls(store_with(tmp_path, rows))
    assert [e.mmsi for e in found] == [440000012]
    assert found[0].details["stopped_hours"] == pytest.approx(40 / 60, abs=0.01)


def test_passing_another_port_without_stopping_does_not_split_a_call(tmp_path: Path) -> None:
    # HAFNIA LEO, Panama: stopped in the Miraflores locks (place Panama City), crossed the
    # lake at 4 kn 300 m from a point of "Panama Canal Anchorage", and stopped again in the
    # Pedro Miguel lock: one visit, not two. Here: moored at Helsingør, a turn at 4 kn
    # past Helsingborg's point, moored at Helsingør again.
    helsingor, helsingborg = find_port("Helsingor"), find_port("Helsingborg")
    rows = []
    stops = (
        [(helsingor, 0.2, "0")] * 4 + [(helsingborg, 0.3, "4")] * 2 + [(helsingor, 0.2, "0")] * 4
    )
    for i, (port, km, sog) in enumerate(stops):
        lat, lon = offset(port, km, 0.0)
        rows.append(dma_row(f"01/03/2024 {i // 6:02d}:{i % 6 * 10:02d}:00", "219000778", lat, lon,
                            sog=sog))  # fmt: skip
    found = calls(store_with(tmp_path, rows))
    assert [(e.port, e.start_ms, e.end_ms) for e in found] == [
        ("Helsingor", ms("2024-03-01T00:00:00"), None)  # still moored when the data ends
    ]


def test_a_ferry_round_trip_ends_the_call(tmp_path: Path) -> None:
    # Real traffic (the Solent): a fast ferry berthed in Portsmouth, crossed to Ryde Pier
    # Head (known to no gazetteer) and back in 30 minutes; its two berthings were one call
    # because it was away less than max_away_hours (1 h). A departure the vessel could
    # make (its next position away reachable at max_shuttle_speed_kn) and an absence of
    # min_trip_minutes (15) or more end the call; two ships on one MMSI 50 km apart cannot.
    moored = [(0.5, "0")] * 8
    trip = [(3.5, "20"), (6.5, "25"), (10.0, "25"), (10.0, "0"), (6.5, "25"), (3.5, "20")]
    rows = every("235069877", POHANG, "00:00", 5, moored + trip + moored)
    found = calls(store_with(tmp_path, rows))
    assert [(e.start_ms, e.end_ms) for e in found] == [
        (ms("2024-03-01T00:00:00"), ms("2024-03-01T00:40:00")),  # last seen within 4 km
        (ms("2024-03-01T01:10:00"), None),  # still moored when the data ends
    ]


def test_the_call_names_the_anchorage_where_the_ship_lay(tmp_path: Path) -> None:
    # Sails past the World Port Index point of Qingdao Gang (60 m off, at 6 kn), then lies
    # at the old main harbour, 153 m from a GFW anchorage point labelled QINGDAO: the call
    # is placed and named where it lay, not where its approach came closest.
    qingdao = find_port("Qingdao Gang")
    rows = []
    passing = [(qingdao.lat + 0.0005, qingdao.lon + k * 0.004, "6") for k in (-4, -2, 0, 2, 4)]
    lying = [(36.083, 120.30, "0")] * 6
    for i, (lat, lon, sog) in enumerate(passing + lying):
        rows.append(dma_row(f"01/03/2024 {i // 6:02d}:{i % 6 * 10:02d}:00", "412000009",
                            f"{lat:.6f}", f"{lon:.6f}", sog=sog))  # fmt: skip
    [call] = calls(store_with(tmp_path, rows))
    assert call.port == "Qingdao Gang"
    assert call.details["anchorage"]["label"] == "QINGDAO"
    assert call.details["anchorage"]["kind"] == "anchorage"
    assert haversine_m(call.lat, call.lon, 36.083, 120.30) < 1
