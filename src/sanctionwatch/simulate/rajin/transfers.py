"""Ship-to-ship transfers far offshore, every three days; the receiver then goes dark.

PATRIOT (supplier, from Nakhodka) meets CHON MA SAN (receiver, from Ch'ongjin) 58 nm or
more from shore and 40 km or more from any port; they drift alongside, 40-150 m apart, at
0.3-1.2 kn for 2.5-3.4 h. The receiver switches its transponder off soon after parting and
stays dark into its home port: a silence of 12 h or more that starts 50 nm or more offshore.
"""

from __future__ import annotations

import numpy as np

from sanctionwatch.simulate.context import NAUTICAL_MILE, PlanContext
from sanctionwatch.simulate.motion import state_at
from sanctionwatch.simulate.plan import VesselPlan, offset_position, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import (
    HOUR,
    destination,
    fleet_kind,
    start_towards,
)
from sanctionwatch.simulate.traffic import plan_trade
from sanctionwatch.simulate.truth import TruthEvent

EPISODE_EVERY = 72 * HOUR  # about every three days (give or take 8 h)
STS_BOX = (40.3, 41.6, 130.8, 133.2)  # lat_min, lat_max, lon_min, lon_max


def plan_sts(
    ctx: PlanContext, supplier: VesselSpec, receiver: VesselSpec
) -> tuple[VesselPlan, VesselPlan]:
    """Offshore transfers every three days; the receiver goes dark afterwards."""
    rng = ctx.rng("cast", "sts", supplier.key, receiver.key)
    meeting = ctx.start + 4 * HOUR
    supplier_plan: VesselPlan | None = None
    receiver_plan: VesselPlan | None = None
    episode = 0
    while meeting + 4 * HOUR < ctx.end:
        point = ctx.sea_point(rng, STS_BOX, min_shore_nm=58, min_port_km=40)
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
                meeting - int(waits[0]),
                True,
                "FOR ORDERS",
            )
            receiver_plan = start_towards(
                ctx,
                receiver,
                receiver.home,
                partner,
                None,
                meeting - int(waits[1]),
                False,
                "FOR ORDERS",
            )
        else:
            ready = True
            for plan, target, wait in (
                (supplier_plan, point, waits[0]),
                (receiver_plan, partner, waits[1]),
            ):
                route = plan.route_to(*target)
                depart = (
                    meeting - int(wait) - travel_seconds(route, plan.spec.speed_kn, True, False)
                )
                if depart <= plan.t:
                    ready = False
            if not ready:
                ctx.notes.append(f"ship-to-ship episode {episode} skipped: ships not back in time")
                meeting += EPISODE_EVERY + int(rng.uniform(-8, 8) * HOUR)
                continue
            for plan, target, wait in (
                (supplier_plan, point, waits[0]),
                (receiver_plan, partner, waits[1]),
            ):
                route = plan.route_to(*target)
                depart = (
                    meeting - int(wait) - travel_seconds(route, plan.spec.speed_kn, True, False)
                )
                plan.moor(plan.at_port or plan.spec.home, depart)
                plan.set_voyage(plan.t, "FOR ORDERS", meeting)
                plan.sail(*target, plan.spec.speed_kn, route=route)
        begin = max(meeting, supplier_plan.t, receiver_plan.t)
        duration = int(rng.uniform(2.5, 3.4) * HOUR)
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
        ctx.events.append(
            TruthEvent(
                type="encounter",
                mmsi=supplier_plan.identity_at(begin).mmsi,
                other_mmsi=receiver_plan.identity_at(begin).mmsi,
                start=begin,
                end=end,
                lat=point[0],
                lon=point[1],
                details={
                    "vessel": supplier.key,
                    "kind": "ship-to-ship transfer (dramatised, refined petroleum)",
                    "separation_m": round(separation, 1),
                    "drift_speed_kn": round(drift_kn, 2),
                    "drift_bearing_deg": round(drift_bearing, 1),
                    "heading_deg": round(heading, 1),
                    "duration_h": round(duration / HOUR, 2),
                    "distance_from_shore_nm": round(shore_nm, 1),
                    "distance_from_nearest_port_km": round(ctx.distance_to_port_m(*point) / 1e3, 1),
                    "other_vessel": receiver.key,
                    "episode": episode,
                },
            )
        )
        # Both go home; the receiver switches off soon after parting, far offshore.
        supplier_plan.sail(
            supplier.home.lat, supplier.home.lon, supplier.speed_kn, port=supplier.home
        )
        supplier_plan.moor(supplier.home, supplier_plan.t + int(rng.uniform(20, 30) * HOUR))
        parted = receiver_plan.t
        receiver_plan.sail(
            receiver.home.lat, receiver.home.lon, receiver.speed_kn, port=receiver.home
        )
        stay = int(rng.uniform(4, 8) * HOUR)
        receiver_plan.moor(receiver.home, receiver_plan.t + stay + int(rng.uniform(10, 20) * HOUR))
        dark_from = parted + int(rng.uniform(0.25, 0.6) * HOUR)
        where = state_at(receiver_plan, np.array([dark_from], dtype=np.int64))
        off_nm = float(ctx.router.mask.distance_to_shore_m(where.lat, where.lon)[0]) / NAUTICAL_MILE
        arrival = receiver_plan.calls[-1].arrival
        receiver_plan.go_dark(
            dark_from,
            arrival + stay,
            "transponder off after a ship-to-ship transfer",
            off_distance_from_shore_nm=round(off_nm, 1),
            after_encounter_with=supplier.key,
        )
        receiver_plan.load(arrival + stay // 2, False, "FOR ORDERS", None)
        meeting += EPISODE_EVERY + int(rng.uniform(-8, 8) * HOUR)
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
