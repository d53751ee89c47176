"""Stored events: incremental runs give exactly the events of one full run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.simulate import SimulationResult, simulate


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three days of the rajin scenario, one NMEA file per day."""
    out = tmp_path_factory.mktemp("sim")
    result: SimulationResult = simulate(out, days=3, vessels=24, seed=11, formats=["nmea"])
    files = sorted(result.files["nmea"])
    assert len(files) == 3
    return files


def dicts(events: list) -> list[dict]:
    return [e.to_dict() for e in events]


def update(store: PositionStore) -> tuple[EventStore, list]:
    events = EventStore(store)
    with store.snapshot() as snapshot:
        reports = events.update(DuckDBEngine(store), load_params(), snapshot=snapshot)
    return events, reports


def full_run(tmp_path: Path, files: list[Path]) -> list[dict]:
    store = open_store(tmp_path / "full")
    for path in files:
        ingest_file(store, Source(path))
    everything = detect(DuckDBEngine(store), load_params())
    events, _ = update(store)
    stored = events.events()
    # The stored events are the detectors' events, nothing lost or added in storage.
    assert sorted(map(str, dicts(stored))) == sorted(map(str, dicts(everything)))
    return dicts(stored)


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1)], ids=["in order", "late data"])
def test_incremental_runs_equal_one_full_run(
    tmp_path: Path, days: list[Path], order: tuple[int, ...]
) -> None:
    expected = full_run(tmp_path, days)
    assert {e["type"] for e in expected} >= {"gap", "port_call", "loitering", "draught_change"}
    store = open_store(tmp_path / "incremental")
    modes = []
    for index in order:
        ingest_file(store, Source(days[index]))
        events, reports = update(store)
        modes.append({r.mode for r in reports})
        events.close()
    assert modes[0] == {"full"}
    assert modes[1:] == [{"incremental"}] * (len(order) - 1)
    events, reports = update(store)
    assert {r.mode for r in reports} == {"unchanged"}
    assert dicts(events.events()) == expected


def test_a_gap_open_at_the_boundary_is_closed_not_duplicated(
    tmp_path: Path, days: list[Path]
) -> None:
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(days[0]))
    events, _ = update(store)
    open_gaps = {e.mmsi: e for e in events.events(only=["gap"]) if e.end_ms is None}
    assert open_gaps, "someone is silent at the end of the first day"
    ingest_file(store, Source(days[1]))
    events, reports = update(store)
    [gap_report] = [r for r in reports if r.detector == "gap"]
    assert gap_report.mode == "incremental"
    assert gap_report.recomputed_from_ms is not None
    assert gap_report.recomputed_from_ms <= min(e.start_ms for e in open_gaps.values())
    after = events.events(only=["gap"])
    for mmsi, before in open_gaps.items():
        same_start = [e for e in after if e.mmsi == mmsi and e.start_ms == before.start_ms]
        assert len(same_start) == 1, (mmsi, same_start)


def test_other_parameters_recompute_in_full_and_window_filters(
    tmp_path: Path, days: list[Path]
) -> None:
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(days[0]))
    events, _ = update(store)
    params = load_params()
    params["gap"]["min_hours"] = 8.0
    with store.snapshot() as snapshot:
        [report] = events.update(DuckDBEngine(store), params, only=["gap"], snapshot=snapshot)
    assert report.mode == "full"
    assert all((e.details["hours"] >= 8.0) for e in events.events(only=["gap"]))
    everything = events.events()
    start, end = everything[0].start_ms, everything[-1].start_ms
    middle = events.events(Window(start + 1, end))
    # Overlapping the window: started before its end, not ended before its start.
    overlapping = [e for e in everything if e.start_ms < end and (e.end_ms or end) >= start + 1]
    assert middle == overlapping
    assert everything[-1] not in middle
    assert len(events.events(Window(end, None))) < len(everything)


def test_an_empty_store_has_no_events(tmp_path: Path) -> None:
    events, reports = update(open_store(tmp_path / "home"))
    assert {r.mode for r in reports} == {"full"}
    assert events.events() == []
    _, reports = update(events.store)
    assert {r.mode for r in reports} == {"unchanged"}


def test_a_stored_event_of_the_wrong_type_is_refused_not_read(tmp_path: Path) -> None:
    """The lean read trusts the column types it checked in SQL: a damaged row is a clear
    StoreError naming the file, never a wrong Event."""
    from sanctionwatch.errors import StoreError

    store = open_store(tmp_path / "home")
    with EventStore(store) as events:
        events.db.execute(
            "INSERT INTO event VALUES ('gap', 'not a number', NULL, 0, NULL, 1.0, 2.0, NULL,"
            " 'gap', '{}')"
        )
        with pytest.raises(StoreError) as caught:
            events.events()
        assert "events.sqlite: an event of 'gap' holds a value of the wrong type" in str(
            caught.value
        )
        events.db.execute("UPDATE event SET mmsi = 244000000")
        [event] = events.events()
        assert (event.type, event.mmsi, event.lat, event.details) == ("gap", 244000000, 1.0, {})
