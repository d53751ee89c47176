"""Every detector against the generator's ground truth on three scenarios of different
regions and densities (rajin with two seeds, yellow_sea dense, east_china_sea sparse):
precision >= 0.9 and recall >= 0.95 per event type (the matching rules are in
``behaviour/accuracy.py``), and the Rajin shuttle's dark calls at Rajin named as such.
bench/bench_accuracy.py measures more seeds and sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.behaviour.accuracy import matches, score
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.behaviour.support import simulated_store

SHUTTLE_KEYS = {"angara", "maria", "lady-r", "maia-1"}


@pytest.mark.parametrize(
    ("scenario", "vessels", "seed"),
    [("rajin", 24, 11), ("rajin", 24, 12), ("yellow_sea", 150, 21), ("east_china_sea", 30, 31)],
)
def test_every_detector_against_the_ground_truth(
    tmp_path: Path, scenario: str, vessels: int, seed: int
) -> None:
    store, truth = simulated_store(tmp_path, scenario, vessels, seed)
    events = detect(DuckDBEngine(store), load_params(), None)
    scores = score(events, truth, DETECTORS)
    for kind, s in scores.items():
        assert s.truth, f"the scenario always has {kind} events"
        assert s.precision is not None and s.precision >= 0.9, (kind, s.false_positives)
        assert s.recall is not None and s.recall >= 0.95, (kind, s.missed)
        # Overlap alone would accept one long event for many: few may cover two or more.
        assert s.merged <= 0.05 * s.detected and s.split <= 0.05 * s.truth, (kind, s)
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
