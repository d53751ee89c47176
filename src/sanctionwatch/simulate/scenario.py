"""What a scenario describes: ports, receivers, coverage holes, the fleet and its cast.

Scenarios are data: ``scenarios/<name>.toml`` (see ``rajin.toml``, with the sources of every
documented fact). This module reads them into frozen dataclasses; the planners
(:mod:`traffic` for the ordinary fleet, :mod:`cast` for the scripted ships, by their role
and the scenario's ``[[meetings]]``) turn them into vessel plans.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctionwatch.errors import InputError
from sanctionwatch.geo import Port, find_port, haversine_m
from sanctionwatch.simulate.berths import Berth, parse_berths

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class UnknownScenarioError(InputError):
    """The scenario asked for is not built in."""


@dataclass(frozen=True, slots=True)
class Identity:
    """What a transponder says about its ship. ``imo`` 0 = none given."""

    mmsi: int
    name: str
    callsign: str
    imo: int
    flag: str  # ISO 3166 alpha-2 the MMSI's MID stands for
    ship_type: int  # ITU-R M.1371 ship and cargo type


@dataclass(frozen=True, slots=True)
class VesselSpec:
    """One physical ship: how it is built and what it first says about itself."""

    index: int
    key: str
    role: str
    identity: Identity
    ais_class: str  # "A" or "B"
    length_m: float
    beam_m: float
    draught_ballast_m: float
    draught_laden_m: float
    speed_kn: float
    home: Port
    documented: bool = False
    description: str = ""
    invented: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def to_bow(self) -> int:
        """Antenna to bow, metres (the antenna sits about 80 % aft, as on most ships)."""
        return round(self.length_m * 0.8)

    @property
    def to_stern(self) -> int:
        return round(self.length_m) - self.to_bow

    @property
    def to_port(self) -> int:
        return round(self.beam_m / 2)

    @property
    def to_starboard(self) -> int:
        return round(self.beam_m) - self.to_port


@dataclass(frozen=True, slots=True)
class Station:
    """A receiving station: NMEA tag block ``\\s:`` name, position and range."""

    name: str
    lat: float
    lon: float
    range_km: float


@dataclass(frozen=True, slots=True)
class CoverageHole:
    """An area (box or circle) and time window in which nothing is received.

    ``start``/``end`` are Unix seconds (UTC); None means the whole run.
    """

    name: str
    kind: str
    lat_min: float = -90.0
    lat_max: float = 90.0
    lon_min: float = -180.0
    lon_max: float = 180.0
    centre: tuple[float, float] | None = None
    radius_km: float = 0.0
    start: int | None = None
    end: int | None = None

    def contains(self, lat: FloatArray, lon: FloatArray, t: npt.NDArray[np.int64]) -> BoolArray:
        """True where a report at (lat, lon, t seconds) falls inside the hole."""
        inside = np.ones(np.shape(lat), dtype=bool)
        if self.start is not None:
            inside &= t >= self.start
        if self.end is not None:
            inside &= t < self.end
        if self.centre is not None:
            inside &= haversine_m(lat, lon, self.centre[0], self.centre[1]) <= self.radius_km * 1e3
        else:
            inside &= (lat >= self.lat_min) & (lat <= self.lat_max)
            inside &= (lon >= self.lon_min) & (lon <= self.lon_max)
        return np.asarray(inside, dtype=bool)

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (for the manifest and the truth file)."""
        where: dict[str, Any]
        if self.centre is not None:
            where = {"lat": self.centre[0], "lon": self.centre[1], "radius_km": self.radius_km}
        else:
            where = {
                "lat_min": self.lat_min,
                "lat_max": self.lat_max,
                "lon_min": self.lon_min,
                "lon_max": self.lon_max,
            }
        return {"name": self.name, "kind": self.kind, **where}


