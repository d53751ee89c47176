"""The map figure's geography: a Web Mercator view fitted to the data, the land and zone
polygons clipped to it, and the frame (graticule, longitude and latitude labels, scale bar).

Web Mercator because the workspace's map (MapLibre) uses it: the dossier's map and the live
one look alike. Its scale changes with latitude, so the scale bar is true at the view's
middle latitude and says which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sanctionwatch.reports.svg_parts import (
    EARTH_RADIUS_KM,
    FloatArray,
    clip_ring,
    latitude_of,
    mercator_y,
    nice_step,
    ring_path,
    text,
)

INK, MUTED = "#1b1f24", "#4f5863"
DEGREE_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0)
KM_STEPS = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)
MIN_SPAN_DEG = 0.2  # a vessel that sat still still gets a map of some extent


class View:
    """The drawing's geography: a lon/lat box fitted to the plot area in Web Mercator."""

    def __init__(self, box: tuple[float, float, float, float], plot: tuple[float, ...]) -> None:
        west, south, east, north = box
        self.left, self.top, self.right, self.bottom = plot
        width, height = self.right - self.left, self.bottom - self.top
        x0, x1 = math.radians(west), math.radians(east)
        y0, y1 = float(mercator_y(south)), float(mercator_y(north))
        self.scale = min(width / (x1 - x0), height / (y1 - y0))  # pixels per radian
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        self.x0, self.x1 = mx - width / 2 / self.scale, mx + width / 2 / self.scale
        self.y0, self.y1 = my - height / 2 / self.scale, my + height / 2 / self.scale
        self.west, self.east = math.degrees(self.x0), math.degrees(self.x1)
        self.south, self.north = latitude_of(self.y0), latitude_of(self.y1)

    def x(self, lon: FloatArray | float) -> FloatArray:
        return self.left + (np.radians(np.asarray(lon, dtype=np.float64)) - self.x0) * self.scale

    def y(self, lat: FloatArray | float) -> FloatArray:
        return self.bottom - (mercator_y(lat) - self.y0) * self.scale

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return round(float(self.x(lon)), 1), round(float(self.y(lat)), 1)

    def shows(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def overlaps(self, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        return (
            west <= self.east and east >= self.west and south <= self.north and north >= self.south
        )

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.left - 2, self.top - 2, self.right + 2, self.bottom + 2)


def extent(data: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """West, south, east, north of the tracks, events and gaps (the ports' when none),
    with a margin."""
    lons: list[float] = []
    lats: list[float] = []
    for vessel in data.get("vessels", []):
        track = vessel["track"]
        for lon, lat in zip(track["lon"], track["lat"], strict=True):
            if lon is not None and lat is not None:
                lons.append(lon)
                lats.append(lat)
    for item in data.get("events", []):
        lons.append(item["lon"])
        lats.append(item["lat"])
    for gap in data.get("gaps", []):
        for end in (gap.get("from"), gap.get("to")):
            if end:
                lons.append(end[0])
                lats.append(end[1])
    if not lons:
        ports = data.get("layers", {}).get("ports", [])
        lons = [p["lon"] for p in ports] or [120.0, 135.0]
        lats = [p["lat"] for p in ports] or [30.0, 45.0]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x = max((east - west) * 0.08, (MIN_SPAN_DEG - (east - west)) / 2, 0.0)
    pad_y = max((north - south) * 0.08, (MIN_SPAN_DEG - (north - south)) / 2, 0.0)
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, -84.0),
        min(east + pad_x, 180.0),
        min(north + pad_y, 84.0),
    )


def polygon_paths(view: View, polygons: Sequence[Any]) -> list[str]:
    paths = []
    for bbox, rings in polygons:
        if not view.overlaps(bbox):
            continue
        parts = [ring_path(*clip_ring(view.x(lon), view.y(lat), view.box)) for lon, lat in rings]
        if parts[0]:
            paths.append("".join(parts))
    return paths


def _degrees(value: float, step: float, positive: str, negative: str) -> str:
    decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
    hemisphere = "" if round(value, decimals) == 0 else positive if value > 0 else negative
    return f"{abs(value):.{decimals}f}°{hemisphere}"


def frame(view: View) -> list[str]:
    """Graticule, frame, tick labels and the scale bar."""
    out = ['<g class="graticule" stroke="#8c959f" stroke-opacity="0.45" stroke-width="0.5">']
    labels = [f'<g class="ticks" font-size="10" fill="{MUTED}">']
    step = nice_step(view.east - view.west, 6, DEGREE_STEPS)
    for k in range(math.ceil(view.west / step), math.floor(view.east / step) + 1):
        x = round(float(view.x(k * step)), 1)
        out.append(f'<line x1="{x}" x2="{x}" y1="{view.top}" y2="{view.bottom}"/>')
        label = text(_degrees(k * step, step, "E", "W"))
        labels.append(f'<text x="{x}" y="{view.bottom + 13}" text-anchor="middle">{label}</text>')
    step = nice_step(view.north - view.south, 5, DEGREE_STEPS)
    for k in range(math.ceil(view.south / step), math.floor(view.north / step) + 1):
        y = round(float(view.y(k * step)), 1)
        out.append(f'<line x1="{view.left}" x2="{view.right}" y1="{y}" y2="{y}"/>')
        label = text(_degrees(k * step, step, "N", "S"))
        labels.append(f'<text x="{view.left - 4}" y="{y + 3}" text-anchor="end">{label}</text>')
    out.append("</g>")
    labels.append("</g>")
    width, height = view.right - view.left, view.bottom - view.top
    out.append(
        f'<rect class="frame" x="{view.left}" y="{view.top}" width="{width}" height="{height}" '
        f'fill="none" stroke="{MUTED}" stroke-width="1"/>'
    )
    return out + labels + _scale_bar(view)


def _scale_bar(view: View) -> list[str]:
    middle = (view.south + view.north) / 2
    km_per_px = EARTH_RADIUS_KM * math.cos(math.radians(middle)) / view.scale
    quarter = km_per_px * (view.right - view.left) / 4
    km = max([step for step in KM_STEPS if step <= quarter], default=KM_STEPS[0])
    px = round(km / km_per_px, 1)
    x, y = view.left + 10, view.bottom - 14
    label = text(f"{km:g} km (at {middle:.1f}°)")
    return [
        '<g class="scale-bar">',
        f'<rect x="{x - 4}" y="{y - 14}" width="{max(px, 90) + 8}" height="22" '
        'fill="#ffffff" fill-opacity="0.8"/>',
        f'<path d="M{x},{y - 3}V{y + 3}H{x + px}V{y - 3}" fill="none" stroke="{INK}" '
        'stroke-width="1.5"/>',
        f'<text x="{x}" y="{y - 5}" font-size="10" fill="{INK}">{label}</text>',
        "</g>",
    ]
