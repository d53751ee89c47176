"""Small parts of the dossier's SVG figures: escaping untrusted text, the Web Mercator
projection, clipping polygons to the drawing and the offline land layer.

Names in a figure come from AIS broadcasts and sanctions lists: untrusted. Every text and
attribute goes through :func:`text` or :func:`attr`, which also replace the characters XML
1.0 cannot hold (an AIS name with a control character would otherwise make the whole file
unreadable) with U+FFFD.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Ring = tuple[FloatArray, FloatArray]  # longitudes, latitudes (degrees), not closed
Polygon = tuple[tuple[float, float, float, float], list[Ring]]  # (lon/lat bbox, rings)

MAX_LAT = 85.0  # Web Mercator's usable range (it runs to infinity at the poles)
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: object) -> str:
    """``value`` as text that XML 1.0 can hold (forbidden characters as U+FFFD)."""
    return _NOT_XML.sub("\ufffd", str(value))


def text(value: object) -> str:
    """Element content, escaped."""
    return escape(clean(value))


def attr(value: object) -> str:
    """An attribute value, escaped and quoted."""
    return quoteattr(clean(value))


def shorten(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def mercator_y(lat: FloatArray | float) -> FloatArray:
    """Web Mercator's northing in radians (the easting is the longitude in radians)."""
    clipped = np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT)
    result: FloatArray = np.log(np.tan(np.pi / 4 + np.radians(clipped) / 2))
    return result


def latitude_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def nice_step(span: float, count: int, steps: tuple[float, ...]) -> float:
    """The smallest of ``steps`` giving at most ``count`` intervals across ``span``."""
    return next((s for s in steps if span / s <= count), steps[-1])


def _clip_edge(x: FloatArray, y: FloatArray, axis: int, bound: float, keep_above: bool) -> Ring:
    """One pass of Sutherland-Hodgman: the ring cut by the line ``axis == bound``."""
    v = x if axis == 0 else y
    inside = v >= bound if keep_above else v <= bound
    if inside.all():
        return x, y
    if not inside.any():
        return np.empty(0), np.empty(0)
    nx, ny, nv, n_inside = (np.roll(a, -1) for a in (x, y, v, inside))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (bound - v) / (nv - v)
    ix = np.full_like(x, bound) if axis == 0 else x + t * (nx - x)
    iy = np.full_like(y, bound) if axis == 1 else y + t * (ny - y)
    # each edge i -> i+1 gives its crossing (if it crosses) then its end (if inside)
    mask = np.stack([inside != n_inside, n_inside], axis=1).ravel()
    return np.stack([ix, nx], axis=1).ravel()[mask], np.stack([iy, ny], axis=1).ravel()[mask]


def clip_ring(x: FloatArray, y: FloatArray, box: tuple[float, float, float, float]) -> Ring:
    """A ring (pixels) clipped to ``box`` (left, top, right, bottom), coordinates rounded to
    half a pixel and repeated points dropped: a continent's coastline far outside the view
    costs nothing in the file."""
    left, top, right, bottom = box
    for axis, bound, above in (
        (0, left, True),
        (0, right, False),
        (1, top, True),
        (1, bottom, False),
    ):
        x, y = _clip_edge(x, y, axis, bound, above)
        if len(x) == 0:
            return x, y
    x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
    keep = np.ones(len(x), dtype=np.bool_)
    keep[1:] = (np.diff(x) != 0) | (np.diff(y) != 0)
    return x[keep], y[keep]


def ring_path(x: FloatArray, y: FloatArray) -> str:
    """An SVG path's subpath for a closed ring (empty when fewer than three points)."""
    if len(x) < 3:
        return ""
    pairs = " ".join(f"{a:g},{b:g}" for a, b in zip(x.tolist(), y.tolist(), strict=True))
    return f"M{pairs}Z"


def polygons_of(geometry: dict[str, object]) -> list[Polygon]:
    """A GeoJSON Polygon or MultiPolygon as rings of numpy arrays with their bounding box."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return []
    parts = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    out: list[Polygon] = []
    for part in parts:
        rings: list[Ring] = []
        for ring in part:
            points = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
            if len(points) > 1 and (points[0] == points[-1]).all():
                points = points[:-1]
            rings.append((points[:, 0].copy(), points[:, 1].copy()))
        if rings and len(rings[0][0]):
            lon, lat = rings[0]
            bbox = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
            out.append((bbox, rings))
    return out


@cache
def land_polygons() -> tuple[Polygon, ...]:
    """Natural Earth 1:50m land (public domain), the file the web map draws."""
    path = resources.files("sanctionwatch.web").joinpath("static", "geo", "land-50m.geojson")
    data = json.loads(path.read_text("utf-8"))
    found: list[Polygon] = []
    for feature in data["features"]:
        found.extend(polygons_of(feature["geometry"]))
    return tuple(found)
