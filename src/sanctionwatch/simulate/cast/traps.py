"""Traps for the encounter detector: pairs that look like a meeting but are not one.

- kind ``anchorage``: two ships ride at anchor ``separation_m`` apart, ``distance_km`` off
  ``port`` (within 10 km of it, where GFW does not count encounters), for ``hours``, then
  berth there and trade on. Close, slow and long, but in port waters: no truth event.
- kind ``convoy``: two ships sail side by side, ``separation_m`` apart abeam, at the same
  ``speed_kn`` (8-10 kn) for ``hours`` along a straight leg in open water starting in
  ``box``; then each trades on. Close and long, but under way: no truth event.

Both start ``first_hours`` into the run (once per run). Each ship then trades among its own
``trade_ports`` (default: the scenario's ports).
"""

from __future__ import annotations

import numpy as np

from sanctionwatch.simulate.cast.params import Box, Params, spec_params
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import (
    HARBOUR_SPEED_KN,
    KNOT,
    VesselPlan,
    offset_position,
)
from sanctionwatch.simulate.routes import polyline
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import HOUR, destination, fleet_kind, start_towards
from sanctionwatch.simulate.traffic import plan_trade

LatLon = tuple[float, float]


def _trade_on(ctx: PlanContext, spec: VesselSpec, plan: VesselPlan) -> VesselPlan:
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    rng = ctx.rng("cast", spec.key)
    kind = fleet_kind(ctx, spec)
    return plan_trade(ctx, spec, kind, rng, plan=plan, ports=params.ports("trade_ports"))


def plan_anchorage(ctx: PlanContext, meeting: Params, specs: list[VesselSpec]) -> list[VesselPlan]:
    """Two ships at anchor together off a port, then into the port (see the module)."""
    port = meeting.port("port")
    distance_km = meeting.span("distance_km", (4.0, 8.0))
    separation = meeting.span("separation_m", (150.0, 300.0))
    hours = meeting.span("hours", (4.0, 6.0))
    if distance_km[1] + separation[1] / 1e3 >= 10.0:
        raise ValueError(f"{meeting.where}: the anchorage must lie within 10 km of {port.name}")
    rng = ctx.rng("cast", "anchorage", *(spec.key for spec in specs))
    arrive = ctx.start + int(meeting.number("first_hours", 6.0) * HOUR)
    for _ in range(200):
        first = ctx.near_point(rng, port.lat, port.lon, *distance_km)
        bearing = float(rng.uniform(0, 360))
        second = offset_position(*first, bearing, float(rng.uniform(*separation)))
        if ctx.router.is_open_water(np.array([second[0]]), np.array([second[1]]))[0]:
            break
    else:
        raise ValueError(f"{meeting.where}: no room to anchor two ships off {port.name}")
    leave = arrive + int(rng.uniform(*hours) * HOUR)
    plans = []
    for spec, spot, stagger in zip(specs, (first, second), (0.0, 0.7), strict=True):
        plan = start_towards(
            ctx, spec, spec.home, spot, None, arrive, bool(rng.random() < 0.5), destination(port)
        )
        plan.anchor(spot[0], spot[1], max(plan.t + HOUR, leave + int(stagger * HOUR)), port)
        plan.sail(port.lat, port.lon, HARBOUR_SPEED_KN, port=port)
        kind = fleet_kind(ctx, spec)
        plan.moor(port, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
        plan.load(plan.t - int(rng.uniform(0.2, 1.0) * HOUR), not plan.laden, "FOR ORDERS", None)
        plans.append(_trade_on(ctx, spec, plan))
    return plans


def _leg(
    ctx: PlanContext,
    rng: np.random.Generator,
    box: Box,
    length_m: float,
    separation_m: float,
    when: tuple[int, int],
) -> tuple[LatLon, LatLon, float] | None:
    """A straight leg (start, end, bearing) in open water, 25 km or more from every port."""
    for _ in range(60):
        start = ctx.sea_point(rng, box, min_port_km=25.0, when=when)
        bearing = float(rng.uniform(0, 360))
        end = offset_position(*start, bearing, length_m)
        side = offset_position(*start, bearing + 90, separation_m)
        side_end = offset_position(*end, bearing + 90, separation_m)
        samples = [offset_position(*start, bearing, length_m * f) for f in (0.25, 0.5, 0.75, 1.0)]
        if (
            ctx.router.clear(start, end)
            and ctx.router.clear(side, side_end)
            and all(ctx.distance_to_port_m(*p) >= 25_000 for p in samples)
            and not any(ctx.in_hole_area(*p, when=when) for p in samples)
        ):
            return start, end, bearing
    return None


def plan_convoy(ctx: PlanContext, meeting: Params, specs: list[VesselSpec]) -> list[VesselPlan]:
    """Two ships side by side at speed on a straight leg (see the module)."""
    box = meeting.box("box")
    rng = ctx.rng("cast", "convoy", *(spec.key for spec in specs))
    speed = float(rng.uniform(*meeting.span("speed_kn", (8.0, 10.0))))
    duration = int(rng.uniform(*meeting.span("hours", (3.0, 4.0))) * HOUR)
    separation = float(rng.uniform(*meeting.span("separation_m", (250.0, 400.0))))
    begin = ctx.start + int(meeting.number("first_hours", 6.0) * HOUR)
    leg = _leg(
        ctx,
        rng,
        box,
        speed * KNOT * duration,
        separation,
        (begin - HOUR, begin + duration + HOUR),
    )
    if leg is None:
        raise ValueError(f"{meeting.where}: no straight open-water leg found in {box}")
    start, end, bearing = leg
    ends = [
        (start, end),
        (
            offset_position(*start, bearing + 90, separation),
            offset_position(*end, bearing + 90, separation),
        ),
    ]
    plans = []
    for spec, (a, b) in zip(specs, ends, strict=True):
        plan = start_towards(ctx, spec, spec.home, a, None, begin, True, "FOR ORDERS")
        # Line up exactly: both start the leg at ``begin``, even if one came a little early.
        plan.drift(begin, speed, bearing, bearing, "keeping station")
        route = polyline([(plan.lat, plan.lon), b])
        plan.sail(*b, speed, route=route, label="side by side")
        plans.append(_trade_on(ctx, spec, plan))
    ctx.notes.append(
        f"trap: {specs[0].key} and {specs[1].key} sail side by side {separation:.0f} m apart at "
        f"{speed:.1f} kn for {duration / HOUR:.1f} h (not an encounter)"
    )
    return plans
