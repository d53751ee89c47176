"""The dossier's figures as standalone SVG: the case map and the case timeline.

``map_svg`` draws offline what the workspace's map draws (``web/mapdata.map_data``, the
format is in ``web/routers/maps.py``): Natural Earth land from the package, tracks coloured
by speed (the same classes and colours as ``static/js/map.js``), silences longer than the
gap detector's threshold and gap events as dashed lines, events as markers by type, the
watched ports and transfer zones in view, a frame with longitude and latitude ticks, a
scale bar and a legend. The projection is Web Mercator, as in the browser, so the static map
and the live one look alike; the scale bar is true at the map's middle latitude and says so.
A view across the antimeridian is not handled (it is drawn as a view round the world).

``timeline_svg`` (from ``timeline_figure.py``) draws a ``web.timeline.lay_out`` result
exactly where the case page puts it, with the page's colours written as attributes.

Both are standalone (no external reference, no script), escape every text (names are
untrusted) and are deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from sanctionwatch.reports.map_frame import INK, MUTED, View, extent, frame, polygon_paths
from sanctionwatch.reports.svg_parts import attr, land_polygons, polygons_of, shorten, text
from sanctionwatch.reports.timeline_figure import timeline_svg

__all__ = ["map_svg", "timeline_svg"]

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
SEA, LAND, COAST = "#dbe7f0", "#f3f1ea", "#b9b3a2"
# (label, colour) by speed class: as static/js/map.js (under 5 kn, 5-12, 12 and over, none)
SPEEDS = (
    ("under 5 kn", "#2166ac"),
    ("5 to 12 kn", "#4dac26"),
    ("12 kn and over", "#d6604d"),
    ("speed not reported", "#7b8794"),
)
GAP_STROKE = "#333333"
# event type -> (legend label, colour as on the web map, marker shape for print in grey)
EVENTS: dict[str, tuple[str, str, str]] = {
    "encounter": ("Encounter", "#a4161a", "circle"),
    "port_call": ("Port call", "#1d6fa5", "square"),
    "loitering": ("Loitering", "#8a5300", "diamond"),
    "gap": ("AIS gap (start)", "#6c757d", "triangle"),
    "identity": ("Identity change", "#5a189a", "down"),
    "identity_change": ("Identity change", "#5a189a", "down"),
    "draught_change": ("Draught change", "#2b8a3e", "hexagon"),
}
OTHER_EVENT = ("Other event", "#495057", "circle")
PORT_COLOUR, ZONE_FILL, ZONE_LINE = "#12355b", "#f2c14e", "#a07c00"
HALO = 'stroke="#ffffff" stroke-width="3" stroke-opacity="0.85" paint-order="stroke"'
LEGEND_W = 190


def speed_class(sog: float | None) -> int:
    """0, 1, 2 for under 5 kn, 5 to 12, 12 and over; 3 when no speed was reported."""
    if sog is None or math.isnan(sog):
        return 3
    return 0 if sog < 5 else 1 if sog < 12 else 2


def marker(shape: str, cx: float, cy: float, r: float) -> str:
    """An SVG path (``d``) of a marker centred on (cx, cy)."""
    if shape == "circle":
        return f"M{cx - r:.1f},{cy:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        points = [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]
    elif shape == "diamond":
        points = [(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)]
    elif shape == "triangle":
        points = [(0, -1.15), (1.1, 0.8), (-1.1, 0.8)]
    elif shape == "down":
        points = [(0, 1.15), (1.1, -0.8), (-1.1, -0.8)]
    else:  # hexagon
        points = [(math.cos(a), math.sin(a)) for a in np.linspace(0, 2 * math.pi, 7)[:-1]]
    return "M" + " ".join(f"{cx + dx * r:.1f},{cy + dy * r:.1f}" for dx, dy in points) + "Z"


def _tracks(view: View, vessels: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Each track as one path per speed class, its silences as dashed segments; and
    the vessels' labels (name at the last position, an open circle at the first)."""
    lines, labels = [], []
    for vessel in vessels:
        track = vessel["track"]
        x = view.x(np.asarray(track["lon"], dtype=np.float64)).round(1).tolist()
        y = view.y(np.asarray(track["lat"], dtype=np.float64)).round(1).tolist()
        classes = [speed_class(s) for s in track["sog"]]
        breaks = set(vessel.get("breaks", []))
        runs: list[tuple[int, list[int]]] = []
        for i in range(len(x) - 1):
            if i in breaks:
                lines.append(_dashed(x[i], y[i], x[i + 1], y[i + 1], vessel["mmsi"]))
                runs.append((-1, []))
                continue
            if not runs or runs[-1][0] != classes[i]:
                runs.append((classes[i], [i]))
            runs[-1][1].append(i + 1)
        subpaths: dict[int, list[str]] = {}  # one path per speed class: runs as subpaths
        for cls, indices in runs:
            if len(indices) > 1:
                points = " ".join(f"{x[i]},{y[i]}" for i in indices)
                subpaths.setdefault(cls, []).append(f"M{points}")
        for cls, parts in sorted(subpaths.items()):
            lines.append(
                f'<path class="track speed-{cls}" data-mmsi="{vessel["mmsi"]}" '
                f'd="{"".join(parts)}" stroke="{SPEEDS[cls][1]}"/>'
            )
        if x:
            name = vessel.get("name") or f"MMSI {vessel['mmsi']}"
            labels.append(
                f'<circle class="track-start" cx="{x[0]}" cy="{y[0]}" r="3" fill="#ffffff" '
                f'stroke="{INK}" stroke-width="1.2"/>'
                f'<text class="vessel-label" x="{x[-1] + 6}" y="{y[-1] - 6}" {HALO}>'
                f"{text(shorten(str(name)))}</text>"
            )
    return lines, labels


