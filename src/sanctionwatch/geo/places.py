"""Ports as places made of points: anchorage points plus the gazetteer point.

A large port spreads over tens of kilometres (Global Fishing Watch's anchorage points
labelled QINGDAO span 35.57-36.27 N, 119.77-121.39 E), so "within 3 km of the port" means
within 3 km of any of its points, not of one gazetteer point. The bundled
``data/port_points.parquet`` (built by ``tools/build_port_places.py``; provenance in
``data/PROVENANCE.md``) has one row per point: the place it belongs to (key and name, as
events report it), its kind (``anchorage``, ``wpi`` or ``manual``), position, GFW label and
sublabel, S2 cell id and country. Places named after a World Port Index port keep that
port's name (``Qingdao Gang``, ``Najin``); the others carry their GFW label in title case.

Loaded once per process, on first use (about 0.1 s); nothing here reads outside the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq

from sanctionwatch.geo.ports import Port, haversine_m
from sanctionwatch.geo.units import METRES_PER_DEGREE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Place:
    """One port as a place. ``lat``/``lon``: its gazetteer point, else its central point."""

    key: str  # wpi:<WPI number>, manual:<name> or gfw:<ISO2>:<GFW label>
    name: str
    country: str  # ISO 3166 alpha-2, upper case
    locode: str | None
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class PlacePoints:
    """Every point of every place, sorted by latitude (for band searches).

    ``place[i]`` indexes ``places``; ``label``/``sublabel`` are None for gazetteer points.
    """

    places: tuple[Place, ...]
    place: IntArray
    lat: FloatArray
    lon: FloatArray
    kind: tuple[str, ...]
    label: tuple[str | None, ...]
    sublabel: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class Nearest:
    """The place nearest a position: its name, the distance in metres to its nearest point,
    and that point (index into :func:`place_points`, label and sublabel)."""

    place: Place
    metres: float
    point: int
    label: str | None
    sublabel: str | None


@cache
def place_points() -> PlacePoints:
    """The bundled points (read once per process)."""
    path = resources.files("sanctionwatch.geo").joinpath("data/port_points.parquet")
    with resources.as_file(path) as file:
        table = pq.read_table(file)
    columns = table.to_pydict()
    lat = np.asarray(columns["lat"], dtype=np.float64)
    order = np.argsort(lat, kind="stable")
    keys: dict[str, int] = {}
    first: list[int] = []
    gazetteer: dict[str, int] = {}
    for row, key in enumerate(columns["place"]):
        if key not in keys:
            keys[key] = len(keys)
            first.append(row)
        if columns["kind"][row] != "anchorage":
            gazetteer[key] = row
    lon = np.asarray(columns["lon"], dtype=np.float64)
    places = []
    for key, row in zip(keys, first, strict=True):
        centre = gazetteer.get(key, row)
        places.append(
            Place(
                key,
                columns["name"][row],
                columns["country"][row],
                columns["locode"][row],
                float(lat[centre]),
                float(lon[centre]),
            )
        )
    place = np.array([keys[key] for key in columns["place"]], dtype=np.int64)
    return PlacePoints(
        places=tuple(places),
        place=place[order],
        lat=lat[order],
        lon=lon[order],
        kind=tuple(columns["kind"][i] for i in order),
        label=tuple(columns["label"][i] for i in order),
        sublabel=tuple(columns["sublabel"][i] for i in order),
    )


@cache
def place_index() -> dict[str, int]:
    """Place key -> its position in ``place_points().places``."""
    return {place.key: i for i, place in enumerate(place_points().places)}


def place_key(port: Port) -> str:
    """The key of the place a gazetteer port belongs to (``wpi:60510`` for Najin)."""
    return f"manual:{port.name}" if port.manual else f"wpi:{port.wpi_number}"


@cache
def points_of(key: str) -> IntArray:
    """Indexes (into :func:`place_points`) of the points of one place."""
    points = place_points()
    return np.nonzero(points.place == place_index()[key])[0]


def nearest_place(lat: float, lon: float) -> Nearest | None:
    """The place whose nearest point is nearest to (``lat``, ``lon``), in degrees.

    Searches a latitude band that doubles until it holds a point closer than its own half
    height, so far out at sea it still answers (with a large distance); None only when
    there are no points at all.
    """
    points = place_points()
    if not len(points.lat):
        return None
    reach_deg = 0.25
    while True:
        lo, hi = np.searchsorted(points.lat, [lat - reach_deg, lat + reach_deg])
        if hi > lo:
            distances = haversine_m(lat, lon, points.lat[lo:hi], points.lon[lo:hi])
            best = int(np.argmin(distances))
            metres = float(distances[best])
            if metres <= reach_deg * METRES_PER_DEGREE or reach_deg >= 180:
                point = lo + best
                return Nearest(
                    points.places[int(points.place[point])],
                    metres,
                    int(point),
                    points.label[point],
                    points.sublabel[point],
                )
        reach_deg *= 2


def any_point_within(lat: float, lon: float, metres: float) -> bool:
    """Whether any point of any place is closer than ``metres`` to (``lat``, ``lon``)."""
    points = place_points()
    reach_deg = metres / METRES_PER_DEGREE * 1.01
    lo, hi = np.searchsorted(points.lat, [lat - reach_deg, lat + reach_deg])
    if lo == hi:
        return False
    return bool((haversine_m(lat, lon, points.lat[lo:hi], points.lon[lo:hi]) < metres).any())


def distance_to_place_m(lat: float, lon: float, key: str) -> float:
    """Metres from (``lat``, ``lon``) to the nearest point of the place ``key``."""
    points = place_points()
    members = points_of(key)
    return float(haversine_m(lat, lon, points.lat[members], points.lon[members]).min())
