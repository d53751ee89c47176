"""What every planner shares: the run's time span, seed, router, coverage holes, events."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sanctionwatch.geo import Port, haversine_m
from sanctionwatch.simulate.berths import Berth
from sanctionwatch.simulate.routes import Router
from sanctionwatch.simulate.scenario import CoverageHole, Scenario
from sanctionwatch.simulate.truth import TruthEvent

NAUTICAL_MILE = 1852.0


@dataclass
class PlanContext:
    """The run being planned. Times are Unix seconds (UTC)."""

    scenario: Scenario
    start: int
    end: int
    seed: int
    router: Router
    holes: list[CoverageHole]
    ports: list[Port]
    events: list[TruthEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def berths(self) -> dict[Port, tuple[Berth, ...]]:
        """The scenario's listed berths by port (ports it lists none for are absent)."""
        return dict(self.scenario.berths)

    def rng(self, *keys: int | str) -> np.random.Generator:
        """A generator for one purpose, derived from the seed and stable keys (not ``hash()``)."""
        words = [self.seed & 0xFFFFFFFF]
        for key in keys:
            words.append(
                zlib.crc32(key.encode()) if isinstance(key, str) else int(key) & 0xFFFFFFFF
            )
        return np.random.default_rng(words)

    def in_hole_area(
        self,
        lat: float,
        lon: float,
        margin_km: float = 20.0,
        when: tuple[int, int] | None = None,
    ) -> bool:
        """True if the point is inside (or within ``margin_km`` of) any coverage hole's area.

        With ``when`` (start, end in Unix seconds), holes timed outside it do not count.
        """
        for hole in self.holes:
            if when is not None and (
                (hole.end is not None and hole.end <= when[0])
                or (hole.start is not None and hole.start >= when[1])
            ):
                continue
            if hole.centre is not None:
                distance = haversine_m(lat, lon, hole.centre[0], hole.centre[1])
                if distance <= (hole.radius_km + margin_km) * 1e3:
                    return True
            else:
                pad_lat = margin_km / 111.2
                pad_lon = margin_km / (111.2 * math.cos(math.radians(lat)))
                if (
                    hole.lat_min - pad_lat <= lat <= hole.lat_max + pad_lat
                    and hole.lon_min - pad_lon <= lon <= hole.lon_max + pad_lon
                ):
                    return True
        return False

    def distance_to_port_m(self, lat: float, lon: float) -> float:
        """Metres to the nearest port of the gazetteer within the scenario's list, or to
        the nearest berth the scenario lists (ships lie there: a port too)."""
        points = [(port.lat, port.lon) for port in self.ports]
        points += [(b.lat, b.lon) for berths in self.berths.values() for b in berths]
        return float(min(haversine_m(lat, lon, a, b) for a, b in points))

    def sea_point(
        self,
        rng: np.random.Generator,
        box: tuple[float, float, float, float],
        *,
        min_shore_nm: float = 0.0,
        min_port_km: float = 0.0,
        avoid_holes: bool = True,
        away_from: list[tuple[float, float]] | None = None,
        away_km: float = 0.0,
        when: tuple[int, int] | None = None,
    ) -> tuple[float, float]:
        """A random open-water point in ``box`` (lat_min, lat_max, lon_min, lon_max).

        Optionally at least ``min_shore_nm`` from any coast, ``min_port_km`` from any port,
        outside coverage holes (those open during ``when``, if given) and ``away_km`` from
        the given points. Raises ValueError when 20 rounds of 64 candidates find none (the
        box is wrong, not the luck).
        """
        mask = self.router.mask
        for _ in range(20):
            lat = rng.uniform(box[0], box[1], 64)
            lon = rng.uniform(box[2], box[3], 64)
            ok = self.router.is_open_water(lat, lon)
            if min_shore_nm > 0:
                ok &= mask.distance_to_shore_m(lat, lon) >= min_shore_nm * NAUTICAL_MILE
            for i in np.flatnonzero(ok):
                point = (float(lat[i]), float(lon[i]))
                if avoid_holes and self.in_hole_area(*point, when=when):
                    continue
                if min_port_km and self.distance_to_port_m(*point) < min_port_km * 1e3:
                    continue
                if away_from and any(
                    haversine_m(point[0], point[1], a, b) < away_km * 1e3 for a, b in away_from
                ):
                    continue
                return point
        raise ValueError(f"no open-water point found in {box}")

    def near_point(
        self,
        rng: np.random.Generator,
        lat: float,
        lon: float,
        min_km: float,
        max_km: float,
        avoid_holes: bool = False,
    ) -> tuple[float, float]:
        """A random open-water point between ``min_km`` and ``max_km`` from (lat, lon)."""
        for _ in range(40):
            bearing = rng.uniform(0, 2 * math.pi, 32)
            distance = rng.uniform(min_km, max_km, 32) * 1e3
            plat = lat + distance * np.cos(bearing) / 111_195.0
            plon = lon + distance * np.sin(bearing) / (111_195.0 * math.cos(math.radians(lat)))
            ok = self.router.is_open_water(plat, plon)
            for i in np.flatnonzero(ok):
                point = float(plat[i]), float(plon[i])
                if not (avoid_holes and self.in_hole_area(*point, margin_km=5.0)):
                    return point
        raise ValueError(f"no open water within {max_km} km of {lat:.3f} {lon:.3f}")