def _dashed(x0: float, y0: float, x1: float, y1: float, mmsi: object) -> str:
    return (
        f'<line class="gap" data-mmsi="{text(mmsi)}" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" '
        f'stroke="{GAP_STROKE}" stroke-width="1.8" stroke-dasharray="5 4"/>'
    )


def _gap_lines(view: View, gaps: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for gap in gaps:
        if gap.get("from") and gap.get("to"):
            (x0, y0), (x1, y1) = view.point(*gap["from"]), view.point(*gap["to"])
            out.append(_dashed(x0, y0, x1, y1, gap["mmsi"]))
    return out


def _events(
    view: View, events: Sequence[Mapping[str, Any]], labels: Mapping[int, str]
) -> list[str]:
    """A marker per event (its text as the tooltip) and, for events given a label, the
    label beside it: one label for markers on the same spot ("1, 2")."""
    out = []
    spots: list[tuple[float, float, list[str]]] = []
    for event in events:
        label, colour, shape = EVENTS.get(str(event["type"]), OTHER_EVENT)
        cx, cy = view.point(event["lon"], event["lat"])
        out.append(
            f'<path class="event" data-type={attr(event["type"])} d="{marker(shape, cx, cy, 5.5)}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1.2">'
            f"<title>{text(event.get('text') or label)}</title></path>"
        )
        if event.get("id") in labels:
            near = next((s for s in spots if abs(s[0] - cx) < 8 and abs(s[1] - cy) < 8), None)
            if near is None:
                spots.append((cx, cy, [labels[event["id"]]]))
            else:
                near[2].append(labels[event["id"]])
    for x, y, names in spots:
        out.append(
            f'<text class="event-label" x="{x + 8}" y="{y - 7}" font-size="10" '
            f'font-weight="bold" fill="{INK}" {HALO}>{text(", ".join(names))}</text>'
        )
    return out


def _ports(view: View, ports: Sequence[Mapping[str, Any]]) -> list[str]:
    """The watched ports in view; a port's name is left out where it would overprint one
    already written (its point and its title stay)."""
    out = []
    written: list[tuple[float, float, float]] = []  # label centre x, y, half width
    for port in ports:
        if not view.shows(port["lon"], port["lat"]):
            continue
        cx, cy = view.point(port["lon"], port["lat"])
        name = str(port["name"])
        half = 3.2 * len(name) + 4
        out.append(
            f'<circle class="port" cx="{cx}" cy="{cy}" r="3.5" fill="{PORT_COLOUR}" '
            f'stroke="#ffffff" stroke-width="1"><title>{text(name)}</title></circle>'
        )
        if any(abs(cx - x) < half + h and abs(cy - y) < 12 for x, y, h in written):
            continue
        written.append((cx, cy, half))
        out.append(
            f'<text class="port-label" x="{cx}" y="{cy + 13}" text-anchor="middle" '
            f'fill="{PORT_COLOUR}" {HALO}>{text(name)}</text>'
        )
    return out


def _legend(x: float, y: float, data: Mapping[str, Any], zones: bool) -> list[str]:
    rows: list[str] = [f'<g class="legend" font-size="11" fill="{INK}">']

    def line(label: str, symbol: str) -> None:
        nonlocal y
        rows.append(f'{symbol}<text x="{x + 26}" y="{y + 4}">{text(label)}</text>')
        y += 16

    def heading(label: str) -> None:
        nonlocal y
        rows.append(f'<text x="{x}" y="{y + 4}" font-weight="bold">{text(label)}</text>')
        y += 16

    heading("Track speed")
    for label, colour in SPEEDS:
        line(
            label,
            f'<line x1="{x}" x2="{x + 20}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="3"/>',
        )
    line("AIS silence (gap)", _dashed(x, y, x + 20, y, "legend"))
    line("first position", f'<circle cx="{x + 10}" cy="{y}" r="3" fill="#fff" stroke="{INK}"/>')
    types = sorted({str(e["type"]) for e in data.get("events", [])})
    heading("Events" if types else "Events: none")
    for kind in types:
        label, colour, shape = EVENTS.get(kind, OTHER_EVENT)
        line(label, f'<path d="{marker(shape, x + 10, y, 5.5)}" fill="{colour}"/>')
    heading("Places")
    line("watched port", f'<circle cx="{x + 10}" cy="{y}" r="3.5" fill="{PORT_COLOUR}"/>')
    if zones:
        line(
            "transfer zone",
            f'<rect x="{x}" y="{y - 6}" width="20" height="12" fill="{ZONE_FILL}" '
            f'fill-opacity="0.3" stroke="{ZONE_LINE}"/>',
        )
    rows.append("</g>")
    return rows


def _when(seconds: int | None) -> str:
    if seconds is None:
        return "the end of the data"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _caption(data: Mapping[str, Any]) -> tuple[str, str]:
    vessels = data.get("vessels", [])
    names = ", ".join(str(v.get("name") or f"MMSI {v['mmsi']}") for v in vessels[:6])
    if len(vessels) > 6:
        names += f" and {len(vessels) - 6} more"
    title = f"Tracks and events: {names}" if names else "Tracks and events: no vessel"
    times = [t for v in vessels for t in v["track"]["t"][:1] + v["track"]["t"][-1:]]
    span = f"{_when(min(times))} to {_when(max(times))}" if times else "no positions"
    decimation = data.get("decimation") or {}
    points = sum(v.get("points", 0) for v in vessels)
    total = sum(v.get("decimated_from", 0) for v in vessels)
    note = (
        f"Positions {span}; {points:,} of {total:,} drawn"
        + (f" ({decimation['rule']})" if decimation.get("rule") and points < total else "")
        + ". Web Mercator; land: Natural Earth 1:50m (public domain)."
    )
    return title, note


def map_svg(
    data: Mapping[str, Any],
    *,
    width: int = 900,
    height: int = 560,
    event_labels: Mapping[int, str] | None = None,
) -> str:
    """The map of ``data`` (``web.mapdata.map_data`` output) as a standalone SVG document,
    ``width`` by ``height`` pixels (see the module docstring for what it shows).
    ``event_labels``: text written beside the marker of the event with that ``id`` (the
    dossier's event numbers, say); none by default."""
    plot = (56.0, 40.0, float(width - LEGEND_W), float(height - 46))
    view = View(extent(data), plot)
    zone_polygons = [
        p
        for feature in data.get("layers", {}).get("zones", {}).get("features", [])
        for p in polygons_of(feature.get("geometry") or {})
    ]
    zones = polygon_paths(view, zone_polygons)
    tracks, labels = _tracks(view, data.get("vessels", []))
    title, note = _caption(data)
    clip = 'clip-path="url(#plot)"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
        'aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{text(title)}</title>',
        f'<desc id="map-desc">{text(note)}</desc>',
        f'<defs><clipPath id="plot"><rect x="{view.left}" y="{view.top}" '
        f'width="{view.right - view.left}" height="{view.bottom - view.top}"/></clipPath></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<rect x="{view.left}" y="{view.top}" width="{view.right - view.left}" '
        f'height="{view.bottom - view.top}" fill="{SEA}"/>',
        f'<g class="land" {clip} fill="{LAND}" stroke="{COAST}" stroke-width="0.6" '
        'fill-rule="evenodd">',
        *(f'<path d="{d}"/>' for d in polygon_paths(view, land_polygons())),
        "</g>",
        f'<g class="zones" {clip} fill="{ZONE_FILL}" fill-opacity="0.25" stroke="{ZONE_LINE}" '
        'stroke-width="1" fill-rule="evenodd">',
        *(f'<path d="{d}"/>' for d in zones),
        "</g>",
        *frame(view),
        f'<g class="tracks" {clip} fill="none" stroke-width="2.5" stroke-linejoin="round" '
        'stroke-linecap="round">',
        *tracks,
        *_gap_lines(view, data.get("gaps", [])),
        "</g>",
        f'<g class="ports" {clip} font-size="10" stroke-linejoin="round">',
        *_ports(view, data.get("layers", {}).get("ports", [])),
        "</g>",
        f'<g class="events" {clip}>',
        *_events(view, data.get("events", []), event_labels or {}),
        "</g>",
        f'<g class="vessels" {clip} font-size="11" font-weight="bold" fill="{INK}">',
        *labels,
        "</g>",
        *_legend(view.right + 16, view.top + 8, data, bool(zones)),
        f'<text x="{view.left}" y="24" font-size="15" font-weight="bold" fill="{INK}">'
        f"{text(shorten(title, 95))}</text>",
        f'<text x="{view.left}" y="{height - 12}" font-size="9.5" fill="{MUTED}">'
        f"{text(shorten(note, 170))}</text>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
