"""Known ship-to-ship transfer areas, as editable GeoJSON polygons (``zones.geojson``).

Each feature has ``properties.name`` and ``properties.source``: where the area comes from
and how exact it is (the bundled boxes are coarse drawings from descriptions in words, and
say so). A user's own file (a FeatureCollection of Polygons or MultiPolygons) replaces the
bundled one. Coordinates are GeoJSON's (longitude, latitude); an area must not cross the
antimeridian (none of the documented ones does).

Point in polygon is done by hand, by ray casting: the package has no geometry dependency
(shapely is not one) and the test runs once per loitering event against a handful of
small polygons, where a bounding-box check first and a few dozen edge tests after cost
nothing. Ray casting counts how many ring edges a ray from the point crosses; an odd count
is inside. Counting over all rings of a zone at once (even-odd rule) makes holes and the
parts of a MultiPolygon come out right without telling them apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, closed or not


@dataclass(frozen=True)
class Zone:
    name: str
    source: str  # where the area comes from, and how exact it is
    rings: tuple[Ring, ...]  # every ring of every polygon: outer rings and holes alike
    bbox: tuple[float, float, float, float] = field(
        init=False
    )  # lon_min, lat_min, lon_max, lat_max

    def __post_init__(self) -> None:
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        object.__setattr__(self, "bbox", (min(lons), min(lats), max(lons), max(lats)))


def point_in_zone(lat: float, lon: float, zone: Zone) -> bool:
    """True when (``lat``, ``lon``), degrees WGS 84, lies inside ``zone`` (even-odd rule)."""
    lon_min, lat_min, lon_max, lat_max = zone.bbox
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        return False
    inside = False
    for ring in zone.rings:
        previous = ring[-1]
        for point in ring:
            (x1, y1), (x2, y2) = previous, point
            # The edge straddles the point's latitude (half-open, so a vertex is counted
            # once) and crosses the eastward ray from the point.
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
            previous = point
    return inside


def zones_at(lat: float, lon: float, zones: tuple[Zone, ...]) -> list[Zone]:
    """The zones containing the point."""
    return [zone for zone in zones if point_in_zone(lat, lon, zone)]


@cache
def default_zones() -> tuple[Zone, ...]:
    """The bundled areas (Korea Bay, off Nampo, the East China Sea, the Gulf of Tonkin)."""
    text = resources.files("sanctionwatch.risk").joinpath("zones.geojson").read_text("utf-8")
    return parse_zones(json.loads(text), "zones.geojson")


def load_zones(path: Path) -> tuple[Zone, ...]:
    """Zones from a user's GeoJSON file; ``InputError`` naming the file and the feature."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the transfer zones ({exc})") from exc
    return parse_zones(data, str(path))


def parse_zones(data: Any, source: str) -> tuple[Zone, ...]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError(f"{source}: transfer zones must be a GeoJSON FeatureCollection")
    zones = []
    for number, feature in enumerate(data.get("features") or [], 1):
        properties = (feature or {}).get("properties") or {}
        name = properties.get("name")
        where = f"{source}: feature {number} ({name or 'no name'})"
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}: needs properties.name")
        if not isinstance(properties.get("source"), str) or not properties["source"].strip():
            raise InputError(f"{where}: needs properties.source (where the area comes from)")
        zones.append(Zone(name, properties["source"], _rings(feature.get("geometry"), where)))
    if not zones:
        raise InputError(f"{source}: no transfer zone in the file")
    return tuple(zones)


def _rings(geometry: Any, where: str) -> tuple[Ring, ...]:
    kind = (geometry or {}).get("type")
    coordinates: Any = (geometry or {}).get("coordinates")
    polygons: Any
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise InputError(f"{where}: geometry must be a Polygon or MultiPolygon, not {kind!r}")
    rings: list[Ring] = []
    try:
        for polygon in polygons:
            for ring in polygon:
                points = tuple((float(p[0]), float(p[1])) for p in ring)
                if len(points) < 4 or any(
                    not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in points
                ):
                    raise ValueError("a ring needs 4 or more (lon, lat) points within range")
                rings.append(points)
    except (TypeError, ValueError, IndexError) as exc:
        raise InputError(f"{where}: bad coordinates ({exc})") from exc
    if not rings:
        raise InputError(f"{where}: the geometry has no ring")
    return tuple(rings)


__all__ = ["Zone", "default_zones", "load_zones", "parse_zones", "point_in_zone", "zones_at"]
