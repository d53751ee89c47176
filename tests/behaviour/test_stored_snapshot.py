"""Incremental detection reads its views and its ingest watermark from one snapshot.

Finding: an ingest that committed after ``detect`` had built its views (the list of Parquet
files) but before it read the last ingest id made that id the watermark, so the next run
said "nothing new" and the new positions were never looked at (86 events stored against
152 with ``--full``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.simulate import simulate


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three days of the rajin scenario, one NMEA file per day."""
    result = simulate(tmp_path_factory.mktemp("sim"), days=3, vessels=24, seed=11, formats=["nmea"])
    return sorted(result.files["nmea"])


def stored_events(home: Path, files: list[Path]) -> list[str]:
    """Every file ingested, then one (full) detection: what the stored events must be."""
    with open_store(home) as store:
        for path in files:
            ingest_file(store, Source(path))
        with EventStore(store) as events:
            with store.snapshot() as snapshot:
                events.update(DuckDBEngine(store), load_params(), snapshot=snapshot)
            return sorted(str(e.to_dict()) for e in events.events())


def test_an_ingest_committed_while_detect_builds_its_views_is_seen_next_time(
    tmp_path: Path, days: list[Path]
) -> None:
    expected = stored_events(tmp_path / "full", days)
    home = tmp_path / "home"
    with open_store(home) as store, EventStore(store) as events:
        for path in days[:2]:
            ingest_file(store, Source(path))
        with store.snapshot() as snapshot:
            events.update(DuckDBEngine(store), load_params(), snapshot=snapshot)
        with store.snapshot() as snapshot:
            engine = DuckDBEngine(store)  # the views: the first two days
            with open_store(home) as other:  # another process's ingest commits now
                assert ingest_file(other, Source(days[2])).accepted > 0
            reports = events.update(engine, load_params(), snapshot=snapshot)
        assert {r.mode for r in reports} == {"unchanged"}  # nothing new in ITS snapshot
        with store.snapshot() as snapshot:
            reports = events.update(DuckDBEngine(store), load_params(), snapshot=snapshot)
        assert {r.mode for r in reports} == {"incremental"}
        assert sorted(str(e.to_dict()) for e in events.events()) == expected
