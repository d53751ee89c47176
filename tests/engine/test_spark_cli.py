"""``sanctionwatch detect --engine spark`` end to end, in its own process (its own JVM):
the same events as DuckDB, stored the same way."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ais.test_csv_ingest import DMA_HEADER, write
from tests.behaviour.test_gap import TRACKS


def sanctionwatch(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sanctionwatch", "--home", str(home), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_detect_on_spark_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = write(tmp_path / "in.csv", [DMA_HEADER, *TRACKS])
    assert sanctionwatch(home, "ais", "ingest", str(data)).returncode == 0
    duck = sanctionwatch(home, "detect")
    assert duck.returncode == 0, duck.stderr
    spark = sanctionwatch(home, "detect", "--engine", "spark", "--full")
    assert spark.returncode == 0, spark.stderr
    assert "gap: full run, 3 events (replacing 3)" in spark.stderr
    events = [json.loads(line) for line in spark.stdout.splitlines()]
    assert [e["type"] for e in events] == ["gap", "gap", "gap"]
    assert events == [json.loads(line) for line in duck.stdout.splitlines()]
