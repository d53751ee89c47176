"""The map's track thinning (web/mapdata.py) on a 100,000-point track: fewer points, and
never the ones the map needs (ends, both sides of a gap, the points around each event)."""

from __future__ import annotations

import numpy as np

from sanctionwatch.behaviour.events import Event
from sanctionwatch.web.mapdata import (
    Track,
    decimate,
    event_text,
    events_json,
    gaps_json,
    must_keep,
    track_json,
)

HOUR_MS = 3_600_000
GAP_MS = 6 * HOUR_MS
T0 = 1_709_251_200_000  # 2024-03-01T00:00:00Z


def random_walk(n: int, seed: int = 15) -> Track:
    """A ship reporting every 10 s for ``n`` reports, with two silences of 12 h."""
    rng = np.random.default_rng(seed)
    steps = np.full(n, 10_000, dtype=np.int64)
    steps[0] = 0
    steps[n // 3] = steps[2 * n // 3] = 12 * HOUR_MS
    sog = rng.uniform(0, 15, n)
    sog[::7] = np.nan
    return Track(
        t_ms=T0 + np.cumsum(steps),
        lon=124.0 + np.cumsum(rng.normal(0, 1e-4, n)),
        lat=38.0 + np.cumsum(rng.normal(0, 1e-4, n)),
        sog=sog,
    )


def test_a_100k_track_is_thinned_and_keeps_ends_gaps_and_events() -> None:
    track = random_walk(100_000)
    events = [int(track.t_ms[i]) + 3 for i in (5, 12_345, 50_000, 99_990)]
    keep = must_keep(track, events, GAP_MS)
    chosen = set(decimate(track.lon, track.lat, keep, 4_000).tolist())
    assert len(chosen) <= 4_000
    assert len(chosen) >= 1_000  # thinned, not emptied
    assert {0, 99_999} <= chosen
    for gap in (100_000 // 3, 2 * 100_000 // 3):
        assert {gap - 1, gap} <= chosen  # the silence's last report before and first after
    for i in (5, 12_345, 50_000, 99_990):
        assert {i, i + 1} <= chosen  # the reports either side of the event's time


def test_must_keep_marks_exactly_the_ends_the_silences_and_the_events() -> None:
    track = random_walk(1_000)
    keep = must_keep(track, [int(track.t_ms[500]) + 1], GAP_MS)
    assert set(np.flatnonzero(keep).tolist()) == {0, 999, 332, 333, 665, 666, 500, 501}


def test_a_short_track_is_drawn_whole() -> None:
    track = random_walk(300)
    chosen = decimate(track.lon, track.lat, must_keep(track, [], GAP_MS), 500)
    assert chosen.tolist() == list(range(300))


def test_a_track_entry_gives_parallel_arrays_breaks_and_its_size_before() -> None:
    track = random_walk(100_000)
    entry = track_json(352000777, "X", track, [], 3_000, GAP_MS)
    arrays = entry["track"]
    assert entry["decimated_from"] == 100_000 and entry["points"] <= 3_000
    assert len(arrays["t"]) == len(arrays["lon"]) == len(arrays["lat"]) == len(arrays["sog"])
    assert arrays["t"] == sorted(arrays["t"]) and arrays["t"][0] == T0 // 1000
    assert None in arrays["sog"]  # no speed reported: null, not NaN (JSON has no NaN)
    assert len(entry["breaks"]) == 2
    for i in entry["breaks"]:
        assert arrays["t"][i + 1] - arrays["t"][i] >= 12 * 3600


def test_events_and_gaps_as_the_map_gets_them() -> None:
    ends = {"end_lat": 38.5, "end_lon": 124.5}
    gap = Event("gap", 1, T0, T0 + 13 * HOUR_MS, 38.0, 124.0,
                details={"hours": 13.0, "open": False, **ends, "distance_km": 60.1})  # fmt: skip
    met = Event("encounter", 1, T0, T0 + HOUR_MS, 38.1, 124.1, other_mmsi=2,
                details={"hours": 1.0, "min_distance_m": 80.0})  # fmt: skip
    names: dict[int, str | None] = {2: "<img src=x onerror=alert(1)>"}
    assert gaps_json([gap, met]) == [
        {"mmsi": 1, "start": T0 // 1000, "end": T0 // 1000 + 13 * 3600,
         "from": [124.0, 38.0], "to": [124.5, 38.5], "hours": 13.0}]  # fmt: skip
    listed = events_json([gap, met], names)
    assert [e["type"] for e in listed] == ["gap", "encounter"]
    assert listed[1]["partner"] == names[2] and listed[1]["end"] == T0 // 1000 + 3600
    assert event_text(gap, names) == "AIS gap 13.0 h, 60.1 km"
    # plain text, the name as it was broadcast: the map shows it with setText
    assert event_text(met, names) == (
        "Encounter with <img src=x onerror=alert(1)> (2), 1.0 h, closest 80 m"
    )
