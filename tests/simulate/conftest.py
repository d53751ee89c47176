"""One small generated run shared by the simulate tests (2 days, the rajin cast + 4 ships),
and the reader the other scenarios' tests use too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from sanctionwatch.simulate import SimulationResult, simulate

DAYS = 2.0
VESSELS = 16
SEED = 7


@dataclass
class Run:
    result: SimulationResult
    positions: dict[str, np.ndarray]  # every transmitted position (the truth)
    statics: dict[str, Any]
    events: list[dict[str, Any]]
    manifest: dict[str, Any]

    def vessel(self, key: str) -> dict[str, Any]:
        return next(v for v in self.manifest["vessels"] if v["key"] == key)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]


def epoch(text: str | None) -> int | None:
    """ISO 8601 UTC ("...Z") to Unix seconds."""
    if text is None:
        return None
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def read_run(result: SimulationResult) -> Run:
    """Everything a run wrote, read back: positions, statics, truth events, manifest."""
    table = pq.read_table(result.positions_path)
    positions = {name: table.column(name).to_numpy() for name in table.column_names if name != "ts"}
    positions["ts"] = table.column("ts").cast("int64").to_numpy() // 1000
    positions["station"] = np.array(table.column("station").to_pylist(), dtype=object)
    statics_table = pq.read_table(result.statics_path)
    statics = {name: statics_table.column(name).to_pylist() for name in statics_table.column_names}
    statics["ts"] = [int(t.timestamp()) for t in statics["ts"]]
    events = [json.loads(line) for line in result.truth_path.read_text().splitlines()]
    manifest = json.loads(result.manifest_path.read_text())
    return Run(result, positions, statics, events, manifest)


@pytest.fixture(scope="session")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return read_run(
        simulate(tmp_path_factory.mktemp("simulated"), days=DAYS, vessels=VESSELS, seed=SEED)
    )
