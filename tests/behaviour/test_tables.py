"""The event store's declared tables read what ``detect`` stores today, typed, and write it
back identically (one day of the rajin scenario: open and closed events, encounters with a
second vessel, port calls with a port)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.tables import EVENT_TABLES, DetectorStateRow, EventRow
from sanctionwatch.cli import cli
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params
from tests.behaviour.support import simulated_store


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The event store ``detect`` wrote, and the events it printed."""
    tmp = tmp_path_factory.mktemp("events")
    store, _ = simulated_store(tmp, vessels=12, days=1)
    store.close()
    result = CliRunner().invoke(cli, ["--home", str(tmp / "home"), "detect"])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    return tmp / "home" / "ais" / "events.sqlite", printed


def open_events(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_event_rows_are_the_stored_events(detected: tuple[Path, list[dict[str, Any]]]) -> None:
    path, printed = detected
    with closing(open_events(path)) as db:
        rows = [from_row(EventRow, r) for r in db.execute(select_sql(EventRow))]
    assert {r.type for r in rows} >= {"gap", "port_call", "encounter"}
    # Both sides of every nullable column occur.
    for name in ("end_ms", "other_mmsi", "port"):
        assert {getattr(r, name) is None for r in rows} == {True, False}, name
    as_events = [
        Event(r.type, r.mmsi, r.start_ms, r.end_ms, r.lat, r.lon, r.other_mmsi, r.port,
              json.loads(r.details)).to_dict()
        for r in rows
    ]  # fmt: skip
    assert len(as_events) == len(printed) > 20
    assert sorted(map(json.dumps, as_events)) == sorted(map(json.dumps, printed))


def test_state_rows_say_what_each_detector_saw(
    detected: tuple[Path, list[dict[str, Any]]],
) -> None:
    with closing(open_events(detected[0])) as db:
        rows = [from_row(DetectorStateRow, r) for r in db.execute(select_sql(DetectorStateRow))]
    params = load_params()
    assert {r.detector for r in rows} == set(params)
    for row in rows:
        assert json.loads(row.params) == params[row.detector]
        assert row.ingest_id == 1 and row.data_end is not None and row.data_end > 10**12


def test_the_event_store_copied_through_the_declarations_is_identical(
    detected: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    with (
        closing(open_events(detected[0])) as db,
        closing(sqlite3.connect(tmp_path / "copy.sqlite")) as copy,
    ):
        copy.executescript(schema_sql(*EVENT_TABLES))
        for cls in EVENT_TABLES:
            rows = [from_row(cls, r) for r in db.execute(select_sql(cls))]
            copy.executemany(insert_sql(cls), [to_params(row) for row in rows])
            typeof = ", ".join(f"{c.name}, typeof({c.name})" for c in cls.__table__.columns)
            query = f"SELECT {typeof} FROM {cls.__table__.name} ORDER BY rowid"
            assert copy.execute(query).fetchall() == db.execute(query).fetchall()
