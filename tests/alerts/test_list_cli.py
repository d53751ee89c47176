"""`alerts list` on a home with no cases database: status new, and none is created."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sanctionwatch.cases.triage import STATUSES
from sanctionwatch.cli import cli
from sanctionwatch.cli_watch import ALERT_STATUSES
from tests.cases.alerts_support import seed_alerts


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
