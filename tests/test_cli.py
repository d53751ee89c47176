"""The command line, driven as a user would: load, status, diff, rejected, export, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
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


DMA_SAMPLE = Path(__file__).parent / "data" / "ais" / "csv" / "dma_aisdk_20180208_10rows.csv"
CLEAR_SCREEN = "\x1b[2J"
OSC8_LINK = "\x1b]8;;https://e.x/\x1b\\x\x1b]8;;\x1b\\"


def test_data_reaches_the_terminal_without_its_escape_sequences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real DMA sample, with one vessel's call sign, name and destination made hostile,
    # in a file whose name clears the screen.
    lines = DMA_SAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        cells = line.split(",")
        if cells[3] == "265177000":
            cells[12] = f"CALL{CLEAR_SCREEN}"
            cells[13] = f"[bold red]KOMID[/] {OSC8_LINK}"
            cells[20] = "NAMPO\u202eOPMAN"
            lines[index] = ",".join(cells)
    monkeypatch.chdir(tmp_path)  # a short relative name: table cells do not wrap
    source = Path(f"evil{CLEAR_SCREEN}.csv")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    outputs = []
    for args in (
        ("ais", "ingest", str(source)),
        ("ais", "vessels", "--mmsi", "265177000"),
        ("ais", "status"),
        ("lists", "load", str(tmp_path / f"missing{CLEAR_SCREEN}.xml")),
    ):
        code, out = _run(home, *args)
        assert "Traceback" not in out
        outputs.append(out)
    ingest, vessels, status, missing = outputs
    for out in outputs:
        assert "\x1b" not in out and "\u202e" not in out
    assert "evil\\u001b[2J.csv" in ingest and "evil\\u001b[2J.csv" in status
    assert "CALL\\u001b[2J" in vessels
    assert "[BOLD RED]KOMID[/]" in vessels  # AIS names are upper case; markup stays text
    assert "\\u001b]8;;HTTPS://E.X/" in vessels
    assert "NAMPO\\u202eOPMAN" in vessels
    assert "missing\\u001b[2J.xml" in missing
    code, out = _run(home, "ais", "vessels", "--mmsi", "265177000", "--json")
    assert code == 0
    [vessel] = [json.loads(line) for line in out.splitlines()]
    assert vessel["identities"][0]["callsign"] == f"CALL{CLEAR_SCREEN}"  # JSON: the data as is


def test_ais_track_csv_never_holds_a_live_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real AMSA sentence, its tag block's station (s:) set to a formula, checksum redone;
    # the file's name is a formula too.
    tag = 's:=HYPERLINK("https://e.x/"),c:1420030798'
    checksum = 0
    for char in tag:
        checksum ^= ord(char)
    monkeypatch.chdir(tmp_path)
    source = Path("@SUM(1+1).nmea")
    source.write_text(
        f"\\{tag}*{checksum:02X}\\!ABVDM,1,1,4,B,17P;HV?P008F98Il;EC1mOwL0@KP,0*22\n",
        encoding="ascii",
    )
    home = tmp_path / "home"
    assert _run(home, "ais", "ingest", str(source))[0] == 0
    code, out = _run(home, "ais", "track", "503503000", "--format", "csv")
    assert code == 0, out
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["station"] == '\'=HYPERLINK("https://e.x/")'
    assert row["source"] == "'@SUM(1+1).nmea"
    assert row["lat"] == "-20.66206" and row["mmsi"] == "503503000"  # numbers untouched


def test_rejected_rows_reach_the_terminal_escaped_and_the_json_unchanged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sdn = tmp_path / "set" / "sdn.csv"
    sdn.parent.mkdir()
    rows = (OFAC_SET_2021 / "sdn.csv").read_bytes().split(b"\r\n")
    hostile = "\x9b2J\u202eRLO\x7f"  # C1 CSI (a terminal may obey it), a bidi override, DEL
    rows[5] = rows[5] + f',"{hostile}"'.encode()
    sdn.write_bytes(b"\r\n".join(rows))
    assert _run(home, "lists", "load", str(sdn), "--list-version", "2021-07-07")[0] == 0
    code, out = _run(home, "lists", "rejected", "ofac_sdn")
    assert code == 0
    assert not any(char in out for char in "\x9b\u202e\x7f")
    [rejected] = [json.loads(line) for line in out.splitlines()]
    assert hostile in rejected["raw"]  # the same JSON value, written with escapes
