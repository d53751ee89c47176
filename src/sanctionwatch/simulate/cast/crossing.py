"""A ship that crosses another's track at speed (role ``crosser``): a decoy for risk.

Two ships that pass a few hundred metres apart at sea are not meeting: neither slows, and
they are together for minutes, not the hours a transfer takes. A crosser sails a straight
leg of ``leg_km`` [24] square across the track of one of the ships listed in ``crosses``
(cast keys, tried in order), passing ``pass_m`` [150, 350] ahead of its bow at its own
speed, at a moment when that ship is under way at ``min_speed_kn`` [6] or more, 30 km or
more from every port and outside every coverage hole; then it trades like the fleet. The
crossing is kept only when the two come within ``max_separation_m`` [600] of each other;
the closest approach is noted in the manifest. No truth event: nothing happened.
"""

from __future__ import annotations

import numpy as np

from sanctionwatch.geo import haversine_m
from sanctionwatch.simulate.cast.params import spec_params
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.motion import state_at
from sanctionwatch.simulate.plan import KNOT, VesselPlan, offset_position
from sanctionwatch.simulate.routes import polyline
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import HOUR, fleet_kind, start_towards
from sanctionwatch.simulate.traffic import plan_trade
from sanctionwatch.simulate.truth import iso

LatLon = tuple[float, float]
MIN_PORT_M = 30_000.0


def plan_crossing(ctx: PlanContext, spec: VesselSpec, targets: list[VesselPlan]) -> VesselPlan:
    """Cross the first target's track that allows it (see the module); else just trade."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    rng = ctx.rng("cast", spec.key)
    half_leg = params.number("leg_km", 24.0) * 500.0
    pass_m = params.span("pass_m", (150.0, 350.0))
    min_speed = params.number("min_speed_kn", 6.0)
    max_separation = params.number("max_separation_m", 600.0)
    lead = int(half_leg / (spec.speed_kn * KNOT))
    times = np.arange(ctx.start + lead + 2 * HOUR, ctx.end - lead - 2 * HOUR, 1800, dtype=np.int64)
    for target in targets:
        if times.size == 0:
            break
        state = state_at(target, times)
        order = rng.permutation(times.size)
        for i in order:
            if not state.sog[i] >= min_speed or np.isnan(state.cog[i]):
                continue
            t0, here = int(times[i]), (float(state.lat[i]), float(state.lon[i]))
            leg = _leg(ctx, rng, here, float(state.cog[i]), half_leg, pass_m, t0, lead)
            if leg is None:
                continue
            plan = _cross(ctx, spec, leg, t0 - lead)
            closest = _closest(plan, target, t0)
            if closest is None or closest[0] > max_separation:
                continue
            separation, at = closest
            ctx.notes.append(
                f"decoy: {spec.key} crosses the track of {target.spec.key} at {spec.speed_kn:.1f} "
                f"kn, {separation:.0f} m apart at their closest ({at}), not an encounter"
            )
            return plan_trade(ctx, spec, fleet_kind(ctx, spec), rng, plan=plan)
    ctx.notes.append(f"decoy: {spec.key} found no track to cross; it only trades")
    return plan_trade(ctx, spec, fleet_kind(ctx, spec), rng)


def _leg(
    ctx: PlanContext,
    rng: np.random.Generator,
    here: LatLon,
    course: float,
    half_leg: float,
    pass_m: tuple[float, float],
    t0: int,
    lead: int,
) -> tuple[LatLon, LatLon] | None:
    """A straight open-water leg square across ``course``, through a point ahead of
    ``here``, far from ports and holes; None when this spot does not allow one."""
    if ctx.distance_to_port_m(*here) < MIN_PORT_M:
        return None
    ahead = offset_position(*here, course, float(rng.uniform(*pass_m)))
    across = course + (90.0 if rng.random() < 0.5 else -90.0)
    start = offset_position(*ahead, across + 180.0, half_leg)
    end = offset_position(*ahead, across, half_leg)
    when = (t0 - lead - HOUR, t0 + lead + HOUR)
    points = [start, ahead, end]
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    if not ctx.router.is_open_water(lat, lon).all() or not ctx.router.clear(start, end):
        return None
    if any(ctx.in_hole_area(*p, when=when) for p in points):
        return None
    if any(ctx.distance_to_port_m(*p) < MIN_PORT_M / 2 for p in (start, end)):
        return None
    return start, end


def _cross(ctx: PlanContext, spec: VesselSpec, leg: tuple[LatLon, LatLon], at: int) -> VesselPlan:
    """From home to the leg's start at ``at``, then along it at the ship's speed."""
    start, end = leg
    plan = start_towards(ctx, spec, spec.home, start, None, at, True, "FOR ORDERS")
    plan.sail(*end, spec.speed_kn, route=polyline([(plan.lat, plan.lon), end]), label="crossing")
    return plan


def _closest(plan: VesselPlan, target: VesselPlan, t0: int) -> tuple[float, str] | None:
    """The two ships' closest approach within an hour of ``t0``: metres and when (UTC)."""
    t = np.arange(t0 - HOUR, t0 + HOUR, 10, dtype=np.int64)
    mine, theirs = state_at(plan, t), state_at(target, t)
    apart = haversine_m(mine.lat, mine.lon, theirs.lat, theirs.lon)
    if apart.size == 0:
        return None
    i = int(np.argmin(apart))
    return float(apart[i]), str(iso(int(t[i])))
