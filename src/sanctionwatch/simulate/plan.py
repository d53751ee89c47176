"""A vessel's plan: what it does when (segments), what its transponder says, when it is off.

Planners build a :class:`VesselPlan` step by step (``moor``, ``anchor``, ``sail``,
``drift``), the way one would narrate a voyage; :mod:`motion` later evaluates the plan at
the report times of each window. Times are Unix seconds (UTC), distances metres, speeds
knots at the interface and metres per second inside segments.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sanctionwatch.geo import Port
from sanctionwatch.simulate.berths import Berth
from sanctionwatch.simulate.routes import Route, Router
from sanctionwatch.simulate.scenario import Identity, VesselSpec

KNOT = 1852.0 / 3600.0  # metres per second
HARBOUR_SPEED_KN = 6.0
HARBOUR_LEG_M = 3000.0  # slow steaming on leaving and entering port
START_OF_TIME = -(2**62)


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of a plan, from ``t0`` (included) to ``t1`` (excluded).

    ``moored`` / ``anchored``: at (lat, lon) with ``heading``. ``transit``: along ``route``
    from ``d0`` metres at ``speed`` m/s. ``drift``: from (lat, lon) at ``speed`` m/s
    towards ``bearing`` degrees, bow on ``heading``.
    """

    kind: str
    t0: int
    t1: int
    nav_status: int
    lat: float = 0.0
    lon: float = 0.0
    heading: float = 0.0
    route: Route | None = None
    d0: float = 0.0
    speed: float = 0.0
    bearing: float = 0.0
    port: Port | None = None
    label: str = ""

    @property
    def speed_kn(self) -> float:
        return self.speed / KNOT


@dataclass(frozen=True, slots=True)
class Voyage:
    """What the voyage part of a static report says from a given time on."""

    draught_m: float
    destination: str
    eta: int | None  # Unix seconds, or None when not given


@dataclass(frozen=True, slots=True)
class DarkPeriod:
    """Transmitter off from ``start`` to ``end`` (Unix seconds), and why."""

    start: int
    end: int
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class PortCall:
    """A stay at a berth, with the anchorage wait before it if there was one."""

    port: Port
    arrival: int
    departure: int
    lat: float
    lon: float
    draught_arrival: float
    draught_departure: float
    anchored_from: int | None = None
    berth: str | None = None  # the listed berth's label, for ports the scenario gives berths


