"""Rules that measure a distance to a port measure it to the port's nearest point: its
anchorage points as well as its gazetteer point (issue 12)."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.places import dark_call_ports, nearest_port
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.geo.ports import find_port, haversine_m
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_encounter import at, every, track
from tests.behaviour.test_gap import ms, store_with

# Qingdao's old main harbour: a berth 120 m from a GFW anchorage point labelled QINGDAO,
# 6 km from WPI's point for Qingdao Gang.
BERTH = (36.083, 120.30)
# An outer anchorage point of QINGDAO, 68 km from the nearest WPI port.
OUTER = (35.839365, 120.979432)
OPEN_SEA = (35.0, 123.5)


def test_a_ship_stopped_at_qingdaos_old_harbour_calls_at_qingdao(tmp_path: Path) -> None:
    qingdao = find_port("Qingdao Gang")
    assert haversine_m(*BERTH, qingdao.lat, qingdao.lon) > 5000
    rows = []
    # 12 h at the berth, one position every 20 minutes, then seen far out at sea.
    for i in range(36):
        stamp = f"01/03/2024 {1 + i // 3:02d}:{i % 3 * 20:02d}:00"
        rows.append(dma_row(stamp, "412000001", f"{BERTH[0]}", f"{BERTH[1]}", sog="0"))
    rows.append(dma_row("01/03/2024 14:00:00", "412000001", "35.0", "122.5", sog="9"))
    events = detect(DuckDBEngine(store_with(tmp_path, rows)), load_params(), None, ["port_call"])
    [call] = events
    assert call.port == "Qingdao Gang"
    assert call.start_ms == ms("2024-03-01T01:00:00")
    assert call.end_ms == ms("2024-03-01T12:40:00")
    assert call.details["locode"] == "CNQIN" and call.details["country"] == "CN"
    anchorage = call.details["anchorage"]
    assert anchorage["label"] == "QINGDAO" and anchorage["kind"] == "anchorage"
    assert anchorage["distance_km"] < 0.5


def encounters_at(tmp_path: Path, lat: float, lon: float) -> list:
    rows = [*track("412000101", lat, lon, every(0, 180)),
            *track("412000102", lat + 100 / 111_195, lon, every(0, 180))]  # fmt: skip
    return detect(DuckDBEngine(store_with(tmp_path, rows)), load_params(), None, ["encounter"])


def test_an_encounter_at_an_outer_anchorage_of_a_port_is_no_encounter(tmp_path: Path) -> None:
    # Two ships side by side for 3 h at an anchorage point of Qingdao far from every WPI
    # point: ships waiting at anchor, not a transfer at sea.
    assert encounters_at(tmp_path / "anchorage", *OUTER) == []
    # The same meeting in open water is one.
    [meeting] = encounters_at(tmp_path / "sea", *OPEN_SEA)
    assert meeting.details["nearest_port"] is not None


def test_port_distances_use_the_nearest_point_of_a_place() -> None:
    near = nearest_port(*BERTH)
    assert near is not None
    assert near[0] == "Qingdao Gang" and near[1] < 500
    # A dark call at Vladivostok: both ends of the gap 3 km off an anchorage point of the
    # place, 20 km from the WPI point: the distance is to the anchorage point.
    vladivostok = find_port("Vladivostok")
    candidates = dark_call_ports((43.02, 131.90), (43.02, 131.90), 24, 100, 15)
    [(port, metres)] = [c for c in candidates if c[0].name == "Vladivostok"]
    assert port == vladivostok
    assert metres < haversine_m(43.02, 131.90, vladivostok.lat, vladivostok.lon)
    assert at(0) == "01/03/2024 00:00:00"
