"""From plans to reports: when each transponder speaks and what it says, one window at a time.

Report intervals follow ITU-R M.1371-5 (Table 1, nominal values, no course-change speed-up):

- class A: 3 min at anchor or moored; 10 s at 0-14 kn; 6 s at 14-23 kn; 2 s above 23 kn;
- class B "CS": 30 s above 2 kn, 3 min at 2 kn or less;
- static and voyage data (type 5, or type 24 parts A and B for class B) every 6 min.

Each report time is ``segment start + phase + k * interval`` plus a jitter of -1, 0 or +1 s
(slot selection is not exactly periodic; none for 2 s reports), all drawn with
:mod:`hashing`, so a report's time and noise depend only on (seed, vessel, segment, k).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate import hashing
from sanctionwatch.simulate.plan import KNOT, Segment, VesselPlan

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

STATIC_INTERVAL_S = 360
ANCHOR_SWING_M = 40.0
ANCHOR_SWING_PERIOD_S = 3 * 3600

# Hash streams (one per kind of random draw).
PHASE, JITTER, STATIC_PHASE, SWING = 1, 2, 3, 4


def report_interval(ais_class: str, segment: Segment) -> int:
    """Seconds between position reports while in ``segment`` (ITU-R M.1371-5 nominal)."""
    speed = segment.speed_kn
    if ais_class == "B":
        return 30 if speed > 2.0 else 180
    if segment.kind in ("moored", "anchored"):
        return 180
    if speed > 23.0:
        return 2
    if speed > 14.0:
        return 6
    return 10


@dataclass
class Kinematics:
    """True state at given times (no noise): degrees, knots."""

    lat: FloatArray
    lon: FloatArray
    sog: FloatArray
    cog: FloatArray  # NaN where the ship is not making way (moored, anchored)
    heading: FloatArray
    nav_status: npt.NDArray[np.int8]


def evaluate(plan: VesselPlan, t: IntArray, segment_index: IntArray) -> Kinematics:
    """The plan's state at times ``t`` (each inside the segment ``segment_index`` names)."""
    n = t.size
    lat = np.empty(n)
    lon = np.empty(n)
    sog = np.zeros(n)
    cog = np.full(n, np.nan)
    heading = np.empty(n)
    status = np.empty(n, dtype=np.int8)
    for index in np.unique(segment_index):
        rows = segment_index == index
        segment = plan.segments[int(index)]
        dt = (t[rows] - segment.t0).astype(np.float64)
        status[rows] = segment.nav_status
        if segment.kind == "moored":
            lat[rows] = segment.lat
            lon[rows] = segment.lon
            heading[rows] = segment.heading
        elif segment.kind == "anchored":
            phase = float(hashing.uniform(0, SWING, plan.spec.index, segment.t0)[0]) * 2 * math.pi
            angle = phase + 2 * np.pi * dt / ANCHOR_SWING_PERIOD_S
            north = ANCHOR_SWING_M * np.cos(angle)
            east = ANCHOR_SWING_M * np.sin(angle)
            lat[rows] = segment.lat + north / 111_195.0
            lon[rows] = segment.lon + east / (111_195.0 * math.cos(math.radians(segment.lat)))
            heading[rows] = (np.degrees(angle) + 180.0) % 360.0
            sog[rows] = ANCHOR_SWING_M * 2 * np.pi / ANCHOR_SWING_PERIOD_S / KNOT
        elif segment.kind == "transit":
            assert segment.route is not None
            at_lat, at_lon, course = segment.route.at(segment.d0 + segment.speed * dt)
            lat[rows], lon[rows], cog[rows] = at_lat, at_lon, course
            heading[rows] = course
            sog[rows] = segment.speed_kn
        elif segment.kind == "drift":
            distance = segment.speed * dt
            north = distance * math.cos(math.radians(segment.bearing))
            east = distance * math.sin(math.radians(segment.bearing))
            lat[rows] = segment.lat + north / 111_195.0
            lon[rows] = segment.lon + east / (111_195.0 * math.cos(math.radians(segment.lat)))
            cog[rows] = segment.bearing
            heading[rows] = segment.heading
            sog[rows] = segment.speed_kn
        else:
            raise ValueError(f"unknown segment kind {segment.kind!r}")
    return Kinematics(lat, lon, sog, cog, heading, status)


def _dark_mask(plan: VesselPlan, t: IntArray) -> npt.NDArray[np.bool_]:
    off = np.zeros(t.size, dtype=bool)
    for period in plan.dark:
        off |= (t >= period.start) & (t < period.end)
    return off


def report_times(plan: VesselPlan, start: int, end: int, seed: int) -> tuple[IntArray, IntArray]:
    """Times in [start, end) at which the ship transmits a position, and their segments.

    Dark periods are already removed.
    """
    times: list[IntArray] = []
    owners: list[IntArray] = []
    for index, segment in enumerate(plan.segments):
        if segment.t1 <= start - 1 or segment.t0 >= end + 1:
            continue
        interval = report_interval(plan.spec.ais_class, segment)
        phase = int(hashing.uniform(seed, PHASE, plan.spec.index, segment.t0)[0] * interval)
        first = segment.t0 + phase
        k_low = max(0, (start - 1 - first) // interval)
        k_high = (min(end, segment.t1) + 1 - first) // interval
        if k_high < k_low:
            continue
        k = np.arange(k_low, k_high + 1, dtype=np.int64)
        t = first + k * interval
        if interval >= 6:
            jitter = hashing.hash_keys(seed, JITTER, plan.spec.index, segment.t0, k) % np.uint64(3)
            t = t + jitter.astype(np.int64) - 1
        keep = (t >= start) & (t < end) & (t >= segment.t0) & (t < segment.t1)
        times.append(t[keep])
        owners.append(np.full(int(keep.sum()), index, dtype=np.int64))
    if not times:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    t = np.concatenate(times)
    owner = np.concatenate(owners)
    on = ~_dark_mask(plan, t)
    return t[on], owner[on]


def static_times(plan: VesselPlan, start: int, end: int, seed: int) -> tuple[IntArray, IntArray]:
    """Times in [start, end) of static reports (every 6 min, not while dark), and segments."""
    phase = int(hashing.uniform(seed, STATIC_PHASE, plan.spec.index)[0] * STATIC_INTERVAL_S)
    first = start + ((phase - start) % STATIC_INTERVAL_S)
    t = np.arange(first, end, STATIC_INTERVAL_S, dtype=np.int64)
    if t.size == 0 or not plan.segments:
        return t, np.empty(0, dtype=np.int64)
    starts = np.array([segment.t0 for segment in plan.segments], dtype=np.int64)
    owner = np.searchsorted(starts, t, side="right") - 1
    inside = (owner >= 0) & (t < plan.segments[-1].t1)
    t, owner = t[inside], owner[inside]
    on = ~_dark_mask(plan, t)
    return t[on], owner[on].astype(np.int64)


def segment_at(plan: VesselPlan, t: IntArray) -> IntArray:
    """Index of the segment covering each time (-1 before the plan starts)."""
    starts = np.array([segment.t0 for segment in plan.segments], dtype=np.int64)
    return np.asarray(np.searchsorted(starts, t, side="right") - 1, dtype=np.int64)


def state_at(plan: VesselPlan, t: IntArray) -> Kinematics:
    """The true state at arbitrary times inside the plan (used by planners and the truth)."""
    index = np.clip(segment_at(plan, t), 0, len(plan.segments) - 1)
    return evaluate(plan, t, index)
