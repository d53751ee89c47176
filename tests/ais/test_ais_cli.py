"""`sanctionwatch ais ingest|vessels|track`, driven as a user would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from sanctionwatch.cli import cli
from tests.ais.test_csv_ingest import DMA_10, MC_1000


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.output


def test_ingest_prints_what_happened_to_every_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, out = _run(home, "ais", "ingest", str(DMA_10), str(MC_1000))
    assert code == 0, out
    # Every line has one outcome, the header included; they add up to the line count.
    assert "dma_aisdk_20180208_10rows.csv (DMA CSV): 11 lines: 10 stored, 0 duplicate" in out
    assert (
        "1,001 lines: 998 stored, 0 duplicate, 0 static, 0 fragment, 1 skipped, 2 rejected" in out
    )
    assert "rejected:         2  MMSI is not 9 digits" in out
    assert "2023-01-11T00:00:00Z .. 2023-01-11T23:59:01Z" in out
    code, out = _run(home, "ais", "ingest", "--json", str(MC_1000))
    assert code == 0, out
    again = json.loads(out)
    assert (again["accepted"], again["duplicates"], again["rejected"]) == (0, 998, 2)
    assert again["line_outcomes"] == {
        "duplicate": 998,
        "skipped:header line": 1,
        "rejected:MMSI is not 9 digits": 2,
    }
    assert sum(again["line_outcomes"].values()) == again["lines"] == 1001
    assert Path(again["quarantine"]).is_file()


def test_bad_files_are_refused_before_anything_is_ingested(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, out = _run(home, "ais", "ingest", str(DMA_10), str(tmp_path / "nope.nmea"))
    assert code == 2 and "nope.nmea: no such file" in out
    code, out = _run(home, "ais", "vessels", "--json")
    assert code == 0 and out == ""
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    code, out = _run(home, "ais", "ingest", str(other))
    assert code == 2 and "notes.txt: not an AIS file" in out


def test_vessels_and_tracks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "ais", "ingest", str(MC_1000))[0] == 0
    code, out = _run(home, "ais", "vessels", "--imo", "9307839", "--json")
    assert code == 0, out
    [vessel] = [json.loads(line) for line in out.splitlines()]
    assert vessel["mmsi"] == 636021061 and vessel["mid_flag"] == "lr"  # Liberia
    assert vessel["identities"][0]["name"] == "MSC NAISHA III"
    assert vessel["identities"][0]["imo_valid"] is True
    code, out = _run(home, "ais", "vessels", "--name", "naisha")
    assert code == 0 and "MMSI 636021061 (ship, MID flag lr)" in out and "5LCB4" in out
    code, out = _run(home, "ais", "vessels", "--name", "100%_")
    assert code == 0 and out.strip() == "No vessel matches."

    code, out = _run(home, "ais", "track", "636021061")
    assert code == 0, out
    collection = json.loads(out)
    line, point = collection["features"]
    assert line["geometry"]["type"] == "LineString" and line["properties"]["positions"] == 1
    assert point["geometry"]["coordinates"] == [-80.04806, 26.09241]
    assert point["properties"]["ts"] == "2023-01-11T00:00:00Z"

    code, out = _run(home, "ais", "track", "636021061", "--format", "csv", "--from", "2023-01-12")
    assert code == 0 and len(list(csv.reader(io.StringIO(out)))) == 1  # the header only
    target = tmp_path / "track.parquet"
    code, out = _run(home, "ais", "track", "636021061", "--format", "parquet", "--out", str(target))
    assert code == 0, out
    assert pq.read_table(target).column("mmsi").to_pylist() == [636021061]
    code, out = _run(home, "ais", "track", "636021061", "--format", "parquet")
    assert code == 2 and "needs --out" in out
    code, out = _run(home, "ais", "track", "636021061", "--from", "last tuesday")
    assert code == 2 and "not an ISO 8601 date" in out


def test_status_lists_each_ingest_and_the_totals(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "ais", "ingest", str(DMA_10), str(MC_1000), str(MC_1000))[0] == 0
    code, out = _run(home, "ais", "status", "--json")
    assert code == 0, out
    status = json.loads(out)
    assert status["totals"] == {
        "files": 3, "positions": 1008, "rejected": 4, "vessels": 1008, "days": 2,
    }  # fmt: skip
    assert [row["duplicates"] for row in status["ingests"]] == [0, 0, 998]
    assert status["ingests"][1]["sha256"] == status["ingests"][2]["sha256"]
    code, out = _run(home, "ais", "status")
    assert code == 0 and "3 files; 1,008 positions of 1,008 vessels over 2 days" in out


def test_ingest_limits_come_from_config_toml(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[ais.limits]\ncsv_line_bytes = 100\n", encoding="utf-8")
    code, out = _run(home, "ais", "ingest", "--json", str(DMA_10))
    assert code == 0, out
    outcomes = json.loads(out)["line_outcomes"]
    # Each DMA row is over 100 bytes: all ten are rejected as over-long (the header, read
    # when the format is detected, is still the header).
    assert outcomes == {"skipped:header line": 1, "rejected:line longer than 100 bytes": 10}
    (home / "config.toml").write_text("[ais.limits]\ncsv_line_bytes = -5\n", encoding="utf-8")
    code, out = _run(home, "ais", "ingest", str(DMA_10))
    assert code == 2 and "csv_line_bytes must be a positive whole number" in out
