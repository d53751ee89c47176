"""Gaps, loitering, port calls and draught changes against the generator's ground truth on the rajin
scenario (two seeds).

A detected gap is right when the truth has a gap (transponder off) or a coverage gap
(nothing received) of the same MMSI overlapping it: from the received data alone the two
cannot be told apart. Recall is measured on the transponder-off gaps.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.simulate import simulate

SHUTTLE_MMSI_KEYS = {"angara", "maria", "lady-r", "maia-1"}


def ms(text: str | None) -> int | None:
    if text is None:
        return None
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def overlaps(a0: int, a1: int | None, b0: int, b1: int | None) -> bool:
    return a0 < (b1 if b1 is not None else 2**62) and b0 < (a1 if a1 is not None else 2**62)


@pytest.mark.parametrize("seed", [11, 12])
def test_gaps_match_the_ground_truth(tmp_path: Path, seed: int) -> None:
    result = simulate(tmp_path / "sim", days=3, vessels=24, seed=seed, formats=["nmea"])
    store = open_store(tmp_path / "home")
    for path in result.files["nmea"]:
        ingest_file(store, Source(path))
    everything = detect(DuckDBEngine(store), load_params(), None)
    found = [e for e in everything if e.type == "gap"]
    truth = [json.loads(line) for line in result.truth_path.read_text("utf-8").splitlines()]
    silences = [t for t in truth if t["type"] in ("gap", "coverage_gap")]
    dark = [t for t in truth if t["type"] == "gap"]
    assert dark, "the scenario always has dark periods"

    def matches(event: object, t: dict[str, object]) -> bool:
        return t["mmsi"] == event.mmsi and overlaps(  # type: ignore[attr-defined]
            event.start_ms,
            event.end_ms,
            ms(t["start"]),
            ms(t["end"]),  # type: ignore[attr-defined,arg-type]
        )

    right = [e for e in found if any(matches(e, t) for t in silences)]
    recalled = [t for t in dark if any(matches(e, t) for e in found)]
    assert len(right) / len(found) >= 0.9, [e.to_dict() for e in found if e not in right]
    assert len(recalled) / len(dark) >= 0.95, [t for t in dark if t not in recalled]
    # The shuttle's dark calls at Rajin are named as such.
    rajin = [
        e
        for e in found
        if e.details.get("likely_dark_port_call") == "Najin"
        and any(matches(e, t) and t["details"].get("vessel") in SHUTTLE_MMSI_KEYS for t in dark)
    ]
    assert rajin
    # Loitering: every truth loitering found, every detected one in the truth.
    loiter = [e for e in everything if e.type == "loitering"]
    loiter_truth = [t for t in truth if t["type"] == "loitering"]
    assert loiter_truth, "SAEBYOL loiters about every three days"
    assert all(any(matches(e, t) for t in loiter_truth) for e in loiter), loiter
    assert all(any(matches(e, t) for e in loiter) for t in loiter_truth), loiter_truth
    # Port calls seen in AIS (the dark ones are the gap detector's): same vessel, same port,
    # overlapping times.
    calls = [e for e in everything if e.type == "port_call"]
    call_truth = [t for t in truth if t["type"] == "port_call"]
    visible = [t for t in call_truth if t["details"]["ais_visible"]]

    def same_call(event: object, t: dict[str, object]) -> bool:
        return matches(event, t) and t["port"] == event.port  # type: ignore[attr-defined]

    right = [e for e in calls if any(same_call(e, t) for t in call_truth)]
    recalled = [t for t in visible if any(same_call(e, t) for e in calls)]
    assert len(right) / len(calls) >= 0.9, [e.to_dict() for e in calls if e not in right]
    assert len(recalled) / len(visible) >= 0.95, [t for t in visible if t not in recalled]
    # Draught changes: same vessel, first broadcast within an hour.
    changes = [e for e in everything if e.type == "draught_change"]
    change_truth = [t for t in truth if t["type"] == "draught_change"]
    assert change_truth

    def same_change(event: object, t: dict[str, object]) -> bool:
        broadcast = ms(t["details"]["first_broadcast"])  # type: ignore[index]
        return t["mmsi"] == event.mmsi and abs(broadcast - event.start_ms) <= 3_600_000  # type: ignore[attr-defined,operator]

    right = [e for e in changes if any(same_change(e, t) for t in change_truth)]
    recalled = [t for t in change_truth if any(same_change(e, t) for e in changes)]
    assert len(right) / len(changes) >= 0.9, [e.to_dict() for e in changes if e not in right]
    assert len(recalled) / len(change_truth) >= 0.95, [t for t in change_truth if t not in recalled]
