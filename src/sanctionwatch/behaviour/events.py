"""The event contract of ``sanctionwatch detect`` (DESIGN.md), one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    type: str  # "gap", "encounter", "loitering", "port_call", "identity", "draught_change"
    mmsi: int
    start_ms: int
    end_ms: int | None  # None: still going at the end of the data (an open gap)
    lat: float
    lon: float
    other_mmsi: int | None = None
    port: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mmsi": self.mmsi,
            "other_mmsi": self.other_mmsi,
            "start": iso(self.start_ms),
            "end": iso(self.end_ms) if self.end_ms is not None else None,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "port": self.port,
            "details": self.details,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
