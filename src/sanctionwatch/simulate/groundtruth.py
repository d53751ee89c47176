"""Deriving the truth file from the plans: port calls, draught changes, loitering; and the
vessel details every event carries. Gaps and coverage gaps come from the streams
(:mod:`silences`); encounters and identity changes from the planners' scripts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sanctionwatch.simulate.context import NAUTICAL_MILE
from sanctionwatch.simulate.land import LandMask
from sanctionwatch.simulate.motion import state_at, static_times
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.traffic import imo_is_valid
from sanctionwatch.simulate.truth import TruthEvent, iso

HOUR = 3600
LOITER_SPEED_KN = 2.0
LOITER_S = 4 * HOUR
LOITER_SHORE_NM = 20.0


def transmitting(plan: VesselPlan, start: int, end: int) -> bool:
    """True if the transmitter is on for some part of [start, end)."""
    covered = 0
    for period in plan.dark:
        overlap = min(end, period.end) - max(start, period.start)
        covered += max(0, overlap)
    return covered < end - start


def port_call_events(plans: list[VesselPlan], start: int, end: int) -> list[TruthEvent]:
    """Every stay at a berth that overlaps the run."""
    events = []
    for plan in plans:
        for call in plan.calls:
            if call.departure <= start or call.arrival >= end:
                continue
            seen_from, seen_to = max(call.arrival, start), min(call.departure, end)
            details: dict[str, Any] = {
                "vessel": plan.spec.key,
                "locode": call.port.locode,
                "country": call.port.country,
                "draught_arrival_m": round(call.draught_arrival, 1),
                "draught_departure_m": round(call.draught_departure, 1),
                "ais_visible": transmitting(plan, seen_from, seen_to),
                # how long of it lies inside the run (a call needs 30 minutes still)
                "seen_minutes": round((seen_to - seen_from) / 60, 1),
                "port_source": call.port.source,
            }
            if call.arrival < start:
                details["began_before_run"] = True
            if call.berth is not None:
                details["berth"] = call.berth
            if call.anchored_from is not None:
                details["anchored_before_h"] = round((call.arrival - call.anchored_from) / HOUR, 2)
            events.append(
                TruthEvent(
                    type="port_call",
                    mmsi=plan.identity_at(seen_from).mmsi,
                    start=call.arrival,
                    end=call.departure if call.departure <= end else None,
                    lat=call.lat,
                    lon=call.lon,
                    port=call.port.name,
                    details=details,
                )
            )
    return events


def draught_events(plans: list[VesselPlan], start: int, end: int, seed: int) -> list[TruthEvent]:
    """Every change of the draught a ship reports, with where it happened and when it showed."""
    events = []
    for plan in plans:
        for (_, before), (t, after) in zip(plan.voyages, plan.voyages[1:], strict=False):
            if before.draught_m == after.draught_m or not start <= t < end:
                continue
            where = state_at(plan, np.array([t], dtype=np.int64))
            call = next((c for c in plan.calls if c.arrival <= t < c.departure), None)
            shown, _ = static_times(plan, t, end, seed)
            events.append(
                TruthEvent(
                    type="draught_change",
                    mmsi=plan.identity_at(t).mmsi,
                    start=t,
                    end=None,
                    lat=float(where.lat[0]),
                    lon=float(where.lon[0]),
                    port=call.port.name if call else None,
                    details={
                        "vessel": plan.spec.key,
                        "from_m": before.draught_m,
                        "to_m": after.draught_m,
                        "change_m": round(after.draught_m - before.draught_m, 1),
                        "at_sea": call is None,
                        "first_broadcast": iso(int(shown[0])) if shown.size else None,
                    },
                )
            )
    return events


def loitering_events(
    plans: list[VesselPlan], mask: LandMask, start: int, end: int
) -> list[TruthEvent]:
    """Stretches under 2 kn for 4 h or more, 20 nm or more from shore (GFW's definition)."""
    events = []
    for plan in plans:
        runs: list[list[int]] = []
        for index, segment in enumerate(plan.segments):
            slow = segment.kind in ("drift", "transit") and segment.speed_kn < LOITER_SPEED_KN
            if slow and runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            elif slow:
                runs.append([index])
        for run in runs:
            t0 = max(plan.segments[run[0]].t0, start)
            t1 = min(plan.segments[run[-1]].t1, end)
            if t1 - t0 < LOITER_S:
                continue
            t = np.arange(t0, t1, 600, dtype=np.int64)
            state = state_at(plan, t)
            distance = mask.distance_to_shore_m(state.lat, state.lon) / NAUTICAL_MILE
            if distance.min() < LOITER_SHORE_NM:
                continue
            labels = sorted({plan.segments[i].label for i in run if plan.segments[i].label})
            events.append(
                TruthEvent(
                    type="loitering",
                    mmsi=plan.identity_at(t0).mmsi,
                    start=t0,
                    end=t1 if plan.segments[run[-1]].t1 <= end else None,
                    lat=float(state.lat[0]),
                    lon=float(state.lon[0]),
                    details={
                        "vessel": plan.spec.key,
                        "duration_h": round((t1 - t0) / HOUR, 2),
                        "mean_speed_kn": round(float(state.sog.mean()), 2),
                        "max_speed_kn": round(float(state.sog.max()), 2),
                        "min_distance_from_shore_nm": round(float(distance.min()), 1),
                        "activity": labels,
                    },
                )
            )
    return events


def vessel_details(plan: VesselPlan, t: int) -> dict[str, Any]:
    """Who the event is about (added to every event's details)."""
    who = plan.identity_at(t)
    spec = plan.spec
    return {
        "vessel": spec.key,
        "vessel_name": who.name,
        "imo": who.imo or None,
        "imo_check_digit_valid": imo_is_valid(who.imo) if who.imo else None,
        "flag": who.flag,
        "documented": spec.documented,
        "mmsi_invented": "mmsi" in spec.invented or bool(spec.invented and not spec.documented),
        "scripted": spec.role not in ("cargo", "container", "tanker", "fishing", "small"),
    }


def enrich(events: list[TruthEvent], plans: list[VesselPlan]) -> None:
    """Add :func:`vessel_details` of the vessel each event is about.

    The vessel is the one the event's ``details["vessel"]`` names (set where the event is
    made: an MMSI alone is ambiguous when two ships share it), else the one sending the
    event's MMSI at its start.
    """
    by_key = {plan.spec.key: plan for plan in plans}
    for event in events:
        plan = by_key.get(str(event.details.get("vessel")))
        if plan is None:
            plan = next(
                (p for p in plans if p.identity_at(event.start).mmsi == event.mmsi),
                next(
                    (p for p in plans if any(i.mmsi == event.mmsi for _, i in p.identities)), None
                ),
            )
        if plan is not None:
            for key, value in vessel_details(plan, event.start).items():
                event.details.setdefault(key, value)
        if event.other_mmsi is not None and "other_vessel" not in event.details:
            others = [
                p
                for p in plans
                if p is not plan and any(i.mmsi == event.other_mmsi for _, i in p.identities)
            ]
            if others:
                event.details["other_vessel"] = others[0].spec.key
