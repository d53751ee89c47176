"""The list store: versions, idempotent loads, and atomicity under kill -9."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.conftest import OFAC_SDN_2024, UK_OFSI_2018, UN_2018, UN_2026, store_state


def test_loading_the_same_file_twice_changes_nothing(store: ListStore) -> None:
    [first] = load_lists(store, [UN_2026])
    before = store_state(store)
    [second] = load_lists(store, [UN_2026])
    assert first.created is True
    assert second.created is False
    assert second.version.id == first.version.id
    assert store_state(store) == before
    assert [v.version for v in store.versions("un")] == ["2026-02-27"]


def test_each_load_of_a_list_is_a_version_ordered_by_publication_date(store: ListStore) -> None:
    load_lists(store, [UN_2026])
    load_lists(store, [UN_2018])  # loaded later, published earlier
    versions = store.versions("un")
    assert [v.version for v in versions] == ["2018-10-29", "2026-02-27"]
    assert all(v.version_source == "content" for v in versions)
    assert store.find_version("un").version == "2026-02-27"
    assert store.previous_version(versions[1]) == versions[0]


def test_entities_keep_their_provenance(store: ListStore) -> None:
    [outcome] = load_lists(store, [UN_2026])
    entities = {e.entity_id: e for e in store.iter_entities(outcome.version.id)}
    kim = entities["un-kpi-033"]
    assert kim.record_id == "KPi.033"
    assert kim.source.startswith("un_consolidated_2026-02-27.xml:")
    assert outcome.version.files[0]["name"] == "un_consolidated_2026-02-27.xml"
    assert len(outcome.version.files[0]["sha256"]) == 64


def _load_in_subprocess(home: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sanctionwatch", "--home", str(home), "lists", "load", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_during_a_load_leaves_the_previous_state(tmp_path: Path) -> None:
    home = tmp_path / "home"
    subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--home", str(home), "lists", "load", str(UN_2018)],
        check=True,
        capture_output=True,
    )
    with ListStore(home / "lists.sqlite") as store:
        before = store_state(store)

    # Measure how long a full load takes, then kill loads at points spread over that time:
    # some die while parsing, some while writing. Each killed load must leave no trace.
    probe_home = tmp_path / "probe"
    started = time.monotonic()
    assert _load_in_subprocess(probe_home, OFAC_SDN_2024).wait() == 0
    duration = time.monotonic() - started
    with ListStore(probe_home / "lists.sqlite") as store:
        after = sorted(before + store_state(store))  # the previous state plus a complete load

    # One probe is a noisy measure of a load's time on a busy machine (CI once saw a load
    # commit before 0.65 of it): the early points make sure several kills land before.
    killed_before_commit = 0
    for fraction in (0.15, 0.3, 0.45, 0.6, 0.75, 0.85, 0.9, 0.95, 1.0):
        process = _load_in_subprocess(home, OFAC_SDN_2024)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with ListStore(home / "lists.sqlite") as store:
            state = sorted(store_state(store))
        # Killed before its commit: no trace. Killed after it (or finished): complete.
        assert state in (sorted(before), after)
        if state == after:
            break
        killed_before_commit += 1
    assert killed_before_commit >= 3
    with sqlite3.connect(home / "lists.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if text.encode() in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_during_a_parallel_load_leaves_nothing_and_no_orphans(tmp_path: Path) -> None:
    home = tmp_path / "parallel-home"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "sanctionwatch", "--home", str(home), "lists", "load"),
            *(str(UN_2018), str(OFAC_SDN_2024), str(UK_OFSI_2018)),  # three formats: workers
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(_processes_mentioning(str(home))) < 3:  # the parent and two parser workers
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while _processes_mentioning(str(home)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(home)) == []
    with ListStore(home / "lists.sqlite") as store:
        assert store.list_names() == []