class VesselPlan:
    """Segments, identities, voyages, dark periods and port calls of one ship, built in order.

    ``berths``: the scenario's listed berths by port; a ship calling at one of those ports
    lies at one of them (see :meth:`berth`), elsewhere near the port's point.
    """

    def __init__(
        self,
        spec: VesselSpec,
        router: Router,
        t: int,
        lat: float,
        lon: float,
        berths: Mapping[Port, tuple[Berth, ...]] | None = None,
    ) -> None:
        self.spec = spec
        self.router = router
        self.berths: Mapping[Port, tuple[Berth, ...]] = berths or {}
        self.segments: list[Segment] = []
        self.identities: list[tuple[int, Identity]] = [(START_OF_TIME, spec.identity)]
        self.voyages: list[tuple[int, Voyage]] = []
        self.dark: list[DarkPeriod] = []
        self.calls: list[PortCall] = []
        self.t = t
        self.lat = lat
        self.lon = lon
        self.at_port: Port | None = None
        self.laden = False
        self._anchored_from: int | None = None

    # -- the transponder -------------------------------------------------------------------

    @property
    def draught(self) -> float:
        return self.spec.draught_laden_m if self.laden else self.spec.draught_ballast_m

    def identity_at(self, t: int) -> Identity:
        current = self.identities[0][1]
        for since, identity in self.identities:
            if since <= t:
                current = identity
        return current

    def set_identity(self, t: int, identity: Identity) -> None:
        self.identities.append((t, identity))
        self.identities.sort(key=lambda item: item[0])

    def set_voyage(self, t: int, destination: str, eta: int | None) -> None:
        """The static report from ``t`` on: current draught, this destination and ETA."""
        self.voyages.append((t, Voyage(round(self.draught, 1), destination, eta)))
        self.voyages.sort(key=lambda item: item[0])

    def load(self, t: int, laden: bool, destination: str, eta: int | None) -> None:
        """Cargo worked in port: from ``t`` the ship is laden (or in ballast), bound elsewhere."""
        self.laden = laden
        if self.calls and self.calls[-1].port is self.at_port:
            self.calls[-1].draught_departure = self.draught
        self.set_voyage(t, destination, eta)

    def go_dark(self, start: int, end: int, reason: str, **details: Any) -> None:
        """Switch the transmitter off from ``start`` to ``end``."""
        if end > start:
            self.dark.append(DarkPeriod(start, end, reason, details))
            self.dark.sort(key=lambda period: period.start)

    # -- movements -------------------------------------------------------------------------

    def listed_berth(self, port: Port) -> Berth | None:
        """The scenario's berth this ship uses in ``port`` (always the same one), if any.

        Chosen from the ship's index and the port's name (not ``hash()``), so the same seed
        gives the same truth; consecutive ships spread over the berths.
        """
        listed = self.berths.get(port)
        if not listed:
            return None
        return listed[(self.spec.index + zlib.crc32(port.name.encode())) % len(listed)]

    def berth(self, port: Port) -> tuple[float, float]:
        """Where this ship lies in ``port``, fixed: up to 120 m from its listed berth when the
        scenario lists berths there (ships sharing a berth lie apart), else up to about 300 m
        from the port point."""
        listed = self.listed_berth(port)
        if listed is not None:
            angle = (self.spec.index * 137.508) % 360.0
            lat, lon = offset_position(
                listed.lat, listed.lon, angle, 20.0 + (self.spec.index * 37) % 100
            )
            if self.router.mask.is_land(np.array([lat]), np.array([lon]))[0]:
                return listed.lat, listed.lon
            return lat, lon
        angle = (self.spec.index * 137.508 + len(port.name) * 29.0) % 360.0
        offset = 80.0 + (self.spec.index * 53 + port.lat * 1000) % 220.0
        north = offset * math.cos(math.radians(angle))
        east = offset * math.sin(math.radians(angle))
        return (
            port.lat + north / 111_195.0,
            port.lon + east / (111_195.0 * math.cos(math.radians(port.lat))),
        )

    def moor(self, port: Port, until: int, heading: float | None = None) -> None:
        """Lie at a berth in ``port`` until ``until`` (nav status 5, moored)."""
        lat, lon = self.berth(port)
        if self.at_port is not port:
            listed = self.listed_berth(port)
            self.calls.append(
                PortCall(
                    port=port,
                    arrival=self.t,
                    departure=until,
                    lat=lat,
                    lon=lon,
                    draught_arrival=self.draught,
                    draught_departure=self.draught,
                    anchored_from=self._anchored_from,
                    berth=listed.label if listed is not None else None,
                )
            )
        self._anchored_from = None
        self.calls[-1].departure = until
        bow = heading if heading is not None else (self.spec.index * 71.0 + port.lon * 10) % 360
        self._add("moored", until, 5, lat=lat, lon=lon, heading=bow, port=port)
        self.lat, self.lon, self.at_port = lat, lon, port

    def anchor(self, lat: float, lon: float, until: int, port: Port | None) -> None:
        """Ride at anchor at (lat, lon) until ``until`` (nav status 1)."""
        self._anchored_from = self.t if self._anchored_from is None else self._anchored_from
        heading = (self.spec.index * 53.0) % 360
        self._add("anchored", until, 1, lat=lat, lon=lon, heading=heading, port=port)
        self.lat, self.lon, self.at_port = lat, lon, None

    def drift(
        self,
        until: int,
        speed_kn: float,
        bearing: float,
        heading: float,
        label: str,
        status: int = 0,
    ) -> None:
        """Move slowly in a straight line (loitering, waiting, alongside another ship)."""
        if until <= self.t:
            return
        self._add(
            "drift",
            until,
            status,
            lat=self.lat,
            lon=self.lon,
            heading=heading % 360,
            speed=speed_kn * KNOT,
            bearing=bearing % 360,
            label=label,
        )
        distance = speed_kn * KNOT * (until - self.segments[-1].t0)
        self.lat, self.lon = offset_position(self.lat, self.lon, bearing, distance)
        self.at_port = None

    def route_to(self, lat: float, lon: float, port: Port | None = None) -> Route:
        """The route from where the ship is to (lat, lon), ending at the berth for a port.

        In and out of a port the route is found from its listed berth where the scenario
        gives one (a berth may lie 20 km from the port point, across a headland), else from
        the port point; the last few hundred metres to the ship's own spot are added.
        """
        start = self._route_end(self.at_port) if self.at_port else (self.lat, self.lon)
        end = self._route_end(port) if port else (lat, lon)
        route = self.router.route(start, end)
        return route.extended(
            (self.lat, self.lon) if self.at_port is not None else None,
            self.berth(port) if port is not None else None,
        )

    def _route_end(self, port: Port) -> tuple[float, float]:
        listed = self.listed_berth(port)
        return (listed.lat, listed.lon) if listed is not None else (port.lat, port.lon)

    def sail(
        self,
        lat: float,
        lon: float,
        speed_kn: float,
        port: Port | None = None,
        route: Route | None = None,
        start_m: float = 0.0,
        stop_m: float | None = None,
        status: int = 0,
        label: str = "",
        harbour_end: bool = False,
    ) -> int:
        """Steam to (lat, lon), or to a berth in ``port``; returns the arrival time.

        Leaving a port and entering one (or stopping at ``stop_m``, short of the end of
        ``route``, to anchor), the first and last :data:`HARBOUR_LEG_M` metres are sailed
        at harbour speed. ``start_m`` starts part-way along the route.
        """
        route = route if route is not None else self.route_to(lat, lon, port)
        stop = route.length_m if stop_m is None else min(stop_m, route.length_m)
        length = stop - start_m
        slow_start = min(HARBOUR_LEG_M, length / 4) if self.at_port is not None else 0.0
        slow_end = min(HARBOUR_LEG_M, length / 4) if port is not None or harbour_end else 0.0
        harbour = min(HARBOUR_SPEED_KN, speed_kn)
        legs = [
            (slow_start, harbour),
            (length - slow_start - slow_end, speed_kn),
            (slow_end, harbour),
        ]
        distance = start_m
        for leg_length, leg_speed in legs:
            d0, distance = distance, distance + leg_length
            if leg_length <= 0:
                continue
            seconds = max(1, round(leg_length / (leg_speed * KNOT)))
            self._add(
                "transit",
                self.t + seconds,
                status,
                route=route,
                d0=d0,
                speed=leg_length / seconds,
                label=label,
            )
        end_lat, end_lon, _ = route.at(np.array([stop]))
        self.lat, self.lon = float(end_lat[0]), float(end_lon[0])
        self.at_port = None
        return self.t

    def _add(self, kind: str, until: int, status: int, **values: Any) -> None:
        until = int(until)
        if until <= self.t:
            return
        self.segments.append(Segment(kind, self.t, until, status, **values))
        self.t = until


def travel_seconds(route: Route, speed_kn: float, from_port: bool, to_port: bool) -> int:
    """How long :meth:`VesselPlan.sail` takes along ``route`` (same harbour legs)."""
    length = route.length_m
    slow = (min(HARBOUR_LEG_M, length / 4) if from_port else 0.0) + (
        min(HARBOUR_LEG_M, length / 4) if to_port else 0.0
    )
    harbour = min(HARBOUR_SPEED_KN, speed_kn)
    return round(slow / (harbour * KNOT) + (length - slow) / (speed_kn * KNOT))


def offset_position(
    lat: float, lon: float, bearing: float, distance_m: float
) -> tuple[float, float]:
    """The point ``distance_m`` from (lat, lon) towards ``bearing`` (flat-earth, short hops)."""
    north = distance_m * math.cos(math.radians(bearing))
    east = distance_m * math.sin(math.radians(bearing))
    return (
        lat + north / 111_195.0,
        lon + east / (111_195.0 * math.cos(math.radians(lat))),
    )
