"""Which station hears a report, if any: terrestrial receivers, satellites, coverage holes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate import hashing
from sanctionwatch.simulate.scenario import CoverageHole, Station

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SATELLITE_PICK, DUPLICATE_PICK = 11, 12


class Reception:
    """Stations 0..S-1 are terrestrial, S.. are satellites (they hear what no station does)."""

    def __init__(
        self,
        stations: tuple[Station, ...],
        satellites: tuple[str, ...],
        holes: list[CoverageHole],
        seed: int,
    ) -> None:
        self.names = [station.name for station in stations] + list(satellites)
        if len({len(name) for name in self.names}) != 1:
            raise ValueError("station names must all have the same length (fixed-width lines)")
        self.lat = np.array([station.lat for station in stations])
        self.lon = np.array([station.lon for station in stations])
        self.range_m = np.array([station.range_km * 1e3 for station in stations])
        self.terrestrial = len(stations)
        self.satellites = len(satellites)
        self.holes = holes
        self.seed = seed

    def receive(
        self, lat: FloatArray, lon: FloatArray, t: IntArray, vessel: IntArray
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int16], npt.NDArray[np.int16]]:
        """For each report: received?, the station that heard it, a second station (for duplicates).

        A report inside any coverage hole is not received (station -1). Otherwise the nearest
        terrestrial station in range hears it, or a satellite; the second station is the next
        terrestrial one in range, or a satellite other than the first.
        """
        received = np.ones(lat.size, dtype=bool)
        for hole in self.holes:
            received &= ~hole.contains(lat, lon, t)
        # Flat-earth distances are within a fraction of a per cent at receiver ranges.
        north = (lat[:, None] - self.lat[None, :]) * 111_195.0
        east = (lon[:, None] - self.lon[None, :]) * (111_195.0 * np.cos(np.radians(self.lat)))[
            None, :
        ]
        distance = np.hypot(north, east)
        in_range = distance <= self.range_m[None, :]
        ranked = np.argsort(np.where(in_range, distance, np.inf), axis=1, kind="stable")
        heard = in_range.sum(axis=1)
        pick = hashing.hash_keys(self.seed, SATELLITE_PICK, vessel, t) % np.uint64(self.satellites)
        satellite = self.terrestrial + pick.astype(np.int64)
        other = self.terrestrial + (pick.astype(np.int64) + 1) % self.satellites
        first = np.where(heard >= 1, ranked[:, 0], satellite)
        second = np.where(
            heard >= 2,
            ranked[:, min(1, ranked.shape[1] - 1)],
            np.where(heard == 1, satellite, other),
        )
        first = np.where(received, first, -1)
        return received, first.astype(np.int16), second.astype(np.int16)
