"""Every detector against the generator's ground truth on three scenarios of different
regions and densities (rajin with two seeds, yellow_sea dense, east_china_sea sparse):
precision >= 0.9 and recall >= 0.95 per event type (the matching rules are in
``behaviour/accuracy.py``), and the Rajin shuttle's dark calls at Rajin named as such.
bench/bench_accuracy.py measures more seeds and sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.accuracy import matches, score
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.simulate import simulate

SHUTTLE_KEYS = {"angara", "maria", "lady-r", "maia-1"}


@pytest.mark.parametrize(
    ("scenario", "vessels", "seed"),
    [("rajin", 24, 11), ("rajin", 24, 12), ("yellow_sea", 150, 21), ("east_china_sea", 30, 31)],
)
def test_every_detector_against_the_ground_truth(
    tmp_path: Path, scenario: str, vessels: int, seed: int
) -> None:
    result = simulate(
        tmp_path / "sim", scenario=scenario, days=3, vessels=vessels, seed=seed, formats=["nmea"]
    )
    store = open_store(tmp_path / "home")
    for path in result.files["nmea"]:
        ingest_file(store, Source(path))
    events = detect(DuckDBEngine(store), load_params(), None)
    truth = [json.loads(line) for line in result.truth_path.read_text("utf-8").splitlines()]
    scores = score(events, truth, DETECTORS)
    for kind, s in scores.items():
        assert s.truth, f"the scenario always has {kind} events"
        assert s.precision is not None and s.precision >= 0.9, (kind, s.false_positives)
        assert s.recall is not None and s.recall >= 0.95, (kind, s.missed)
    if scenario != "rajin":
        return
    # The shuttle's dark calls at Rajin are named as such.
    dark = [t for t in truth if t["type"] == "gap" and t["details"].get("vessel") in SHUTTLE_KEYS]
    rajin = [
        e
        for e in events
        if e.type == "gap"
        and e.details.get("likely_dark_port_call") == "Najin"
        and any(matches(e, t) for t in dark)
    ]
    assert rajin