@dataclass(frozen=True, slots=True)
class FleetType:
    """How one kind of ordinary vessel is drawn (ranges are [low, high])."""

    role: str
    share: float
    ais_class: str
    ship_type: int
    speed_kn: tuple[float, float]
    length_m: tuple[float, float]
    beam_ratio: tuple[float, float]
    draught_m: tuple[float, float]
    port_hours: tuple[float, float]
    anchor_share: float
    anchor_hours: tuple[float, float]
    fishing_hours: tuple[float, float] = (0.0, 0.0)
    fishing_speed_kn: tuple[float, float] = (0.0, 0.0)
    trip_km: tuple[float, float] = (0.0, 0.0)
    ground_km: tuple[float, float] = (25.0, 90.0)  # fishing grounds: this far from home


@dataclass(frozen=True, slots=True)
class FlagChoice:
    flag: str
    mids: tuple[int, ...]
    share: float
    callsign_prefix: str


@dataclass(frozen=True)
class Scenario:
    """A built-in scenario as read from its TOML file (times not yet placed in a run)."""

    name: str
    title: str
    default_start: datetime
    minimum_days: float
    ports: tuple[tuple[Port, float], ...]
    stations: tuple[Station, ...]
    satellites: tuple[str, ...]
    holes: tuple[dict[str, Any], ...]
    flags: tuple[FlagChoice, ...]
    name_first: tuple[str, ...]
    name_second: tuple[str, ...]
    fleet: tuple[FleetType, ...]
    cast: tuple[dict[str, Any], ...]
    meetings: tuple[dict[str, Any], ...] = ()
    # Ports kept at a distance by meetings and loitering besides the traffic's and the cast's
    # homes: named ones, and every gazetteer port inside ``region`` (lat/lon min, max).
    watched_ports: tuple[Port, ...] = ()
    region: tuple[float, float, float, float] | None = None
    # Encounter events say whether both transponders were on (``details.ais_visible``).
    encounter_visibility: bool = True
    # Ports whose ships lie at listed berths spread over the port, not at its point.
    berths: tuple[tuple[Port, tuple[Berth, ...]], ...] = ()

    def coverage_holes(self, start: int, end: int) -> list[CoverageHole]:
        """The holes placed in a run from ``start`` to ``end`` (Unix seconds).

        A timed hole that would not fit is moved earlier so that short runs keep it.
        """
        holes = []
        for raw in self.holes:
            begin: int | None = None
            finish: int | None = None
            if "start_hours" in raw:
                duration = int(float(raw["duration_hours"]) * 3600)
                duration = min(duration, max(3600, (end - start) // 3))
                begin = start + int(float(raw["start_hours"]) * 3600)
                if begin + duration > end - 3600:
                    begin = max(start + 3600, end - duration - 2 * 3600)
                finish = begin + duration
            common: dict[str, Any] = {"name": raw["name"], "kind": raw["kind"]}
            if "radius_km" in raw:
                holes.append(
                    CoverageHole(
                        **common,
                        centre=(float(raw["lat"]), float(raw["lon"])),
                        radius_km=float(raw["radius_km"]),
                        start=begin,
                        end=finish,
                    )
                )
            else:
                holes.append(
                    CoverageHole(
                        **common,
                        lat_min=float(raw["lat_min"]),
                        lat_max=float(raw["lat_max"]),
                        lon_min=float(raw["lon_min"]),
                        lon_max=float(raw["lon_max"]),
                        start=begin,
                        end=finish,
                    )
                )
        return holes


def scenario_names() -> list[str]:
    """Names of the built-in scenarios."""
    folder = resources.files("sanctionwatch.simulate").joinpath("scenarios")
    return sorted(
        item.name.removesuffix(".toml") for item in folder.iterdir() if item.name.endswith(".toml")
    )


def _pair(value: Any) -> tuple[float, float]:
    low, high = value
    return float(low), float(high)


def load_scenario(name: str) -> Scenario:
    """Read the built-in scenario ``name``; :class:`UnknownScenarioError` lists the others."""
    if name not in scenario_names():
        raise UnknownScenarioError(
            f"No built-in scenario {name!r}; choose one of: {', '.join(scenario_names())}."
        )
    text = (
        resources.files("sanctionwatch.simulate")
        .joinpath(f"scenarios/{name}.toml")
        .read_text("utf-8")
    )
    return scenario_from_toml(tomllib.loads(text), name)


def scenario_from_toml(data: dict[str, Any], name: str) -> Scenario:
    """A :class:`Scenario` from a parsed scenario file (``name`` for error messages)."""
    head = data["scenario"]
    fleet = data["fleet"]
    region = head.get("region")
    return Scenario(
        name=head["name"],
        title=head["title"],
        default_start=datetime.fromisoformat(head["default_start"]),
        minimum_days=float(head.get("minimum_days", 1.0)),
        ports=tuple((find_port(entry["port"]), float(entry["weight"])) for entry in data["ports"]),
        stations=tuple(
            Station(s["name"], float(s["lat"]), float(s["lon"]), float(s["range_km"]))
            for s in data["stations"]
        ),
        satellites=tuple(head["satellites"]),
        holes=tuple(data.get("coverage_holes", [])),
        flags=tuple(
            FlagChoice(
                f["flag"],
                tuple(int(m) for m in f["mids"]),
                float(f["share"]),
                f["callsign_prefix"],
            )
            for f in fleet["flags"]
        ),
        name_first=tuple(fleet["name_first"]),
        name_second=tuple(fleet["name_second"]),
        fleet=tuple(
            FleetType(
                role=t["role"],
                share=float(t["share"]),
                ais_class=t["ais_class"],
                ship_type=int(t["ship_type"]),
                speed_kn=_pair(t["speed_kn"]),
                length_m=_pair(t["length_m"]),
                beam_ratio=_pair(t["beam_ratio"]),
                draught_m=_pair(t["draught_m"]),
                port_hours=_pair(t["port_hours"]),
                anchor_share=float(t.get("anchor_share", 0.0)),
                anchor_hours=_pair(t.get("anchor_hours", (0.0, 0.0))),
                fishing_hours=_pair(t.get("fishing_hours", (0.0, 0.0))),
                fishing_speed_kn=_pair(t.get("fishing_speed_kn", (0.0, 0.0))),
                trip_km=_pair(t.get("trip_km", (0.0, 0.0))),
                ground_km=_pair(t.get("ground_km", (25.0, 90.0))),
            )
            for t in fleet["types"]
        ),
        cast=tuple(data.get("cast", [])),
        meetings=tuple(data.get("meetings", [])),
        watched_ports=tuple(find_port(name) for name in head.get("watched_ports", [])),
        region=None
        if region is None
        else (float(region[0]), float(region[1]), float(region[2]), float(region[3])),
        encounter_visibility=bool(head.get("encounter_visibility", True)),
        berths=tuple(
            (port, berths)
            for entry in data["ports"]
            if (berths := parse_berths(name, entry, port := find_port(entry["port"])))
        ),
    )


def cast_spec(index: int, raw: dict[str, Any]) -> VesselSpec:
    """A :class:`VesselSpec` for one ``[[cast]]`` entry of a scenario file."""
    known = {
        "key",
        "role",
        "name",
        "imo",
        "flag",
        "mmsi",
        "callsign",
        "ship_type",
        "description",
        "length_m",
        "beam_m",
        "draught_m",
        "speed_kn",
        "home",
        "invented",
        "sources",
    }
    ballast, laden = raw["draught_m"]
    return VesselSpec(
        index=index,
        key=raw["key"],
        role=raw["role"],
        identity=Identity(
            mmsi=int(raw["mmsi"]),
            name=raw["name"],
            callsign=raw["callsign"],
            imo=int(raw["imo"]),
            flag=raw["flag"],
            ship_type=int(raw["ship_type"]),
        ),
        ais_class="A",
        length_m=float(raw["length_m"]),
        beam_m=float(raw["beam_m"]),
        draught_ballast_m=float(ballast),
        draught_laden_m=float(laden),
        speed_kn=float(raw["speed_kn"]),
        home=find_port(raw["home"]),
        documented=bool(raw.get("sources")),
        description=raw.get("description", ""),
        invented=tuple(raw.get("invented", ())),
        sources=tuple(raw.get("sources", ())),
        extra={key: value for key, value in raw.items() if key not in known},
    )
