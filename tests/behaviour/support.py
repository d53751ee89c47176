"""Shared by the behaviour tests: a store of generated traffic, with its ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.simulate import simulate


def simulated_store(
    tmp_path: Path, scenario: str = "rajin", vessels: int = 24, seed: int = 11, days: float = 3
) -> tuple[PositionStore, list[dict[str, Any]]]:
    """``days`` of a scenario as NMEA, ingested into a fresh store; and the truth events."""
    result = simulate(
        tmp_path / "sim", scenario=scenario, days=days, vessels=vessels, seed=seed,
        formats=["nmea"],
    )  # fmt: skip
    store = open_store(tmp_path / "home")
    for path in result.files["nmea"]:
        ingest_file(store, Source(path))
    truth = [json.loads(line) for line in result.truth_path.read_text("utf-8").splitlines()]
    return store, truth
