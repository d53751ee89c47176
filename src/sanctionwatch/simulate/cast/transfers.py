"""Ship-to-ship transfers at sea (a ``[[meetings]]`` entry of kind ``transfer``).

The ``supplier`` and the ``receiver`` meet at a random point of ``box`` (open water at least
``min_shore_nm`` from shore and ``min_port_km`` from any port, outside coverage holes open
at the time) ``first_hours`` into the run and then every ``every_hours`` (give or take
``jitter_hours``) for as long as both are back in time (a meeting that coverage holes would
hide is put off by the hour). They drift alongside, 40-150 m
apart, at 0.3-1.2 kn for ``hours`` [2.5, 3.4], so the pair is within 500 m, under 2 kn, for
2 h or more, away from ports: an encounter. The supplier goes home for
``supplier_home_hours``; the receiver switches its transponder off soon after parting and
stays dark into its home port (``receiver_home_hours``, then idle ``receiver_idle_hours``):
a long silence that starts far offshore. In the episodes listed in ``receiver_dark_during``
the receiver is already dark an hour or two before the meeting: the encounter is in the
truth with ``ais_visible`` false (AIS cannot show it).
"""

from __future__ import annotations

import numpy as np

from sanctionwatch.simulate.cast.params import Params
from sanctionwatch.simulate.context import NAUTICAL_MILE, PlanContext
from sanctionwatch.simulate.motion import state_at
from sanctionwatch.simulate.plan import VesselPlan, offset_position, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import (
    HOUR,
    destination,
    fleet_kind,
    place_at_sea,
    start_towards,
)
from sanctionwatch.simulate.traffic import plan_trade
from sanctionwatch.simulate.truth import TruthEvent


