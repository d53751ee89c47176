"""A case's events on one time axis, laid out in Python for a server-rendered SVG.

The page's CSP refuses ``style=""``, so nothing can be positioned by a stylesheet or a
script written into the page: every position and size is computed here and written as an
SVG attribute (``x``, ``y``, ``width``, ``points``); colours come from classes
(``ev ev-<type>`` in app.css). One lane per vessel, and within a lane one row per kind of
event, so a gap and a port call at the same time do not hide each other.

Events with a duration (gaps, encounters, port calls, loitering) are bars from start to end
(an open one, still going when the data ends, runs to the end of the axis); identity and
draught changes are instants, drawn as diamonds. A bar is never thinner than
``MIN_BAR`` pixels, so a ten-minute event in a year-long case can still be seen and focused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sanctionwatch.cases.evidence import ms_of
from sanctionwatch.web.pages.common import iso_time

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
# (row key, label, event types drawn in it), top to bottom within a lane.
ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("gap", "AIS gaps", ("gap",)),
    ("encounter", "Encounters", ("encounter",)),
    ("port_call", "Port calls", ("port_call",)),
    ("loitering", "Loitering", ("loitering",)),
    ("change", "Identity, draught", ("identity", "identity_change", "draught_change")),
)
INSTANT_TYPES = frozenset({"identity", "identity_change", "draught_change"})
KNOWN_TYPES = frozenset(t for _, _, types in ROWS for t in types)
TYPE_LABELS = {
    "gap": "AIS gap",
    "encounter": "Encounter",
    "port_call": "Port call",
    "loitering": "Loitering",
    "identity": "Identity change",
    "identity_change": "Identity change",
    "draught_change": "Draught change",
}
TICK_STEPS_MS = (
    HOUR_MS, 2 * HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS,
    DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 28 * DAY_MS, 91 * DAY_MS, 182 * DAY_MS,
    365 * DAY_MS, 730 * DAY_MS, 1826 * DAY_MS,
)  # fmt: skip
MAX_TICKS = 9
MONDAY_MS = 4 * DAY_MS  # 1970-01-05, the first Monday after the epoch

WIDTH = 1100  # pixels of the whole drawing (the container scrolls on a narrow screen)
GUTTER = 190  # left margin for the lane and row labels
RIGHT = 20
TOP = 34  # the axis and its labels
LANE_HEAD = 20  # the vessel's label line
ROW_H = 16
BAR_H = 10
LANE_GAP = 10
MIN_BAR = 3.0


@dataclass(frozen=True)
class LaneInput:
    """One vessel: its label (name and MMSI, as the page shows them) and its events as the
    event contract gives them (``type``, ``start``, ``end`` ISO times, ``other_mmsi``, ...)."""

    label: str
    mmsi: int | None
    events: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Mark:
    """One event, drawn: a bar (``x``, ``y``, ``width``, ``height``) or a diamond
    (``points``); ``label`` is its accessible name and tooltip."""

    lane: int
    row: str
    type: str
    css: str
    bar: bool
    x: float
    y: float
    width: float
    height: float
    points: str
    start_ms: int
    end_ms: int | None
    open: bool
    label: str
    lane_label: str
    other_mmsi: int | None
    port: str | None
    summary: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    y: float


@dataclass(frozen=True)
class Lane:
    label: str
    mmsi: int | None
    y: float
    height: float
    rows: list[Row]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: int
    right: float
    axis_y: int
    start_ms: int
    end_ms: int
    lanes: list[Lane] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.marks

    @property
    def description(self) -> str:
        """What the drawing shows, in words (its accessible description)."""
        if self.empty:
            return "No events for the case's vessels."
        return (
            f"{len(self.marks)} events of {len(self.lanes)} vessels from "
            f"{iso_time(self.start_ms)} to {iso_time(self.end_ms)}"
        )


def row_of(event_type: str) -> str:
    for key, _, types in ROWS:
        if event_type in types:
            return key
    return "other"


def _times(event: Mapping[str, Any]) -> tuple[int, int | None]:
    start = ms_of(str(event["start"]))
    end = event.get("end")
    return start, (ms_of(str(end)) if end else None)


Timed = tuple[int, int | None, Mapping[str, Any]]  # an event's start and end, read once


def _domain(lanes: list[list[Timed]]) -> tuple[int, int]:
    """The axis's span: every event's start and end, with a margin on each side."""
    times: list[int] = []
    for lane in lanes:
        for start, end, _ in lane:
            times.append(start)
            if end is not None:
                times.append(end)
    if not times:
        return 0, 0
    low, high = min(times), max(times)
    pad = max((high - low) // 40, HOUR_MS)
    return low - pad, high + pad


def ticks(start_ms: int, end_ms: int, left: float, right: float) -> list[Tick]:
    """Round times (hours, days, weeks, ...) across the axis, at most ``MAX_TICKS``."""
    span = end_ms - start_ms
    if span <= 0:
        return []
    step = next((s for s in TICK_STEPS_MS if span / s <= MAX_TICKS), TICK_STEPS_MS[-1])
    origin = MONDAY_MS if step % (7 * DAY_MS) == 0 else 0  # weeks start on Mondays
    first = origin + -(-(start_ms - origin) // step) * step
    fmt = "%Y-%m-%d" if step >= DAY_MS else "%m-%d %H:%M"
    scale = (right - left) / span
    return [
        Tick(
            round(left + (t - start_ms) * scale, 1),
            datetime.fromtimestamp(t / 1000, UTC).strftime(fmt),
        )
        for t in range(first, end_ms + 1, step)
    ]


def lay_out(lanes: Sequence[LaneInput], width: int = WIDTH) -> Timeline:
    """Every event of every lane placed on one shared axis (see the module docstring)."""
    timed = [[(*_times(event), event) for event in lane.events] for lane in lanes]
    start_ms, end_ms = _domain(timed)
    left, right = GUTTER, float(width - RIGHT)
    scale = (right - left) / (end_ms - start_ms) if end_ms > start_ms else 0.0

    def x_of(ms: int) -> float:
        return round(left + (ms - start_ms) * scale, 1)

    placed: list[Lane] = []
    marks: list[Mark] = []
    y = float(TOP)
    for index, lane in enumerate(lanes):
        by_row: dict[str, list[Timed]] = {}
        for item in timed[index]:
            by_row.setdefault(row_of(str(item[2]["type"])), []).append(item)
        keys = [key for key, _, _ in ROWS if key in by_row] + (
            ["other"] if "other" in by_row else []
        )
        labels = {key: label for key, label, _ in ROWS} | {"other": "Other events"}
        rows = [Row(key, labels[key], y + LANE_HEAD + i * ROW_H) for i, key in enumerate(keys)]
        height = LANE_HEAD + max(len(rows), 1) * ROW_H
        placed.append(Lane(lane.label, lane.mmsi, y, height, rows))
        for row in rows:
            for item in sorted(by_row[row.key], key=lambda t: t[0]):
                marks.append(_mark(index, lane.label, row, item, x_of, end_ms))
        y += height + LANE_GAP
    return Timeline(
        width=width,
        height=int(y) + 4,
        left=left,
        right=right,
        axis_y=TOP - 6,
        start_ms=start_ms,
        end_ms=end_ms,
        lanes=placed,
        marks=marks,
        ticks=ticks(start_ms, end_ms, left, right) if marks else [],
    )


def _mark(lane: int, lane_label: str, row: Row, item: Timed, x_of: Any, axis_end: int) -> Mark:
    start, end, event = item
    kind = str(event["type"])
    instant = kind in INSTANT_TYPES or (end is not None and end <= start)
    is_open = end is None and not instant
    x0 = x_of(start)
    top = row.y + (ROW_H - BAR_H) / 2
    width, points = 0.0, ""
    if instant:
        cx, cy, r = x0, row.y + ROW_H / 2, BAR_H / 2 + 1
        points = f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"
    else:
        width = max(round(x_of(end if end is not None else axis_end) - x0, 1), MIN_BAR)
    summary = _summary(kind, event)
    label = _label(kind, lane_label, start, None if instant else end, is_open, summary)
    css_type = kind if kind in KNOWN_TYPES else "other"
    other = event.get("other_mmsi")
    return Mark(
        lane=lane,
        row=row.key,
        type=kind,
        css=f"ev ev-{css_type}",
        bar=not instant,
        x=x0,
        y=top,
        width=width,
        height=BAR_H,
        points=points,
        start_ms=start,
        end_ms=end,
        open=is_open,
        label=label,
        lane_label=lane_label,
        other_mmsi=int(other) if other is not None else None,
        port=str(event["port"]) if event.get("port") else None,
        summary=summary,
    )


def _label(
    kind: str, lane_label: str, start: int, end: int | None, is_open: bool, summary: str
) -> str:
    name = TYPE_LABELS.get(kind, kind.replace("_", " ").capitalize())
    when = iso_time(start)
    if end is not None:
        when += f" to {iso_time(end)} ({_duration(end - start)})"
    elif is_open:
        when += ", still going at the end of the data"
    return f"{name}, {lane_label}: {when}" + (f"; {summary}" if summary else "")


def _duration(ms: int) -> str:
    hours = ms / HOUR_MS
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def _summary(kind: str, event: Mapping[str, Any]) -> str:
    """The few facts that tell one event from another, in words."""
    details: Mapping[str, Any] = event.get("details") or {}
    parts: list[str] = []
    if event.get("other_mmsi") is not None:
        parts.append(("with" if kind == "encounter" else "other MMSI") + f" {event['other_mmsi']}")
    if event.get("port"):
        parts.append(f"{'likely dark port call at' if kind == 'gap' else 'at'} {event['port']}")
    if kind == "gap":
        if details.get("distance_km") is not None:
            parts.append(f"{details['distance_km']} km apart")
        if details.get("likely_disabling"):
            parts.append("AIS likely switched off")
        if details.get("probable_reception_outage"):
            parts.append("probable reception outage")
    elif kind == "encounter" and details.get("min_distance_m") is not None:
        parts.append(f"closest {details['min_distance_m']} m")
    elif kind == "draught_change" and details.get("from_m") is not None:
        parts.append(f"draught {details['from_m']} m to {details.get('to_m')} m")
    elif kind in ("identity", "identity_change") and details.get("kind"):
        parts.append(str(details["kind"]).replace("_", " "))
    return ", ".join(parts)
