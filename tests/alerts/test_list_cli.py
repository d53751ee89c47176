"""`alerts list` on a home with no cases database (status new, and none is created), and on
a read-only home with one (its decisions read, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cases.triage import STATUSES, triage
from sanctionwatch.cli import cli
from sanctionwatch.cli_watch import ALERT_STATUSES
from sanctionwatch.config import Settings
from tests.cases.alerts_support import seed_alerts
from tests.lists.test_store_readonly import _read_only_runner, run_read_only
from tests.watch_support import CLEAN


def test_without_a_cases_database_every_alert_is_new_and_none_is_made(tmp_path: Path) -> None:
    assert ALERT_STATUSES == STATUSES
    home = tmp_path / "home"
    home.mkdir()
    ids = seed_alerts(home)
    runner = CliRunner(env={"SANCTIONWATCH_DATABASE_URL": None})
    listed = runner.invoke(cli, ["--home", str(home), "alerts", "list"])
    assert listed.exit_code == 0, listed.output
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids.values())
    assert {line["status"] for line in lines} == {"new"}
    for status, expected in (("new", len(ids)), ("accepted", 0), ("dismissed", 0)):
        result = runner.invoke(cli, ["--home", str(home), "alerts", "list", "--status", status])
        assert len(result.stdout.splitlines()) == expected
    assert not (home / "cases.sqlite").exists()


def test_a_read_only_home_with_a_cases_database_lists_its_decisions(tmp_path: Path) -> None:
    """A published home on a read-only mount: the cases database is read, not written."""
    home = tmp_path / "home"
    home.mkdir()
    ids = seed_alerts(home)
    settings = Settings(home=home)
    with CasesDatabase.open(settings) as db, db.begin() as session:
        triage(session, settings, cli_principal(), [ids[("risk_high", CLEAN)]], "unsure")
    before = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    listed = run_read_only((home, _read_only_runner(home)), "alerts", "list", "--status", "unsure")
    assert listed.returncode == 0, listed.stderr
    [line] = [json.loads(text) for text in listed.stdout.splitlines()]
    assert (line["id"], line["status"]) == (ids[("risk_high", CLEAN)], "unsure")
    assert {path: path.read_bytes() for path in home.rglob("*") if path.is_file()} == before
