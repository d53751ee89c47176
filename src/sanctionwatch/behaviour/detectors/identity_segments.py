"""One MMSI in two places at once: the track segmenter of the identity detector.

Two passes, so that it scales to tens of millions of positions:

1. SQL finds the suspects, the MMSIs with at least one consecutive pair of positions that
   no ship could sail, and loads only their positions (identity_tracks.py).
2. Python (:func:`segment`) splits the positions of the few suspects into tracks as Global
   Fishing Watch's segmenter does: in time order, each position joins the open segment it
   is plausibly reachable from (same test), the most recently updated one when several
   are; otherwise it starts a new segment. A segment silent for ``segment_max_gap_hours``
   is closed. This is sequential (where a position goes depends on where every earlier
   one went), which set-based SQL cannot express without recursion, hence Python; it
   only ever sees the suspects' positions.

Segments with fewer than ``min_segment_positions`` positions are noise (a GPS jump of one
position makes a segment of one). Two real segments active at the same time are two
transmitters on one MMSI: a shared or spoofed MMSI, reported over the time both are active,
with the likely impostor (``behaviour/sql/identity_impostors.sql.j2``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.ais.model import iso_utc
from sanctionwatch.behaviour.detectors.base import Query, Row, Window, render_sql
from sanctionwatch.behaviour.detectors.identity_changes import (
    NAMING_FIELDS,
    Flap,
    alternating,
    names_seen,
)
from sanctionwatch.behaviour.detectors.identity_tracks import (
    Track,
    reach_m,
    speed_kn,
    suspect_positions,
    suspects_sql,
)
from sanctionwatch.behaviour.events import Event
from sanctionwatch.geo.ports import haversine_m
from sanctionwatch.geo.units import EARTH_RADIUS_M as EARTH_M
from sanctionwatch.geo.units import KNOT_M_PER_MS, MS_PER_HOUR, hours_ms

MAX_OPEN_SEGMENTS = 32  # beyond this the stalest open segment is closed (bounded work)
# The impostor's own MMSI may overlap the segment's ends by this much (clock differences
# between receivers) and still count as silent while the segment is active.
END_TOLERANCE_MS = 5 * 60_000


@dataclass
class Segment:
    index: list[int] = field(default_factory=list)
    last_t: int = 0
    last_lat: float = 0.0
    last_lon: float = 0.0


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Plain floats: called once per position and open segment, numpy's overhead dominates.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_M * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def segment(track: Track, params: dict[str, float]) -> list[list[int]]:
    """Split one MMSI's positions into segments (lists of indices into ``track``)."""
    noise = params["noise_km"] * 1000
    speed = speed_kn(params, track.top_sog_kn) * KNOT_M_PER_MS
    max_gap = params["segment_max_gap_hours"] * MS_PER_HOUR
    t_list = track.t.tolist()
    lat_list = track.lat.tolist()
    lon_list = track.lon.tolist()
    open_: list[Segment] = []
    closed: list[Segment] = []
    for i, (t, lat, lon) in enumerate(zip(t_list, lat_list, lon_list, strict=True)):
        if open_ and any(t - s.last_t > max_gap for s in open_):
            closed.extend(s for s in open_ if t - s.last_t > max_gap)
            open_ = [s for s in open_ if t - s.last_t <= max_gap]
        best: Segment | None = None
        best_key = (0.0, 0.0)
        for s in open_:
            dt = t - s.last_t
            d = _distance_m(s.last_lat, s.last_lon, lat, lon)
            if d <= noise + speed * dt and (best is None or (dt, d) < best_key):
                best, best_key = s, (dt, d)
        if best is None:
            best = Segment()
            open_.append(best)
            if len(open_) > MAX_OPEN_SEGMENTS:
                stalest = min(open_, key=lambda s: s.last_t)
                open_.remove(stalest)
                closed.append(stalest)
        best.index.append(i)
        best.last_t, best.last_lat, best.last_lon = t, lat, lon
    return [s.index for s in sorted(closed + open_, key=lambda s: s.index[0])]


