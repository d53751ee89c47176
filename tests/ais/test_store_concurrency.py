"""One writer, many readers: what another process does while an ingest runs.

Each test stops an ingest at a chosen point (by wrapping a step of the writer) and runs
another ``sanctionwatch`` process there, so the interleaving is exact, not a race.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.ais.writer import IngestWriter
from tests.ais.test_csv_ingest import DMA_10, MC_1000
from tests.cli_process import run_cli, start_cli


def readers_run_during(
    monkeypatch: pytest.MonkeyPatch, step: str, home: Path, outputs: list[str]
) -> None:
    """Wrap ``IngestWriter.<step>`` so that reader processes (``ais status``, ``ais track``,
    ``ais vessels``), and then a writable open of the store, run at that point: after
    ``_wait`` (every part staged, none moved) or before ``_record`` (parts moved into place,
    the catalogue not yet told)."""
    original: Callable[..., Any] = getattr(IngestWriter, step)

    def wrapped(self: IngestWriter, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs) if step == "_wait" else None
        for command in (
            ["ais", "status", "--json"],
            ["ais", "track", "367306170"],
            ["ais", "vessels", "--json"],
        ):
            done = run_cli(home, *command)
            assert done.returncode == 0, done.stderr
            outputs.append(done.stdout)
        open_store(home).close()  # another writer-to-be opening the store
        return result if step == "_wait" else original(self, *args, **kwargs)

    monkeypatch.setattr(IngestWriter, step, wrapped)


def assert_catalogue_complete(home: Path) -> None:
    with open_store(home) as store:
        files = store.part_files()
        assert files and all(path.is_file() for path in files)
        for row in store.ingests():
            assert row.quarantine is None or (store.root / row.quarantine).is_file()


def test_readers_during_staging_leave_the_ingest_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: opening the store ran recovery, which deleted a running ingest's staging."""
    home = tmp_path / "home"
    outputs: list[str] = []
    # _wait returns when every part is staged, before any is moved into place.
    readers_run_during(monkeypatch, "_wait", home, outputs)
    store = open_store(home)
    counts = ingest_file(store, Source(MC_1000))
    store.close()
    assert counts.accepted == 998 and counts.rejected == 2
    assert json.loads(outputs[0])["totals"]["positions"] == 0  # nothing half-visible
    assert_catalogue_complete(home)


def test_readers_between_moving_parts_and_recording_them_delete_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding (the worst timing): the ingest said it succeeded, but a reader had deleted
    its parts and its quarantine file, so the catalogue listed missing files."""
    home = tmp_path / "home"
    outputs: list[str] = []
    readers_run_during(monkeypatch, "_record", home, outputs)
    store = open_store(home)
    counts = ingest_file(store, Source(MC_1000))
    store.close()
    assert counts.accepted == 998
    assert json.loads(outputs[0])["totals"]["positions"] == 0  # nothing half-visible
    assert_catalogue_complete(home)
    again = run_cli(home, "ais", "ingest", "--json", str(MC_1000))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["duplicates"] == 998


def _writer_in_progress(home: Path) -> IngestWriter:
    store = open_store(home)
    return IngestWriter(store, IngestCounts(file="held.csv", format="DMA CSV"), "held.csv", None)


def _finish(writer: IngestWriter) -> None:
    writer.commit([], None, "0" * 64, "2024-01-01T00:00:00+00:00")
    writer.store.close()


def test_a_second_ingest_does_not_take_the_same_ingest_id(tmp_path: Path) -> None:
    """Finding: two ingests on one home took the same id (MAX(id)+1 without a lock)."""
    home = tmp_path / "home"
    held = _writer_in_progress(home)
    assert held.ingest_id == 1
    refused = run_cli(home, "ais", "ingest", str(DMA_10), SANCTIONWATCH_LOCK_TIMEOUT_SECONDS="0")
    assert refused.returncode == 1
    assert f"is being written by pid {os.getpid()} (ais ingest, since " in refused.stderr
    assert "Traceback" not in refused.stderr
    _finish(held)
    done = run_cli(home, "ais", "ingest", "--json", str(DMA_10))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ingest_id"] == 2
    assert_catalogue_complete(home)


def test_a_second_writer_waits_says_who_it_waits_for_then_goes_on(tmp_path: Path) -> None:
    home = tmp_path / "home"
    held = _writer_in_progress(home)
    waiting = start_cli(home, "ais", "ingest", "--json", str(DMA_10))
    assert waiting.stderr is not None and waiting.stdout is not None
    line = waiting.stderr.readline()  # blocks until the second ingest says it waits
    assert line.startswith(f"waiting for the writer lock on {home.resolve()} held by pid ")
    assert f"pid {os.getpid()} (ais ingest, since " in line
    _finish(held)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert json.loads(out)["ingest_id"] == 2
