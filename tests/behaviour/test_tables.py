"""The event store's declared tables read what ``detect`` stores today, typed, and write it
back identically (one day of the rajin scenario: open and closed events, encounters with a
second vessel, port calls with a port)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.behaviour.tables import EVENT_TABLES, DetectorStateRow, EventRow
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params
from tests.behaviour.support import simulated_store


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EventStore]:
    store, _ = simulated_store(tmp_path_factory.mktemp("events"), vessels=12, days=1)
    with closing(store), closing(EventStore(store)) as opened:
        opened.update(DuckDBEngine(store), load_params())
        yield opened


def test_event_rows_are_the_stored_events(events: EventStore) -> None:
    rows = [from_row(EventRow, r) for r in events.db.execute(select_sql(EventRow))]
    assert {r.type for r in rows} >= {"gap", "port_call", "encounter"}
    # Both sides of every nullable column occur.
    for name in ("end_ms", "other_mmsi", "port"):
        assert {getattr(r, name) is None for r in rows} == {True, False}, name
    as_events = [
        Event(r.type, r.mmsi, r.start_ms, r.end_ms, r.lat, r.lon, r.other_mmsi, r.port,
              json.loads(r.details))
        for r in rows
    ]  # fmt: skip
    as_events.sort(key=lambda e: (e.start_ms, e.mmsi, e.type, e.other_mmsi or 0, e.port or ""))
    assert as_events == events.events()


def test_state_rows_say_what_each_detector_saw(events: EventStore) -> None:
    rows = [from_row(DetectorStateRow, r) for r in events.db.execute(select_sql(DetectorStateRow))]
    params = load_params()
    assert {r.detector for r in rows} == set(params)
    for row in rows:
        assert json.loads(row.params) == params[row.detector]
        assert row.ingest_id == 1 and row.data_end is not None and row.data_end > 10**12


def test_the_event_store_copied_through_the_declarations_is_identical(
    events: EventStore, tmp_path: Path
) -> None:
    with closing(sqlite3.connect(tmp_path / "copy.sqlite")) as copy:
        copy.executescript(schema_sql(*EVENT_TABLES))
        for cls in EVENT_TABLES:
            rows = [from_row(cls, r) for r in events.db.execute(select_sql(cls))]
            copy.executemany(insert_sql(cls), [to_params(row) for row in rows])
            typeof = ", ".join(f"{c.name}, typeof({c.name})" for c in cls.__table__.columns)
            query = f"SELECT {typeof} FROM {cls.__table__.name} ORDER BY rowid"
            assert copy.execute(query).fetchall() == events.db.execute(query).fetchall()
