"""Loiterers (role ``loiterer``) and impostors (role ``impostor``): slow far offshore, again
and again; an impostor then broadcasts another ship's identity.

Each episode the ship sails to a random point of ``loiter.box`` (open water at least
``min_shore_nm`` from shore, ``min_port_km`` from any port, ``away_km`` from the run's
encounters, outside coverage holes open at the time), drifts there at ``drift_kn`` for
``hours`` and goes home for ``home_hours``. Episodes start ``first_hours`` into the run and
repeat every ``every_hours`` (give or take ``jitter_hours``). After its first loitering an
impostor sends its ``victim``'s full identity (MMSI included) for 8-10 h on its way to
``after_port``, while the victim is far away (see :func:`scripting.borrow_identity`).

With ``hours`` under 4 the same script is a trap: a ship slow for a few hours offshore,
which is not loitering by the 4-hour rule and must not be reported as such.
"""

from __future__ import annotations

from sanctionwatch.simulate.cast.params import spec_params
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import (
    HOUR,
    borrow_identity,
    fleet_kind,
    place_at_sea,
    start_towards,
)
from sanctionwatch.simulate.traffic import plan_trade


def plan_loiterer(ctx: PlanContext, spec: VesselSpec, victim: VesselPlan | None) -> VesselPlan:
    """Loiter offshore every few days; with a ``victim``, borrow its identity after the first."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    loiter = params.table("loiter")
    box = loiter.box("box")
    min_shore_nm = loiter.number("min_shore_nm", 32.0)
    min_port_km = loiter.number("min_port_km", 40.0)
    away_km = loiter.number("away_km", 60.0)
    every = int(loiter.number("every_hours", 72.0) * HOUR)
    jitter = loiter.number("jitter_hours", 8.0)
    hours_span = loiter.span("hours", (5.0, 7.0))
    drift_kn = loiter.span("drift_kn", (0.3, 1.3))
    home_hours = loiter.span("home_hours", (12.0, 24.0))
    label = loiter.text("label", "loitering (waiting offshore)")
    after_port = params.port("after_port") if victim is not None else None
    rng = ctx.rng("cast", spec.key)
    home = spec.home
    plan: VesselPlan | None = None
    episode = 0
    loiter_at = ctx.start + int(loiter.number("first_hours", 1.5) * HOUR)
    while loiter_at + 5 * HOUR < ctx.end:
        loiter_at, point = place_at_sea(
            ctx,
            rng,
            box,
            loiter_at,
            hours_span[1],
            min_shore_nm=min_shore_nm,
            min_port_km=min_port_km,
            away_from=[(e.lat, e.lon) for e in ctx.events if e.type == "encounter"],
            away_km=away_km,
        )
        if plan is None:
            plan = start_towards(ctx, spec, home, point, None, loiter_at, False, "FOR ORDERS")
        else:
            route = plan.route_to(*point)
            depart = loiter_at - travel_seconds(route, spec.speed_kn, True, False)
            if depart <= plan.t:
                loiter_at += every + int(rng.uniform(-jitter, jitter) * HOUR)
                continue
            plan.moor(plan.at_port or home, depart)
            plan.set_voyage(plan.t, "FOR ORDERS", loiter_at)
            plan.sail(*point, spec.speed_kn, route=route)
        hours = float(rng.uniform(*hours_span))
        plan.drift(
            plan.t + int(hours * HOUR),
            float(rng.uniform(*drift_kn)),
            float(rng.uniform(0, 360)),
            float(rng.uniform(0, 360)),
            label,
        )
        if episode == 0 and victim is not None and after_port is not None:
            borrow_identity(ctx, plan, victim, rng, after_port)
        else:
            plan.sail(home.lat, home.lon, spec.speed_kn, port=home)
            plan.moor(home, plan.t + int(rng.uniform(*home_hours) * HOUR))
        loiter_at += every + int(rng.uniform(-jitter, jitter) * HOUR)
        episode += 1
    if plan is None:
        ctx.notes.append(f"{spec.key}: run too short for loitering")
        return plan_trade(ctx, spec, fleet_kind(ctx, spec), rng)
    if plan.t < ctx.end + HOUR:
        plan.moor(plan.at_port or home, ctx.end + HOUR)
    return plan
