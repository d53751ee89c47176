"""The command line, driven as a user would: load, status, diff, rejected, export, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from followthemoney import model

from sanctionwatch.cli import cli
from tests.conftest import OFAC_SET_2021, UN_2018, UN_2026


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.output


def test_load_status_diff_and_export(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, out = _run(home, "lists", "load", str(UN_2018))
    assert code == 0, out
    assert "un 2018-10-29 (date from content)" in out and "(first version)" in out
    code, out = _run(home, "lists", "load", str(UN_2026), "--json")
    assert code == 0, out
    [loaded] = json.loads(out)
    assert loaded["list"] == "un" and loaded["created"] is True
    assert loaded["changes"]["added"] > 0

    code, out = _run(home, "lists", "status", "--json")
    assert code == 0, out
    [un] = json.loads(out)
    assert un["versions"] == ["2018-10-29", "2026-02-27"]
    assert un["dprk"] == {"Organization": 75, "Person": 80}
    assert un["schemata"]["Person"] == 730

    code, out = _run(home, "lists", "diff", "un", "--format", "json")
    assert code == 0, out
    diff = json.loads(out)
    assert (diff["from"], diff["to"]) == ("2018-10-29", "2026-02-27")
    assert diff["summary"]["changed"] == len(diff["changed"]) > 0
    code, table = _run(home, "lists", "diff", "un", "--from", "2018-10-29", "--to", "2026-02-27")
    assert code == 0 and "Changed" in table and "2018-10-29 -> 2026-02-27" in table
    assert "un-kpi-033" in table or "un-kpe" in table  # DPRK parties changed
    assert "-sanction " not in table  # parties only, unless --all
    code, everything = _run(home, "lists", "diff", "un", "--all")
    assert code == 0 and "-sanction " in everything

    out_file = tmp_path / "un.ftm.json"
    code, out = _run(
        home, "lists", "export", "--list", "un", "--format", "ftm", "--out", str(out_file)
    )
    assert code == 0, out
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == un["entities"]
    for line in lines:  # followthemoney itself accepts every entity written
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.name == data["schema"]
        for prop in data["properties"]:
            assert proxy.schema.get(prop) is not None, prop


def test_rejected_rows_are_kept_and_shown(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sdn = tmp_path / "set" / "sdn.csv"
    sdn.parent.mkdir()
    rows = (OFAC_SET_2021 / "sdn.csv").read_bytes().split(b"\r\n")
    rows[5] = rows[5] + b',"an extra column"'
    sdn.write_bytes(b"\r\n".join(rows))
    code, out = _run(home, "lists", "load", str(sdn), "--list-version", "2021-07-07")
    assert code == 0, out
    assert "1 rows rejected" in out
    code, out = _run(home, "lists", "rejected", "ofac_sdn")
    [rejected] = [json.loads(line) for line in out.splitlines()]  # JSON lines
    assert rejected["file"] == "sdn.csv" and rejected["line"] == 6
    assert "column" in rejected["reason"]


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    code, out = _run(home, "lists", "load", str(junk))
    assert code == 2
    assert "not a list format sanctionwatch reads" in out
    assert "Traceback" not in out
    code, out = _run(home, "lists", "diff", "eu")
    assert code == 1 and "no list called 'eu'" in out
    code, out = _run(home, "lists", "load", str(UN_2026), "--list-version", "27/02/2026")
    assert code == 2 and "not an ISO date" in out


def test_help_everywhere() -> None:
    for args in (["--help"], ["lists", "--help"], ["lists", "load", "--help"], ["demo", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0
        assert "Usage:" in result.output