@dataclass(frozen=True)
class Part:
    """A real (non-noise) segment: its positions and time span."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    @property
    def start(self) -> int:
        return int(self.t[0])

    @property
    def end(self) -> int:
        return int(self.t[-1])

    def summary(self) -> dict[str, object]:
        return {
            "start": iso_utc(self.start),
            "end": iso_utc(self.end),
            "positions": len(self.t),
            "start_lat": round(float(self.lat[0]), 6),
            "start_lon": round(float(self.lon[0]), 6),
            "end_lat": round(float(self.lat[-1]), 6),
            "end_lon": round(float(self.lon[-1]), 6),
        }


@dataclass(frozen=True)
class Shared:
    """Two segments of one MMSI active at the same time."""

    mmsi: int
    start: int
    end: int
    first: Part  # the longer-lived segment (the MMSI's usual owner, most likely)
    second: Part  # the other one (the impostor's, most likely)
    min_separation_m: float
    max_separation_m: float


def _separation(a: Part, b: Part, start: int, end: int) -> np.ndarray:
    """Distance from each position of ``b`` in [start, end] to ``a``'s nearest in time."""
    inside = (b.t >= start) & (b.t <= end)
    if not inside.any():
        return np.zeros(0)
    t, lat, lon = b.t[inside], b.lat[inside], b.lon[inside]
    j = np.clip(np.searchsorted(a.t, t), 1, len(a.t) - 1) if len(a.t) > 1 else np.zeros_like(t)
    before = np.maximum(j - 1, 0)
    nearest = np.where(np.abs(a.t[before] - t) <= np.abs(a.t[j] - t), before, j)
    return np.asarray(haversine_m(lat, lon, a.lat[nearest], a.lon[nearest]))


def shared_periods(mmsi: int, track: Track, params: dict[str, float]) -> list[Shared]:
    """Every pair of real segments of ``track`` active at the same time."""
    minimum = max(1, int(params["min_segment_positions"]))
    parts = [
        Part(track.t[idx], track.lat[idx], track.lon[idx])
        for idx in (np.array(s, dtype=np.int64) for s in segment(track, params))
        if len(idx) >= minimum
    ]
    out = []
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start >= end:
                continue
            first, second = (a, b) if a.end - a.start >= b.end - b.start else (b, a)
            gaps = _separation(first, second, start, end)
            if gaps.size == 0:
                continue
            out.append(
                Shared(mmsi, start, end, first, second, float(gaps.min()), float(gaps.max()))
            )
    return out


def impostor_sql(mmsi: int, part: Part, params: dict[str, float], window: Window) -> str:
    """Other MMSIs seen around ``part``: silent inside it? last seen before, next after."""
    return render_sql(
        "identity_impostors",
        mmsi=int(mmsi),
        start_ms=part.start,
        end_ms=part.end,
        handover_ms=hours_ms(params["handover_hours"]),
        tolerance_ms=END_TOLERANCE_MS,
        window=window.where(),
    )


def pick_impostor(rows: list[Row], part: Part, params: dict[str, float]) -> int | None:
    """The MMSI whose own track stops where ``part`` starts and resumes where it ends.

    A candidate is silent while ``part`` is active; each end of ``part`` where it was seen
    within ``handover_hours`` must be within ``handover_km`` of it and reachable at
    ``max_speed_kn``; at least one end must be. Both ends beat one end, then the smaller
    total distance wins; None when nothing fits.
    """
    limit = params["handover_km"] * 1000
    ends = (
        ("before", part.start, float(part.lat[0]), float(part.lon[0])),
        ("after", part.end, float(part.lat[-1]), float(part.lon[-1])),
    )
    best: tuple[int, float, int] | None = None
    for row in rows:
        matched, total, ok = 0, 0.0, True
        for side, t, lat, lon in ends:
            if row[f"{side}_t"] is None:
                continue
            dt = abs(int(row[f"{side}_t"]) - t)
            d = _distance_m(float(row[f"{side}_lat"]), float(row[f"{side}_lon"]), lat, lon)
            if d > limit or d > reach_m(params, dt):
                ok = False
                break
            matched, total = matched + 1, total + d
        if ok and matched:
            key = (-matched, total, int(row["mmsi"]))
            if best is None or key < best:
                best = key
    return best[2] if best is not None else None


def locate_sql(mmsi: int, t: int, params: dict[str, float]) -> str:
    """The vessel's position nearest in time to ``t`` (ms), within ``locate_hours``."""
    return render_sql(
        "identity_locate",
        mmsi=int(mmsi),
        t_ms=int(t),
        locate_ms=hours_ms(params["locate_hours"]),
    )


