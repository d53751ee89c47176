"""A home that cannot be written (a published store on a read-only mount), and a disk that
fills up during a load.

Read-only for real: tests run as root in CI, and root ignores file modes, so as root the
home is bind-mounted read-only onto itself in a private mount namespace (``unshare -m``),
and every command runs inside it; as any other user, ``chmod -R a-w`` does the same job.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from sanctionwatch.errors import StoreError
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.ais.test_csv_ingest import DMA_10, MC_1000
from tests.cli_process import COMMAND, cli_env, run_cli
from tests.conftest import FIXTURES, store_state

UN_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"
UK_SAMPLE = FIXTURES / "uk" / "uk_sanctions_list_sample.csv"
FTM_EXCERPT = FIXTURES / "ftm" / "opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json"


def _read_only_runner(home: Path) -> list[str]:
    """A command prefix that runs what follows with ``home`` read-only, or skip."""
    if os.geteuid() != 0:
        subprocess.run(["chmod", "-R", "a-w", str(home)], check=True)
        return []
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a read-only mount")
    quoted = shlex.quote(str(home))
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind {quoted} {quoted} && mount -o remount,bind,ro {quoted} {quoted} "
            f"&& ! touch {quoted}/probe",
        ],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot bind-mount read-only here: {probe.stderr.decode()[:200]}")
    return [
        "unshare",
        "-m",
        "sh",
        "-c",
        f"mount --bind {quoted} {quoted} && mount -o remount,bind,ro {quoted} {quoted} "
        '&& exec "$@"',
        "sh",
    ]


@pytest.fixture(scope="module")
def read_only_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A home with lists, an index and AIS positions, then made read-only."""
    home = tmp_path_factory.mktemp("published") / "home"
    for args in (
        ["lists", "load", str(UN_EXCERPT)],
        ["lists", "load", str(UK_SAMPLE)],
        ["ais", "ingest", str(DMA_10), str(MC_1000)],
    ):
        done = run_cli(home, *args)
        assert done.returncode == 0, done.stderr
    screened = subprocess.run(
        [*COMMAND, "--home", str(home), "screen", "-"],
        input="name\nOcean Maritime Management\n",
        capture_output=True,
        text=True,
        env=cli_env(),
        check=False,
    )
    assert screened.returncode == 0, screened.stderr
    assert not list(home.rglob("*-wal"))  # every writer closed cleanly: no WAL to replay
    return home, _read_only_runner(home)


def run_read_only(
    setup: tuple[Path, list[str]], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    home, prefix = setup
    return subprocess.run(
        [*prefix, *COMMAND, "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=120,
        check=False,
    )


def test_the_home_really_is_read_only(read_only_home: tuple[Path, list[str]]) -> None:
    home, prefix = read_only_home
    probe = subprocess.run(
        [*prefix, "touch", str(home / "probe")], capture_output=True, check=False
    )
    assert probe.returncode != 0


def test_list_commands_work_on_a_read_only_home(
    read_only_home: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """Finding: a read-only home refused every command, `lists status` included."""
    status = run_read_only(read_only_home, "lists", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert {s["list"] for s in json.loads(status.stdout)} == {"un", "uk_sanctions_list"}
    diff = run_read_only(read_only_home, "lists", "diff", "un", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["added"]
    rejected = run_read_only(read_only_home, "lists", "rejected", "un")
    assert rejected.returncode == 0, rejected.stderr
    out = tmp_path / "un.ftm.json"
    export = run_read_only(read_only_home, "lists", "export", "--list", "un", "--out", str(out))
    assert export.returncode == 0, export.stderr
    [un] = [s for s in json.loads(status.stdout) if s["list"] == "un"]
    assert len(out.read_text("utf-8").splitlines()) == un["entities"]


def test_screen_works_on_a_read_only_home(read_only_home: tuple[Path, list[str]]) -> None:
    """Finding: `screen` refused to run on a read-only home."""
    done = run_read_only(read_only_home, "screen", "-", stdin="name\nOcean Maritime Management\n")
    assert done.returncode == 0, done.stderr
    [result] = [json.loads(line) for line in done.stdout.splitlines()]
    assert "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED" in json.dumps(result["matches"])


def test_ais_commands_work_on_a_read_only_home(read_only_home: tuple[Path, list[str]]) -> None:
    status = run_read_only(read_only_home, "ais", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["totals"]["positions"] == 1008
    vessels = run_read_only(read_only_home, "ais", "vessels", "--json")
    assert vessels.returncode == 0, vessels.stderr
    assert len(vessels.stdout.splitlines()) == json.loads(status.stdout)["totals"]["vessels"]
    track = run_read_only(read_only_home, "ais", "track", "244678000")
    assert track.returncode == 0, track.stderr
    assert json.loads(track.stdout)["features"]


def test_writers_say_clearly_that_the_home_is_read_only(
    read_only_home: tuple[Path, list[str]],
) -> None:
    for args in (["ais", "ingest", str(DMA_10)], ["detect"], ["lists", "load", str(UK_SAMPLE)]):
        done = run_read_only(read_only_home, *args)
        assert done.returncode == 1, done.stdout
        assert "is read-only" in done.stderr and "Traceback" not in done.stderr


def test_a_full_disk_during_a_load_is_a_clean_error_and_changes_nothing(tmp_path: Path) -> None:
    """Finding: SQLITE_FULL rolled the load back, then our ROLLBACK failed: a raw traceback
    ("cannot rollback - no transaction is active"). ``max_page_count`` caps the file the way
    a full disk does: SQLite reports the same SQLITE_FULL."""
    home = tmp_path / "home"
    with ListStore(home / "lists.sqlite") as store:
        load_lists(store, [UN_EXCERPT], workers=1)
        before = store_state(store)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError) as caught:
            load_lists(store, [FTM_EXCERPT], workers=1)
        assert caught.value.message == (
            f"disk full while writing {home / 'lists.sqlite'}; nothing was loaded"
        )
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        assert store_state(store) == before
    with ListStore(home / "lists.sqlite") as reopened:
        assert store_state(reopened) == before
        load_lists(reopened, [FTM_EXCERPT], workers=1)  # with room again, it loads
        assert len(store_state(reopened)) == len(before) + 1
