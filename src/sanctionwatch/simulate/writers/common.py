"""What every writer shares: the static values of a row, and one output file per day."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate.plan import VesselPlan


@dataclass(frozen=True, slots=True)
class StaticValues:
    """Everything a static report (and a CSV row's static columns) says at one moment."""

    mmsi: int
    imo: int
    name: str
    callsign: str
    ship_type: int
    ais_class: str
    to_bow: int
    to_stern: int
    to_port: int
    to_starboard: int
    draught: float
    destination: str
    eta: int | None

    @property
    def length(self) -> int:
        return self.to_bow + self.to_stern

    @property
    def width(self) -> int:
        return self.to_port + self.to_starboard


class StaticLookup:
    """Static values per (vessel, identity index, voyage index), made once and cached."""

    def __init__(self, plans: list[VesselPlan]) -> None:
        self.plans = plans
        self._cache: dict[tuple[int, int, int], StaticValues] = {}

    def get(self, vessel: int, identity: int, voyage: int) -> StaticValues:
        key = (vessel, identity, voyage)
        if key not in self._cache:
            plan = self.plans[vessel]
            spec = plan.spec
            who = plan.identities[identity][1]
            trip = plan.voyages[voyage][1] if voyage >= 0 else None
            self._cache[key] = StaticValues(
                mmsi=who.mmsi,
                imo=who.imo,
                name=who.name,
                callsign=who.callsign,
                ship_type=who.ship_type,
                ais_class=spec.ais_class,
                to_bow=spec.to_bow,
                to_stern=spec.to_stern,
                to_port=spec.to_port,
                to_starboard=spec.to_starboard,
                draught=trip.draught_m if trip else spec.draught_ballast_m,
                destination=trip.destination if trip else "",
                eta=trip.eta if trip else None,
            )
        return self._cache[key]

    def unique(
        self,
        vessel: npt.NDArray[np.int32],
        identity: npt.NDArray[np.int64],
        voyage: npt.NDArray[np.int64],
    ) -> tuple[list[StaticValues], npt.NDArray[np.intp]]:
        """The distinct static values of the rows and, per row, which one applies."""
        keys = (vessel.astype(np.int64) << 32) | (identity << 16) | (voyage + 1)
        unique, inverse = np.unique(keys, return_inverse=True)
        values = [
            self.get(int(key >> 32), int((key >> 16) & 0xFFFF), int(key & 0xFFFF) - 1)
            for key in unique
        ]
        return values, inverse


@dataclass
class OutputFile:
    """A file written so far: its path, format, line count and running sha256."""

    path: Path
    format: str
    lines: int = 0
    sha256: Any = field(default_factory=hashlib.sha256)
    size: int = 0

    def describe(self, root: Path) -> dict[str, Any]:
        return {
            "path": self.path.relative_to(root).as_posix(),
            "format": self.format,
            "lines": self.lines,
            "bytes": self.size,
            "sha256": self.sha256.hexdigest(),
        }


class DailyFiles:
    """One text file per UTC day, opened on first use, with a header line if given."""

    def __init__(self, out_dir: Path, pattern: str, fmt: str, header: str | None) -> None:
        self.out_dir = out_dir
        self.pattern = pattern
        self.format = fmt
        self.header = header
        self.files: list[OutputFile] = []
        self._day: str | None = None
        self._handle: IO[bytes] | None = None

    def for_time(self, t: int) -> OutputFile:
        day = datetime.fromtimestamp(t, UTC)
        name = day.strftime(self.pattern)
        if name != self._day:
            self.close()
            self._day = name
            self.files.append(OutputFile(self.out_dir / name, self.format))
            self._handle = (self.out_dir / name).open("wb")
            if self.header is not None:
                self.write(self.header.encode() + b"\n", 1)
        return self.files[-1]

    def write(self, data: bytes | memoryview, lines: int) -> None:
        assert self._handle is not None
        self._handle.write(data)
        current = self.files[-1]
        current.sha256.update(data)
        current.size += len(data)
        current.lines += lines

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
