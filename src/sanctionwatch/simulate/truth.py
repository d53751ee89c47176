"""Ground-truth events in the project's event format (``sanctionwatch detect`` writes the same).

One JSON object per line::

    {"type": "gap"|"encounter"|"loitering"|"port_call"|"identity"|"draught_change"
             |"coverage_gap",
     "mmsi": int, "other_mmsi": int|null, "start": ISO-8601 UTC, "end": ISO-8601 UTC|null,
     "lat": float, "lon": float, "port": str|null, "details": {...}}

``coverage_gap`` is the generator's own type: a vessel kept transmitting but nothing was
received (a receiver hole, not a dark period). Detectors do not emit it; it is there so an
evaluation can tell a missed-by-receivers silence from a transponder switched off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EVENT_TYPES = (
    "gap",
    "encounter",
    "loitering",
    "port_call",
    "identity",
    "draught_change",
    "coverage_gap",
)


def iso(t: int | None) -> str | None:
    """Unix seconds as ISO 8601 UTC with a ``Z`` (None stays None)."""
    if t is None:
        return None
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class TruthEvent:
    """One ground-truth event. Times are Unix seconds (UTC); ``end`` None = still going."""

    type: str
    mmsi: int
    start: int
    end: int | None
    lat: float
    lon: float
    other_mmsi: int | None = None
    port: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mmsi": self.mmsi,
            "other_mmsi": self.other_mmsi,
            "start": iso(self.start),
            "end": iso(self.end),
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "port": self.port,
            "details": _sorted(self.details),
        }

    def sort_key(self) -> tuple[int, str, int, int]:
        return (self.start, self.type, self.mmsi, self.other_mmsi or 0)


def _sorted(value: Any) -> Any:
    """Dictionaries with sorted keys, all the way down (stable bytes)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(item) for item in value]
    return value


def write_truth(path: Any, events: list[TruthEvent]) -> int:
    """Write events as JSON lines sorted by start, type, MMSI; returns how many."""
    ordered = sorted(events, key=TruthEvent.sort_key)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for event in ordered:
            out.write(json.dumps(event.as_json(), ensure_ascii=False) + "\n")
    return len(ordered)
