"""Precision and recall of detected events against the traffic generator's ground truth.

An event matches a truth event when the type and the vessels agree and the times overlap
(issue 5), with these readings per type:

* vessels agree: same MMSI; for encounters the same unordered pair; for identity events,
  when both name a second MMSI, the same unordered pair;
* times overlap: half-open intervals, an end of null running to the end of time;
* port calls must also name the same port;
* a draught change has no duration: its start must be within an hour of the truth's
  first broadcast of the new draught;
* a detected gap is right when the truth has a gap (transponder off) or a coverage gap
  (nothing received) of the vessel overlapping it: from received data alone the two cannot
  be told apart. Recall is over the transponder-off gaps;
* recall counts only the truth events that the received AIS can show (``details.ais_visible``
  false marks those it cannot, such as a port call made dark; a draught change never
  broadcast has ``first_broadcast`` null).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.geo.units import MS_PER_HOUR as HOUR_MS

FOREVER = 2**62


@dataclass
class Score:
    type: str
    detected: int = 0
    right: int = 0
    truth: int = 0
    recalled: int = 0
    merged: int = 0  # detected events that match two or more truth events
    split: int = 0  # truth events that two or more detected events match
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.right / self.detected if self.detected else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.truth if self.truth else None


def ms(text: str | None) -> int | None:
    if text is None:
        return None
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def overlaps(a0: int, a1: int | None, b0: int, b1: int | None) -> bool:
    return a0 < (b1 if b1 is not None else FOREVER) and b0 < (a1 if a1 is not None else FOREVER)


def matches(event: Event, truth: dict[str, Any]) -> bool:
    """Whether a detected event and a truth event (contract JSON) are the same thing."""
    kind = event.type
    wanted = {"gap": ("gap", "coverage_gap")}.get(kind, (kind,))
    if truth["type"] not in wanted:
        return False
    if kind == "encounter":
        pair = {truth["mmsi"], truth["other_mmsi"]}
        if {event.mmsi, event.other_mmsi} != pair:
            return False
    elif kind == "identity" and event.other_mmsi is not None and truth["other_mmsi"] is not None:
        if {event.mmsi, event.other_mmsi} != {truth["mmsi"], truth["other_mmsi"]}:
            return False
    elif truth["mmsi"] != event.mmsi:
        return False
    if kind == "port_call" and truth["port"] != event.port:
        return False
    if kind == "draught_change":
        broadcast = ms(truth["details"].get("first_broadcast") or truth["start"])
        return broadcast is not None and abs(broadcast - event.start_ms) <= HOUR_MS
    start = ms(truth["start"])
    assert start is not None
    return overlaps(event.start_ms, event.end_ms, start, ms(truth["end"]))


def score(
    events: Iterable[Event], truth: list[dict[str, Any]], types: Iterable[str]
) -> dict[str, Score]:
    """Per event type: how many detected events match some truth event (precision), and
    how many visible truth events some detected event matches (recall)."""
    found = list(events)
    scores = {}
    for kind in types:
        mine = [e for e in found if e.type == kind]
        expected = [t for t in truth if t["type"] == kind and visible(t)]
        candidates = [t for t in truth if matches_type(kind, t["type"])]
        result = Score(kind, detected=len(mine), truth=len(expected))
        for event in mine:
            count = sum(1 for t in candidates if matches(event, t))
            if count:
                result.right += 1
                result.merged += count > 1
            else:
                result.false_positives.append(event.to_dict())
        for t in expected:
            count = sum(1 for event in mine if matches(event, t))
            if count:
                result.recalled += 1
                result.split += count > 1
            else:
                result.missed.append(t)
        scores[kind] = result
    return scores


def visible(truth: dict[str, Any]) -> bool:
    """Whether the received AIS can show a truth event at all."""
    details = truth["details"]
    if truth["type"] == "draught_change" and "first_broadcast" in details:
        return details["first_broadcast"] is not None
    # A call cut by the start or end of the run to less than the stop a call needs
    # (port_call's min_stop_minutes) cannot be shown yet.
    seen = details.get("seen_minutes") if truth["type"] == "port_call" else None
    if seen is not None and float(seen) < _min_call_minutes():
        return False
    return bool(details.get("ais_visible", True))


@cache
def _min_call_minutes() -> float:
    return float(default_params()["port_call"]["min_stop_minutes"])


def matches_type(kind: str, truth_type: str) -> bool:
    return truth_type == kind or (kind == "gap" and truth_type == "coverage_gap")