def plan_transfers(
    ctx: PlanContext, meeting: Params, supplier: VesselSpec, receiver: VesselSpec
) -> tuple[VesselPlan, VesselPlan]:
    """Transfers at sea every ``every_hours``; the receiver goes dark afterwards."""
    box = meeting.box("box")
    min_shore_nm = meeting.number("min_shore_nm", 0.0)
    min_port_km = meeting.number("min_port_km", 20.0)
    every = int(meeting.number("every_hours", 72.0) * HOUR)
    jitter = meeting.number("jitter_hours", 8.0)
    hours = meeting.span("hours", (2.5, 3.4))
    supplier_home = meeting.span("supplier_home_hours", (20.0, 30.0))
    receiver_home = meeting.span("receiver_home_hours", (4.0, 8.0))
    receiver_idle = meeting.span("receiver_idle_hours", (10.0, 20.0))
    label = meeting.text("label", "ship-to-ship transfer")
    dark_during = meeting.integers("receiver_dark_during")
    rng = ctx.rng("cast", "sts", supplier.key, receiver.key)
    meeting_at = ctx.start + int(meeting.number("first_hours", 4.0) * HOUR)
    supplier_plan: VesselPlan | None = None
    receiver_plan: VesselPlan | None = None
    episode = 0
    while meeting_at + 4 * HOUR < ctx.end:
        meeting_at, point = place_at_sea(
            ctx, rng, box, meeting_at, hours[1], min_shore_nm=min_shore_nm, min_port_km=min_port_km
        )
        heading = float(rng.uniform(0, 360))
        separation = float(rng.uniform(40, 150))
        partner = offset_position(point[0], point[1], heading + 90, separation)
        waits = rng.uniform(0, 0.3, 2) * HOUR
        if supplier_plan is None or receiver_plan is None:
            supplier_plan = start_towards(
                ctx,
                supplier,
                supplier.home,
                point,
                None,
                meeting_at - int(waits[0]),
                True,
                "FOR ORDERS",
            )
            receiver_plan = start_towards(
                ctx,
                receiver,
                receiver.home,
                partner,
                None,
                meeting_at - int(waits[1]),
                False,
                "FOR ORDERS",
            )
        else:
            pairs = ((supplier_plan, point, waits[0]), (receiver_plan, partner, waits[1]))
            departures = [
                meeting_at
                - int(wait)
                - travel_seconds(plan.route_to(*target), plan.spec.speed_kn, True, False)
                for plan, target, wait in pairs
            ]
            if any(
                depart <= plan.t for depart, (plan, _, _) in zip(departures, pairs, strict=True)
            ):
                ctx.notes.append(f"ship-to-ship episode {episode} skipped: ships not back in time")
                meeting_at += every + int(rng.uniform(-jitter, jitter) * HOUR)
                continue
            for depart, (plan, target, _) in zip(departures, pairs, strict=True):
                route = plan.route_to(*target)
                plan.moor(plan.at_port or plan.spec.home, depart)
                plan.set_voyage(plan.t, "FOR ORDERS", meeting_at)
                plan.sail(*target, plan.spec.speed_kn, route=route)
        begin = max(meeting_at, supplier_plan.t, receiver_plan.t)
        duration = int(rng.uniform(*hours) * HOUR)
        drift_kn = float(rng.uniform(0.3, 1.2))
        drift_bearing = float(rng.uniform(0, 360))
        for plan in (supplier_plan, receiver_plan):
            plan.drift(begin, 0.0, drift_bearing, heading, "waiting for transfer partner")
            plan.drift(begin + duration, drift_kn, drift_bearing, heading, "ship-to-ship transfer")
        end = begin + duration
        supplier_plan.load(end, False, destination(supplier.home), None)
        receiver_plan.load(end, True, "FOR ORDERS", None)
        shore_nm = (
            float(
                ctx.router.mask.distance_to_shore_m(np.array([point[0]]), np.array([point[1]]))[0]
            )
            / NAUTICAL_MILE
        )
        visible = episode not in dark_during
        details: dict[str, object] = {
            "vessel": supplier.key,
            "kind": label,
            "separation_m": round(separation, 1),
            "drift_speed_kn": round(drift_kn, 2),
            "drift_bearing_deg": round(drift_bearing, 1),
            "heading_deg": round(heading, 1),
            "duration_h": round(duration / HOUR, 2),
            "distance_from_shore_nm": round(shore_nm, 1),
            "distance_from_nearest_port_km": round(ctx.distance_to_port_m(*point) / 1e3, 1),
            "other_vessel": receiver.key,
            "episode": episode,
        }
        if ctx.scenario.encounter_visibility:
            details["ais_visible"] = visible
        ctx.events.append(
            TruthEvent(
                type="encounter",
                mmsi=supplier_plan.identity_at(begin).mmsi,
                other_mmsi=receiver_plan.identity_at(begin).mmsi,
                start=begin,
                end=end,
                lat=point[0],
                lon=point[1],
                details=details,
            )
        )
        # Both go home; the receiver switches off soon after parting, far offshore.
        supplier_plan.sail(
            supplier.home.lat, supplier.home.lon, supplier.speed_kn, port=supplier.home
        )
        supplier_plan.moor(supplier.home, supplier_plan.t + int(rng.uniform(*supplier_home) * HOUR))
        parted = receiver_plan.t
        receiver_plan.sail(
            receiver.home.lat, receiver.home.lon, receiver.speed_kn, port=receiver.home
        )
        stay = int(rng.uniform(*receiver_home) * HOUR)
        receiver_plan.moor(
            receiver.home, receiver_plan.t + stay + int(rng.uniform(*receiver_idle) * HOUR)
        )
        dark_from = parted + int(rng.uniform(0.25, 0.6) * HOUR)
        reason, context = "transponder off after a ship-to-ship transfer", "after_encounter_with"
        if not visible:
            dark_from = begin - int(rng.uniform(1.0, 2.0) * HOUR)
            reason, context = "transponder off for a ship-to-ship transfer", "encounter_with"
        where = state_at(receiver_plan, np.array([dark_from], dtype=np.int64))
        off_nm = float(ctx.router.mask.distance_to_shore_m(where.lat, where.lon)[0]) / NAUTICAL_MILE
        arrival = receiver_plan.calls[-1].arrival
        receiver_plan.go_dark(
            dark_from,
            arrival + stay,
            reason,
            off_distance_from_shore_nm=round(off_nm, 1),
            **{context: supplier.key},
        )
        receiver_plan.load(arrival + stay // 2, False, "FOR ORDERS", None)
        meeting_at += every + int(rng.uniform(-jitter, jitter) * HOUR)
        episode += 1
    for spec, maybe in ((supplier, supplier_plan), (receiver, receiver_plan)):
        if maybe is None:
            ctx.notes.append(f"{spec.key}: run too short for a ship-to-ship episode")
    if supplier_plan is None or receiver_plan is None:
        supplier_plan = plan_trade(ctx, supplier, fleet_kind(ctx, supplier), rng)
        receiver_plan = plan_trade(ctx, receiver, fleet_kind(ctx, receiver), rng)
    for plan in (supplier_plan, receiver_plan):
        if plan.t < ctx.end + HOUR:
            plan.moor(plan.at_port or plan.spec.home, ctx.end + HOUR)
    return supplier_plan, receiver_plan