def _locate(
    query: Query, mmsi: int, t: int, params: dict[str, float]
) -> tuple[float, float] | None:
    """The vessel's position nearest in time to ``t``, within ``locate_hours``."""
    rows = query(locate_sql(mmsi, t, params))
    if not rows or rows[0]["lat"] is None:
        return None
    return float(rows[0]["lat"]), float(rows[0]["lon"])


def find_shared(
    query: Query, params: dict[str, float], window: Window
) -> list[tuple[Shared, int | None]]:
    """Every time an MMSI is in two places at once, with the likely impostor's MMSI."""
    suspects = [
        int(r["mmsi"])
        for r in query(suspects_sql(params, window))
        if mmsi_info(int(r["mmsi"])).kind != "SAR aircraft"  # aircraft fly faster than ships
    ]
    out = []
    for mmsi, track in sorted(suspect_positions(query, suspects, window).items()):
        for shared in shared_periods(mmsi, track, params):
            rows = query(impostor_sql(mmsi, shared.second, params, window))
            out.append((shared, pick_impostor(rows, shared.second, params)))
    return out


def shared_events(
    query: Query,
    vessels: dict[int, list[Row]],
    found: list[tuple[Shared, int | None]],
    flaps: dict[int, list[Flap]],
    params: dict[str, float],
    window: Window,
    flag_of: Callable[[int], str | None],
) -> list[Event]:
    """``shared_mmsi`` events: two tracks at once (``found``, with the identity alternation
    seen at the same time), and identity alternation where the tracks cannot be told
    apart. ``names_seen``: each name broadcast then, with when (identity_changes.py)."""
    flap_ms = hours_ms(params["flap_hours"])
    episode_gap = int(params["segment_max_gap_hours"] * MS_PER_HOUR)
    out = []
    explained: set[tuple[int, int]] = set()
    for shared, other in found:
        mmsi = shared.mmsi
        near = [
            f for f in flaps.get(mmsi, [])
            if shared.start - flap_ms <= f[0] <= shared.end + flap_ms
        ]  # fmt: skip
        explained.update((mmsi, f[0]) for f in near)
        details: dict[str, Any] = {
            "kind": "shared_mmsi",
            "reasons": ["two_tracks", *(["identity_alternates"] if near else [])],
            "segments": [shared.first.summary(), shared.second.summary()],
            "positions": [len(shared.first.t), len(shared.second.t)],
            "max_separation_km": round(shared.max_separation_m / 1000, 1),
            "min_separation_km": round(shared.min_separation_m / 1000, 1),
            "flag": flag_of(mmsi),
        }
        seen = names_seen(vessels.get(mmsi, []), shared.start - flap_ms, shared.end + flap_ms)
        if len(seen) > 1:
            details["names"] = [n["name"] for n in seen]
            details["names_seen"] = seen
        if near:
            details["alternating"] = alternating(near)
        lat, lon = float(shared.second.lat[0]), float(shared.second.lon[0])
        out.append(Event("identity", mmsi, shared.start, shared.end, lat, lon,
                         other_mmsi=other, details=details))  # fmt: skip
    for mmsi, own_flaps in sorted(flaps.items()):
        rest = sorted(f for f in own_flaps if (mmsi, f[0]) not in explained)
        episodes: list[list[Flap]] = []
        for f in rest:
            if episodes and f[0] - episodes[-1][-1][0] <= episode_gap:
                episodes[-1].append(f)
            else:
                episodes.append([f])
        for episode in episodes:
            if not any(f[1] in NAMING_FIELDS for f in episode):
                continue  # size, type or draught alone: one hull's reports (NAMING_FIELDS)
            start, end = episode[0][0], episode[-1][0]
            where = _locate(query, mmsi, start, params)
            if where is None:
                continue
            details = {
                "kind": "shared_mmsi",
                "reasons": ["identity_alternates"],
                "alternating": alternating(episode),
                "flag": flag_of(mmsi),
            }
            seen = names_seen(vessels.get(mmsi, []), start - flap_ms, end + flap_ms)
            if len(seen) > 1:
                details["names"] = [n["name"] for n in seen]
                details["names_seen"] = seen
            out.append(Event("identity", mmsi, start, end, *where, details=details))
    return out
