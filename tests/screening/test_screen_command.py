"""`sanctionwatch screen`: the contract in docs/screening.md, every input form, and bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sanctionwatch.cli import cli


def _screen(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    """Exit code, and standard output (or, on failure, everything printed). Exit code 3:
    every row was written, some of them as errors."""
    result = CliRunner().invoke(cli, ["--home", str(home), "screen", *args], input=stdin)
    return result.exit_code, result.stdout if result.exit_code in (0, 3) else result.output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_csv_in_json_lines_out(screening_home: Path, tmp_path: Path, workers: str) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,name,schema,birth_date,imo\n"
        "c1,Kim Jong Un,Person,1984-01-08,\n"
        "c2,김정은,Person,,\n"
        "c3,ANGARA,Vessel,,IMO 9179842\n"
        ",,Person,,\n"
        "c5,Kim Jong Un,Person,08/01/1984,\n"
        "c6,Jane Q. Nobody,Person,,\n",
        encoding="utf-8",
    )
    code, out = _screen(screening_home, str(source), "--workers", workers)
    assert code == 3, out
    rows = [json.loads(line) for line in out.splitlines()]
    # a row without an id is known by its line in the input (the header is line 1)
    assert [row["id"] for row in rows] == ["c1", "c2", "c3", "5", "c5", "c6"]
    first = rows[0]
    assert first["query"] == {
        "name": "Kim Jong Un",
        "id": "c1",
        "schema": "Person",
        "birth_date": "1984-01-08",
    }
    top = first["matches"][0]
    assert set(top) >= {"entity_id", "caption", "schema", "score", "datasets", "explanation"}
    assert top["records"] == [{"list": "ofac_sdn", "id": "20157"}]
    assert [m["score"] for m in first["matches"]] == sorted(
        (m["score"] for m in first["matches"]), reverse=True
    )
    assert all(m["score"] >= 0.7 for row in rows for m in row.get("matches", []))
    assert rows[1]["matches"][0]["records"] == [{"list": "ofac_sdn", "id": "20157"}]
    assert rows[2]["matches"][0]["score"] == 1.0
    assert "empty name" in rows[3]["error"] and ":5:" in rows[3]["error"]
    assert "not an ISO date" in rows[4]["error"]
    assert rows[5]["matches"] == []


def test_json_lines_from_stdin_with_a_malformed_line(screening_home: Path) -> None:
    stdin = '{"name": "KOMID"}\n{not json}\n["a list"]\n{"name": "Kim Jong Un", "schema": "Boat"}\n'
    code, out = _screen(screening_home, "-", "--threshold", "0.8", "--limit", "2", stdin=stdin)
    assert code == 3, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert 1 <= len(rows[0]["matches"]) <= 2
    assert "<stdin>:2: not JSON" in rows[1]["error"]
    assert "a JSON object per line" in rows[2]["error"]
    assert "unknown schema 'Boat'" in rows[3]["error"]


def test_csv_and_table_formats(screening_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_text("name\nKOMID\n", encoding="utf-8")
    code, out = _screen(screening_home, str(source), "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,query_name,rank,score,entity_id")
    assert any("un:KPe.001" in line for line in lines[1:])
    code, out = _screen(screening_home, str(source), "--format", "table")
    assert code == 0 and "KOREA MINING DEVELOPMENT" in out


def test_a_csv_without_a_name_column_is_refused(screening_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_text("full_name\nKOMID\n", encoding="utf-8")
    code, out = _screen(screening_home, str(source))
    assert code == 2 and "needs a 'name' column" in out


def test_screening_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    code, out = _screen(tmp_path / "empty-home", "-", stdin='{"name": "x"}\n')
    assert code != 0 and "no lists loaded" in out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_explain_shows_the_candidates_below_the_threshold(
    screening_home: Path, workers: str
) -> None:
    stdin = '{"id": "q1", "name": "Kani Zulkarnain", "schema": "Person"}\n'
    code, out = _screen(screening_home, "-", "--explain", "--workers", workers, stdin=stdin)
    assert code == 0, out
    row = json.loads(out)
    assert row["matches"] == []
    below = {m["records"][0]["id"]: m for m in row["suppressed"]}
    assert "QDi.187" in below  # UN: ARIS SUMARSONO, alias Zulkarnain
    assert below["QDi.187"]["score"] < 0.7
    assert "single_name" in below["QDi.187"]["why_below"]
    # without --explain the contract is unchanged: no "suppressed" key
    code, out = _screen(screening_home, "-", stdin=stdin)
    assert code == 0 and "suppressed" not in json.loads(out)


def test_explain_in_csv_and_table(screening_home: Path) -> None:
    stdin = "name,schema\nKani Zulkarnain,Person\n"
    code, out = _screen(screening_home, "-", "--explain", "--format", "csv", stdin=stdin)
    assert code == 0, out
    header, *rows = out.splitlines()
    assert header.endswith(",why_below")
    assert any("QDi.187" in r and "single_name" in r for r in rows)
    code, out = _screen(screening_home, "-", "--explain", "--format", "table", stdin=stdin)
    assert code == 0 and "below: 0.68" in out and "ARIS SUMARSONO" in out
