"""The home's writer lock: one holder, who says who it is; waiting, timing out, and the
settings that bound the wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionwatch import home_lock
from sanctionwatch.config import load_settings
from sanctionwatch.errors import InputError, StoreError
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.cli_process import cli_env
from tests.conftest import FIXTURES

HOLD = r"""
import sys
from pathlib import Path
from sanctionwatch.home_lock import acquire
with acquire(Path(sys.argv[1]), "ais ingest", 0):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


def test_the_holder_is_named_and_a_second_taker_is_refused(tmp_path: Path) -> None:
    with home_lock.acquire(tmp_path, "lists load", 0) as lock:
        assert lock.held
        holder = json.loads((tmp_path / "writer.lock").read_text("utf-8"))
        assert (holder["pid"], holder["command"]) == (os.getpid(), "lists load")
        assert home_lock.try_acquire(tmp_path, "detect") is None  # even in this process
        with pytest.raises(StoreError) as refused:
            home_lock.acquire(tmp_path, "detect", 0)
        assert refused.value.message.startswith(
            f"cannot run 'detect': {tmp_path} is being written by pid {os.getpid()} "
            f"(lists load, since {holder['since']}); gave up."
        )
    assert not lock.held
    assert (tmp_path / "writer.lock").read_text("utf-8") == ""
    with home_lock.acquire(tmp_path, "detect", 0):
        pass


def test_a_waiting_writer_says_so_once_then_times_out(tmp_path: Path) -> None:
    messages: list[str] = []
    with home_lock.acquire(tmp_path, "ais ingest", 0), pytest.raises(StoreError) as timed_out:
        home_lock.acquire(tmp_path, "detect", 0.3, notify=messages.append)
    assert messages == [
        f"waiting for the writer lock on {tmp_path} held by pid {os.getpid()} (ais ingest, "
        f"since {messages[0].split('since ')[1].split(')')[0]}) (up to 0.3 s)"
    ]
    assert "gave up after waiting 0.3 s" in timed_out.value.message


def test_the_lock_goes_with_its_holder_however_it_ends(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    assert home_lock.try_acquire(tmp_path, "detect") is None
    assert home_lock.read_holder(tmp_path).pid == holder.pid
    holder.kill()  # no clean-up code runs: the kernel drops the flock
    holder.wait()
    lock = home_lock.try_acquire(tmp_path, "detect")
    assert lock is not None
    lock.release()


def test_a_list_load_waits_for_the_writer_lock(tmp_path: Path) -> None:
    with ListStore(tmp_path / "lists.sqlite", lock_timeout_s=0) as store:
        with home_lock.acquire(tmp_path, "ais ingest", 0), pytest.raises(StoreError):
            load_lists(store, [FIXTURES / "un" / "un_dprk_excerpt.xml"], workers=1)
        assert store.list_names() == []  # nothing half-written
        load_lists(store, [FIXTURES / "un" / "un_dprk_excerpt.xml"], workers=1)
        assert store.list_names() == ["un"]


def test_lock_timeout_from_config_then_environment(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}).lock_timeout_seconds == 600.0
    (tmp_path / "config.toml").write_text("[store]\nlock_timeout_seconds = 5\n", "utf-8")
    assert load_settings(tmp_path, environ={}).lock_timeout_seconds == 5.0
    env = {"SANCTIONWATCH_LOCK_TIMEOUT_SECONDS": "0"}
    assert load_settings(tmp_path, environ=env).lock_timeout_seconds == 0.0
    for bad in ("soon", "-1", "nan"):
        with pytest.raises(InputError, match="lock_timeout_seconds"):
            load_settings(tmp_path, environ={"SANCTIONWATCH_LOCK_TIMEOUT_SECONDS": bad})
