"""The encounter detector on hand-made tracks (its accuracy against the generator's ground
truth is scored with every other detector's in test_scenario.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from sanctionwatch.ais.store import PositionStore
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.detectors.encounter import cell_degrees, close_pairs_sql, tables
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.errors import InputError
from sanctionwatch.geo.ports import haversine_m
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import ms, store_with

START = datetime(2024, 3, 1, tzinfo=UTC)
METRE_LAT = 1 / 111_195  # degrees of latitude per metre
A, B, C, FAR = "273000401", "273000402", "273000403", "273000499"


def encounters(store: PositionStore, **overrides: float) -> list[Event]:
    params = load_params()
    params["encounter"].update(overrides)
    return detect(DuckDBEngine(store), params, None, ["encounter"])


def at(minutes: float) -> str:
    """A DMA timestamp ``minutes`` after 2024-03-01 00:00 UTC."""
    return (START + timedelta(minutes=minutes)).strftime("%d/%m/%Y %H:%M:%S")


def when(minutes: float) -> int:
    return int((START + timedelta(minutes=minutes)).timestamp() * 1000)


def track(
    mmsi: str,
    lat: float,
    lon: float,
    minutes: Iterable[float],
    sog: float = 0.5,
    north_m_per_min: float = 0.0,
) -> list[str]:
    """Reports at ``minutes``, drifting north at ``north_m_per_min`` from ``lat``/``lon``."""
    rows = []
    for m in minutes:
        here = lat + m * north_m_per_min * METRE_LAT
        rows.append(dma_row(at(m), mmsi, f"{here:.6f}", f"{lon:.6f}", sog=f"{sog:.1f}"))
    return rows


def every(first: float, last: float, step: float = 5) -> list[float]:
    """Minutes from ``first`` to ``last`` inclusive, ``step`` apart."""
    out, m = [], first
    while m <= last + 1e-9:
        out.append(m)
        m += step
    return out


def meeting(
    minutes: list[float], lat: float = 40.0, lon: float = 135.0, apart_m: float = 200
) -> list[str]:
    """Vessels A and B side by side (B ``apart_m`` north of A) at ``minutes``."""
    return [
        *track(A, lat, lon, minutes),
        *track(B, lat + apart_m * METRE_LAT, lon, minutes),
    ]


# A vessel far away reporting until ten hours in: nothing above it is still going at the end.
LATER = dma_row(at(600), FAR, "38.000000", "134.000000")


def test_three_hour_meeting_at_sea(tmp_path: Path) -> None:
    rows = [*meeting(every(0, 180)), LATER]
    [event] = encounters(store_with(tmp_path, rows))
    assert (event.type, event.mmsi, event.other_mmsi) == ("encounter", int(A), int(B))
    assert (event.start_ms, event.end_ms) == (ms("2024-03-01T00:00:00"), ms("2024-03-01T03:00:00"))
    assert event.lat == pytest.approx(40.0009, abs=1e-4)
    assert event.lon == pytest.approx(135.0)
    details = event.details
    assert details["hours"] == 3.0 and details["open"] is False
    assert details["median_distance_m"] == pytest.approx(200, abs=1)
    assert details["min_distance_m"] == pytest.approx(200, abs=1)
    assert details["median_speed_kn"] == 0.5
    assert details["vessel_median_speed_kn"] == details["other_median_speed_kn"] == 0.5
    assert details["bins"] == 19 and details["runs"] == 1 and details["interpolated_bins"] == 0
    assert details["nearest_port_km"] > 300 and details["shore_nm"] > 100
    assert event.to_dict()["end"] == "2024-03-01T03:00:00Z"
    # The same pair with the MMSIs the other way round is the same event.
    swapped = [
        *track(B, 40.0, 135.0, every(0, 180)),
        *track(A, 40.0 + 200 * METRE_LAT, 135.0, every(0, 180)),
        LATER,
    ]
    [event] = encounters(store_with(tmp_path / "swapped", swapped))
    assert (event.mmsi, event.other_mmsi) == (int(A), int(B))


def test_too_short_too_far_too_fast_or_in_port(tmp_path: Path) -> None:
    short = [*meeting(every(0, 90)), LATER]
    assert encounters(store_with(tmp_path / "short", short)) == []
    far = [*meeting(every(0, 180), apart_m=600), LATER]
    assert encounters(store_with(tmp_path / "far", far)) == []
    # Sailing in convoy: 200 m apart for 3 h, both at 8 kn (247 m a minute).
    convoy = [
        *track(A, 40.0, 135.0, every(0, 180), sog=8.0, north_m_per_min=247),
        *track(B, 40.0 + 200 * METRE_LAT, 135.0, every(0, 180), sog=8.0, north_m_per_min=247),
        LATER,
    ]
    assert encounters(store_with(tmp_path / "convoy", convoy)) == []
    # ... found once the speed limit is raised, so the speed is what kept it out.
    assert len(encounters(store_with(tmp_path / "convoy2", convoy), max_median_speed_kn=9)) == 1
    # About 5.5 km off Najin (Rajin): too close to a port.
    port = [*meeting(every(0, 180), lat=42.20, lon=130.35), LATER]
    assert encounters(store_with(tmp_path / "port", port)) == []
    [event] = encounters(store_with(tmp_path / "port2", port), min_port_km=5)
    assert event.details["nearest_port"] == "Najin"
    assert 5 < event.details["nearest_port_km"] < 6


def test_meeting_across_midnight_is_one_event(tmp_path: Path) -> None:
    rows = [*meeting(every(22 * 60 + 30, 25 * 60 + 30)), dma_row(at(36 * 60), FAR, "38.0", "134.0")]
    [event] = encounters(store_with(tmp_path, rows))
    assert (event.start_ms, event.end_ms) == (ms("2024-03-01T22:30:00"), ms("2024-03-02T01:30:00"))
    assert event.details["hours"] == 3.0


def test_short_silences_are_bridged_long_ones_split(tmp_path: Path) -> None:
    # B silent for 30 minutes (01:00 to 01:30) in a 3 h meeting: bridged by interpolation.
    rows = [
        *track(A, 40.0, 135.0, every(0, 180)),
        *track(B, 40.0 + 200 * METRE_LAT, 135.0, [*every(0, 60), *every(90, 180)]),
        LATER,
    ]
    [event] = encounters(store_with(tmp_path / "short", rows))
    assert (event.start_ms, event.end_ms) == (when(0), when(180))
    assert event.details["runs"] == 1 and event.details["interpolated_bins"] == 2
    # B silent for 2 h (01:30 to 03:30): no interpolation across it, so two runs of 1.5 h,
    # each too short: nothing (a run must last 2 h before runs are merged).
    rows = [
        *track(A, 40.0, 135.0, every(0, 300)),
        *track(B, 40.0 + 200 * METRE_LAT, 135.0, [*every(0, 90), *every(210, 300)]),
        LATER,
    ]
    assert encounters(store_with(tmp_path / "long", rows)) == []
    # Two runs of 2.5 h around the same 2 h silence: each long enough, and less than 4 h
    # apart, so merged into one encounter of two runs.
    rows = [
        *track(A, 40.0, 135.0, every(0, 420)),
        *track(B, 40.0 + 200 * METRE_LAT, 135.0, [*every(0, 150), *every(270, 420)]),
        dma_row(at(900), FAR, "38.0", "134.0"),
    ]
    [event] = encounters(store_with(tmp_path / "parts", rows))
    assert (event.start_ms, event.end_ms) == (when(0), when(420))
    assert event.details["runs"] == 2 and event.details["bins"] == 32
    assert event.details["interpolated_bins"] == 0


def parted(gap_minutes: float) -> list[str]:
    """A and B together for 2.5 h, 5 km apart for ``gap_minutes``, together again 2.5 h."""
    back = 150 + gap_minutes
    end = back + 150
    apart = [m for m in every(0, end, 10) if 150 < m < back]
    return [
        *track(A, 40.0, 135.0, every(0, end, 10)),
        *track(B, 40.0 + 200 * METRE_LAT, 135.0, [*every(0, 150, 10), *every(back, end, 10)]),
        *track(B, 40.0 + 5000 * METRE_LAT, 135.0, apart),
        dma_row(at(end + 600), FAR, "38.0", "134.0"),
    ]


def test_meetings_less_than_four_hours_apart_are_merged(tmp_path: Path) -> None:
    [event] = encounters(store_with(tmp_path / "three", parted(180)))
    assert (event.start_ms, event.end_ms) == (when(0), when(480))
    assert event.details["runs"] == 2 and event.details["hours"] == 8.0
    found = encounters(store_with(tmp_path / "six", parted(360)))
    assert [(e.start_ms, e.end_ms) for e in found] == [(when(0), when(150)), (when(510), when(660))]
    assert all(e.details["runs"] == 1 for e in found)


def test_antimeridian_high_latitudes_and_the_pole(tmp_path: Path) -> None:
    minutes = every(0, 180)
    # Either side of 180 degrees, about 220 m apart.
    dateline = [*track(A, 10.0, 179.999, minutes), *track(B, 10.0, -179.999, minutes), LATER]
    [event] = encounters(store_with(tmp_path / "dateline", dateline))
    assert (event.mmsi, event.other_mmsi) == (int(A), int(B))
    assert event.details["median_distance_m"] == pytest.approx(219, abs=2)
    assert abs(event.lon) > 179.999 and event.lat == pytest.approx(10.0)
    # At 70.5 N, 400 m east-west is 0.0107 degrees of longitude: more than two latitude
    # bands' worth, so only cells widened with latitude put the two in neighbouring cells.
    band = cell_degrees(load_params()["encounter"])
    east = 400 / (111_195 * 0.3338)  # cos(70.5 degrees)
    assert east > 2 * band
    north = [*track(A, 70.5, 40.0, minutes), *track(B, 70.5, 40.0 + east, minutes), LATER]
    [event] = encounters(store_with(tmp_path / "north", north))
    assert event.details["median_distance_m"] == pytest.approx(400, abs=3)
    # Near the pole the longitude cells become one per band: still found, and once.
    pole = [*track(A, 89.95, 0.0, minutes), *track(B, 89.95, 0.3, minutes), LATER]
    [event] = encounters(store_with(tmp_path / "pole", pole))
    assert event.details["median_distance_m"] == pytest.approx(29, abs=2)


def test_the_grid_join_finds_every_close_pair_once(tmp_path: Path) -> None:
    """Random pairs 0-520 m apart all over the globe (many near the poles and either side
    of 180 degrees), each pair alone in its own bin: the grid join must find exactly those
    within 500 m by haversine, each once."""
    rng = np.random.default_rng(5)
    n = 1500
    lat = np.concatenate([rng.uniform(-89.99, 89.99, 500), rng.uniform(80, 89.99, 250),
                          -rng.uniform(80, 89.99, 250), rng.uniform(-70, 70, 500)])  # fmt: skip
    lon = np.concatenate([rng.uniform(-180, 180, 1000), rng.uniform(179.98, 180, 250),
                          -rng.uniform(179.98, 180, 250)])  # fmt: skip
    metres, bearing = rng.uniform(0, 520, n), rng.uniform(0, 2 * np.pi, n)
    arc = metres / 6_371_008.8
    phi = np.radians(lat)
    phi2 = np.arcsin(np.sin(phi) * np.cos(arc) + np.cos(phi) * np.sin(arc) * np.cos(bearing))
    dlon = np.arctan2(np.sin(bearing) * np.sin(arc) * np.cos(phi),
                      np.cos(arc) - np.sin(phi) * np.sin(phi2))  # fmt: skip
    lat2 = np.degrees(phi2)
    lon2 = (lon + np.degrees(dlon) + 180) % 360 - 180
    rows = []
    for i in range(n):
        a, b = f"2730{2 * i:05d}", f"2730{2 * i + 1:05d}"
        rows.append(dma_row(at(10 * i), a, f"{lat[i]:.7f}", f"{lon[i]:.7f}", sog="0.5"))
        rows.append(dma_row(at(10 * i), b, f"{lat2[i]:.7f}", f"{lon2[i]:.7f}", sog="0.5"))
    engine = DuckDBEngine(store_with(tmp_path, rows))
    params = load_params()["encounter"]
    for name, columns in tables(params).items():
        engine.register_table(name, columns)
    found = [(r["mmsi_a"], r["mmsi_b"]) for r in engine.query(close_pairs_sql(params, Window()))]
    rounded = [np.round(x, 7) for x in (lat, lon, lat2, lon2)]
    close = np.nonzero(haversine_m(*rounded) <= 500)[0]
    assert len(close) > 1300  # and some in between 500 and 520 m, to be left out
    assert sorted(found) == [(273000000 + 2 * i, 273000000 + 2 * i + 1) for i in close]


def test_three_vessels_together_are_three_pairs(tmp_path: Path) -> None:
    minutes = every(0, 180)
    rows = [
        *track(A, 40.0, 135.0, minutes),
        *track(B, 40.0 + 150 * METRE_LAT, 135.0, minutes),
        *track(C, 40.0 + 300 * METRE_LAT, 135.0, minutes),
        LATER,
    ]
    found = encounters(store_with(tmp_path, rows))
    assert sorted((e.mmsi, e.other_mmsi) for e in found) == [
        (int(A), int(B)),
        (int(A), int(C)),
        (int(B), int(C)),
    ]
    assert all((e.start_ms, e.end_ms) == (when(0), when(180)) for e in found)


def test_degenerate_stores_and_open_encounters(tmp_path: Path) -> None:
    assert encounters(store_with(tmp_path / "empty", [])) == []
    one = [dma_row(at(0), A, "40.0", "135.0", sog="0.5")]
    assert encounters(store_with(tmp_path / "one", one)) == []
    # Still together when the data ends: open (end null), hours so far.
    [event] = encounters(store_with(tmp_path / "open", meeting(every(0, 180))))
    assert event.end_ms is None and event.details["open"] is True
    assert event.details["hours"] == 3.0 and event.to_dict()["end"] is None
    # Only 1.5 h so far: not (yet) an encounter.
    assert encounters(store_with(tmp_path / "early", meeting(every(0, 90)))) == []
    with pytest.raises(InputError, match="must be more than 0"):
        encounters(store_with(tmp_path / "empty", []), bin_minutes=0)
    with pytest.raises(InputError, match="must be a finite number"):
        encounters(store_with(tmp_path / "empty", []), max_distance_m=float("inf"))
