"""The event contract of ``sanctionwatch detect`` (docs/behaviour.md), one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sanctionwatch.ais.model import iso_utc


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
            "start": iso_utc(self.start_ms),
            "end": iso_utc(self.end_ms) if self.end_ms is not None else None,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "port": self.port,
            "details": self.details,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)
