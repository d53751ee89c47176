"""`sanctionwatch screen` on hostile input: output a spreadsheet or terminal cannot be made to
run, one bad row never ending the batch, and input that cannot grow without bound."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sanctionwatch.cli import cli
from sanctionwatch.screening.batch_io import MAX_LINE_CHARS
from sanctionwatch.screening.names import MAX_NAME_CHARS

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/","KOMID")',
    "-2+3+cmd|' /C calc'!A0",
]
BAD_ROWS_EXIT = 3


def _screen(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "screen", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_csv_output_never_holds_a_live_formula(screening_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "q.jsonl"
    rows = [{"id": formula, "name": formula} for formula in FORMULAS]
    rows.append({"id": "-12.5", "name": "KOMID"})
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    code, out, _ = _screen(screening_home, str(source), "--format", "csv", "--threshold", "0.5")
    assert code == 0, out
    records = list(csv.DictReader(io.StringIO(out)))
    by_id = {record["id"]: record for record in records}
    for formula in FORMULAS:
        assert by_id["'" + formula]["query_name"] == "'" + formula
    komid = [record for record in records if record["query_name"] == "KOMID"]
    assert komid and all(record["id"] == "-12.5" for record in komid)  # a number stays one
    assert any(record["records"] == "un:KPe.001" for record in komid)
    for record in records:
        for cell in record.values():
            assert not cell or cell[0] not in "=+-@\t\r" or cell == "-12.5"


def test_table_output_prints_escape_sequences_and_markup_literally(
    screening_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "q.jsonl"
    names = [
        "KOMID\x1b[2J",
        "\x1b]8;;https://evil.example/\x1b\\KOMID\x1b]8;;\x1b\\",
        "[bold red]KOMID[/]",
        "KOMID\u202e",
    ]
    source.write_text("".join(json.dumps({"name": n}) + "\n" for n in names), encoding="utf-8")
    code, out, _ = _screen(screening_home, str(source), "--format", "table")
    assert code == 0, out
    assert "\x1b" not in out and "\u202e" not in out
    assert "KOMID\\u001b[2J" in out
    assert "\\u001b]8;;https://evil.example/" in out
    assert "[bold red]KOMID[/]" in out
    assert "KOMID\\u202e" in out


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("field", ["name", "id", "nationality"])
def test_a_lone_surrogate_is_that_rows_error(
    screening_home: Path, workers: str, field: str
) -> None:
    bad = {"name": "Kim Jong Un", field: "\ud800"}
    stdin = "".join(
        json.dumps(row) + "\n" for row in ({"name": "KOMID"}, bad, {"name": "Kim Jong Un"})
    )
    code, out, err = _screen(screening_home, "-", "--workers", workers, stdin=stdin)
    assert code == BAD_ROWS_EXIT, out + err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    assert rows[0]["matches"] and rows[2]["matches"]
    assert "lone surrogate" in rows[1]["error"] and rows[1]["matches"] == []
    assert rows[1]["query"][field] == "\ud800"  # echoed as it came, as a JSON escape
    assert "1 of 3 rows could not be screened" in err


def test_bad_rows_are_counted_and_the_exit_code_says_so(
    screening_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "q.csv"
    source.write_text(f"name\nKOMID\n\n{'A' * (MAX_NAME_CHARS + 1)}\n \n", encoding="utf-8")
    code, out, err = _screen(screening_home, str(source), "--format", "csv")
    assert code == BAD_ROWS_EXIT
    records = list(csv.DictReader(io.StringIO(out)))
    errors = [record["error"] for record in records if record["error"]]
    assert len(errors) == 2
    assert f"{MAX_NAME_CHARS + 1} characters is too long" in errors[0]
    assert "empty name" in errors[1]
    assert "2 of 3 rows could not be screened" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_over_long_line_is_that_rows_error(
    screening_home: Path, tmp_path: Path, fmt: str
) -> None:
    source = tmp_path / f"q.{fmt}"
    long_line = "x" * (MAX_LINE_CHARS * 3)
    if fmt == "jsonl":
        text = '{"name": "KOMID"}\n' + f'{{"name": "{long_line}"}}\n' + '{"name": "KOMID"}\n'
    else:
        text = f"name\nKOMID\n{long_line}\nKOMID\n"
    source.write_text(text, encoding="utf-8")
    code, out, _ = _screen(screening_home, str(source))
    assert code == BAD_ROWS_EXIT
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    assert rows[0]["matches"] and rows[2]["matches"]
    assert f"longer than {MAX_LINE_CHARS} characters" in rows[1]["error"]
    assert len(out) < MAX_LINE_CHARS  # the line is not echoed back


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused(screening_home: Path, tmp_path: Path) -> None:
    link = tmp_path / "customers.csv"
    link.symlink_to("/dev/zero")
    code, out, err = _screen(screening_home, str(link))
    assert code == 2
    assert "not a regular file" in out + err


def test_a_fifo_is_refused(screening_home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "customers.csv"
    os.mkfifo(fifo)
    code, out, err = _screen(screening_home, str(fifo))
    assert code == 2
    assert "not a regular file" in out + err


def test_json_lines_keep_the_data_exactly_and_deep_nesting_is_a_row_error(
    screening_home: Path,
) -> None:
    name = "KOMID\x1b[2J"
    stdin = json.dumps({"name": name}) + "\n" + "[" * 50_000 + "\n"
    code, out, _ = _screen(screening_home, "-", stdin=stdin)
    assert code == BAD_ROWS_EXIT
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["query"]["name"] == name and "\\u001b" in out  # escaped by JSON, not by us
    assert "nested too deeply" in second["error"] or "not JSON" in second["error"]
