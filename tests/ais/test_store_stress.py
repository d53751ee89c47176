"""Concurrent writers and readers lose nothing: several rounds of two ``ais ingest``
processes at once (the second waits for the writer lock) while two reader processes
hammer ``ais status`` and ``ais track``; the store must end up holding exactly what a
serial ingest of the same files holds.

Bounded: the generated files are small (four days of 24 ships), each reader stops when
the writers are done or after 300 calls; the whole test takes well under a minute.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sanctionwatch.ais.store import open_store
from sanctionwatch.simulate import simulate
from tests.cli_process import cli_env, run_cli, start_cli

ROUNDS = 2

# A reader process: the real commands, called in a loop in one process (no start-up cost
# per call), checking what each saw. Prints its findings as JSON.
READER = r"""
import json, sys
from pathlib import Path
from click.testing import CliRunner
from sanctionwatch.ais.store import open_store
from sanctionwatch.cli import cli

home, stop, mmsi = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
runner, calls, errors, last = CliRunner(), 0, [], 0
print("ready", flush=True)
while not stop.exists() and calls < 300:
    status = runner.invoke(cli, ["--home", str(home), "ais", "status", "--json"])
    track = runner.invoke(cli, ["--home", str(home), "ais", "track", mmsi])
    calls += 2
    for result in (status, track):
        if result.exit_code != 0:
            errors.append(repr(result.exception) + result.output[-300:])
    if status.exit_code == 0:
        positions = json.loads(status.stdout)["totals"]["positions"]
        if positions < last:
            errors.append(f"positions went down: {last} -> {positions}")
        last = positions
    if track.exit_code == 0 and json.loads(track.stdout)["type"] != "FeatureCollection":
        errors.append("track: not GeoJSON")
    with open_store(home, writable=False) as store:
        missing = [str(p) for p in store.part_files() if not p.is_file()]
    if missing:
        errors.append(f"listed but missing: {missing[:3]}")
print(json.dumps({"calls": calls, "errors": errors[:10]}))
"""


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    result = simulate(tmp_path_factory.mktemp("sim"), days=4, vessels=24, seed=5, formats=["nmea"])
    files = sorted(result.files["nmea"])
    assert len(files) == 2 * ROUNDS
    return files


def stored_keys(home: Path) -> pa.Table:
    """Every stored position by (mmsi, ts, lat, lon), sorted: what a store holds, whatever
    the order of the ingests that put it there."""
    with open_store(home, writable=False) as store:
        files = store.part_files()
        assert files and all(path.is_file() for path in files)
        table = pa.concat_tables(
            pq.read_table(path, columns=["mmsi", "ts", "lat", "lon"]) for path in files
        )
    return table.sort_by(
        [("mmsi", "ascending"), ("ts", "ascending"), ("lat", "ascending"), ("lon", "ascending")]
    )


def ingested(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_writers_and_readers_at_once_lose_nothing(tmp_path: Path, days: list[Path]) -> None:
    serial = tmp_path / "serial"
    done = run_cli(serial, "ais", "ingest", "--json", *map(str, days))
    assert done.returncode == 0, done.stderr
    mmsi = str(json.loads(done.stdout.splitlines()[0]) and _busiest_vessel(serial))

    home = tmp_path / "home"
    ingests = 0
    for round_number in range(ROUNDS):
        first, second = days[2 * round_number], days[2 * round_number + 1]
        stop = tmp_path / f"stop-{round_number}"
        readers = [
            subprocess.Popen(
                [sys.executable, "-c", READER, str(home), str(stop), mmsi],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=cli_env(),
            )
            for _ in range(2)
        ]
        for reader in readers:  # imports done, about to read: now start the writers
            assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        writers = [
            start_cli(home, "ais", "ingest", "--json", str(first)),
            start_cli(home, "ais", "ingest", "--json", str(second), str(first)),
        ]
        results = [ingested(writer) for writer in writers]
        stop.touch()
        for reader in readers:
            out, err = reader.communicate(timeout=300)
            assert reader.returncode == 0, err
            report = json.loads(out)
            assert report["errors"] == [] and report["calls"] > 0
        ids = sorted(int(str(row["ingest_id"])) for rows in results for row in rows)
        assert ids == list(range(ingests + 1, ingests + 4))  # no id shared, none skipped
        ingests += 3

    assert stored_keys(home).equals(stored_keys(serial))
    status = json.loads(run_cli(home, "ais", "status", "--json").stdout)
    expected = json.loads(run_cli(serial, "ais", "status", "--json").stdout)
    assert status["totals"]["positions"] == expected["totals"]["positions"]
    assert status["totals"]["vessels"] == expected["totals"]["vessels"]
    assert status["totals"]["files"] == ingests
    again = run_cli(home, "ais", "ingest", "--json", *map(str, days))
    assert again.returncode == 0, again.stderr
    assert [json.loads(line)["accepted"] for line in again.stdout.splitlines()] == [0] * len(days)


def _busiest_vessel(home: Path) -> int:
    with open_store(home, writable=False) as store:
        activity = store.activity()
    return max(activity, key=lambda mmsi: activity[mmsi][0])
