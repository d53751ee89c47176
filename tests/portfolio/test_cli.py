"""`sanctionwatch portfolio add|list|rejected|screen`, driven as a user would, and on a
home that cannot be written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sanctionwatch.cli_portfolio import portfolio
from sanctionwatch.config import load_settings
from tests.cli_process import cli_env
from tests.lists.test_store_readonly import _read_only_runner
from tests.portfolio.conftest import write

CLIENTS = (
    "id,name,schema,imo\n"
    "c1,Kim Jong Un,Person,\n"
    "c2,,Person,\n"  # line 3: no name
    "c3,ANGARA,Vessel,IMO 9179842\n"
    "c4,Jane Q. Nobody,Person,\n"
)


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(portfolio, list(args), obj=load_settings(home))


@pytest.fixture
def home(lists_home: Path, tmp_path: Path) -> Path:
    """A home of this test's own with the real lists and their index."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("lists.sqlite", "screening-index.pickle"):
        shutil.copy(lists_home / name, home / name)
    return home


def test_add_list_screen(home: Path, tmp_path: Path) -> None:
    clients = write(tmp_path / "clients.csv", CLIENTS)
    added = run(home, "add", str(clients))
    assert added.exit_code == 0, added.output
    assert "4 rows: 3 added, 0 updated, 0 unchanged, 0 duplicate, 1 rejected" in added.stdout
    assert f"{clients}:3: empty name: 'c2,,Person,'" in added.stdout
    again = run(home, "add", str(clients), "--json")
    outcome = json.loads(again.stdout)
    assert (outcome["added"], outcome["unchanged"], outcome["counterparties"]) == (0, 3, 3)
    assert outcome["rejected"] == [{"line": 3, "reason": "empty name", "raw": "c2,,Person,"}]

    listed = [json.loads(line) for line in run(home, "list").stdout.splitlines()]
    assert [(c["id"], c["screened"], c["hits"]) for c in listed] == [
        ("c1", None, []), ("c3", None, []), ("c4", None, []),
    ]  # fmt: skip
    assert listed[1]["imo"] == "IMO 9179842" and listed[1]["line"] == 4

    first = run(home, "screen")
    assert first.exit_code == 0, first.output
    hits = [json.loads(line) for line in first.stdout.splitlines()]
    assert {(h["counterparty_id"], h["record"], h["status"]) for h in hits} >= {
        ("c1", "20157", "new"), ("c3", "37059", "new"),
    }  # fmt: skip
    assert "c4" not in {h["counterparty_id"] for h in hits}
    assert hits[0]["explanation"]["matched_name"] and hits[0]["version"]
    assert f"{len(hits)} hits, {len(hits)} new, 0 changed, 0 removed" in first.stderr
    second = run(home, "screen", "--format", "table")
    assert "unchanged" in second.stdout and "new" not in second.stdout.replace("unchanged", "")
    assert f"{len(hits)} hits, 0 new, 0 changed, 0 removed" in second.stderr
    # a higher threshold: hits below it are removed
    strict = run(home, "screen", "--threshold", "1.0")
    statuses = {json.loads(line)["status"] for line in strict.stdout.splitlines()}
    assert statuses <= {"unchanged", "removed"}

    table = run(home, "list", "--format", "table").stdout
    assert "ANGARA (ofac_sdn:37059) 1.00" in table and "3 counterparties" in table
    rejected = [json.loads(line) for line in run(home, "rejected").stdout.splitlines()]
    assert rejected == [
        {"file": str(clients.resolve()), "line": 3, "reason": "empty name", "raw": "c2,,Person,"}
    ]


def test_errors_are_messages(home: Path, tmp_path: Path) -> None:
    missing = run(home, "add", str(tmp_path / "missing.csv"))
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad = run(home, "add", str(write(tmp_path / "bad.csv", "full_name\nKim\n")))
    assert bad.exit_code == 2 and "needs a 'name' column" in bad.output
    assert "Traceback" not in bad.output + missing.output


def test_screen_without_lists_says_so(tmp_path: Path) -> None:
    done = run(tmp_path, "screen")
    assert done.exit_code == 1 and "no lists loaded" in done.output


def test_list_on_a_fresh_home_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    home.mkdir()
    done = run(home, "list")
    assert done.exit_code == 0 and done.stdout == ""
    assert list(home.iterdir()) == []


def test_a_read_only_home_is_listed_and_not_written(home: Path, tmp_path: Path) -> None:
    clients = write(tmp_path / "clients.csv", CLIENTS)
    assert run(home, "add", str(clients)).exit_code == 0
    assert run(home, "screen").exit_code == 0
    assert not list(home.glob("*-wal"))
    prefix = _read_only_runner(home)
    command = [
        *prefix, sys.executable, "-c",
        "import sys; from pathlib import Path; from sanctionwatch.cli_portfolio import portfolio;"
        "from sanctionwatch.config import load_settings;"
        "portfolio.main(sys.argv[2:], obj=load_settings(Path(sys.argv[1])))",
        str(home),
    ]  # fmt: skip

    def read_only(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, env=cli_env(), timeout=120
        )

    listed = read_only("list")
    assert listed.returncode == 0, listed.stderr
    by_id = {c["id"]: c for c in map(json.loads, listed.stdout.splitlines())}
    assert [h["record"] for h in by_id["c3"]["hits"]] == ["37059"]
    assert read_only("rejected").returncode == 0
    for args in (["add", str(clients)], ["screen"]):
        refused = read_only(*args)
        assert refused.returncode == 1 and "is read-only" in refused.stderr, refused.stderr
