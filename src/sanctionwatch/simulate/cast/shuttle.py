"""Shuttles (role ``shuttle``): home <-> ``dark_port`` round trips, dark around the dark port.

The transponder goes off some tens of km (``dark_km``) before the dark port and comes back
on as far out after leaving it, laden; with ``dark_at_home`` it is off around the home port
too. ``phase`` (the shuttle's rank among the scenario's shuttles, modulo 4) staggers them so
that a short run still shows a complete dark period:

0. at sea from home towards the dark port, arriving 6.5 h into the run;
1. at sea from the dark port towards home, laden, arriving 5 h in;
2. moored at home for the first 4-7 h;
3. about 120 km from the dark port, coming from home; its first stay there is short.

Cast keys: ``dark_port`` (gazetteer name; the reason text uses it as written),
``dark_at_home``, ``dark_km`` [35, 70], ``dark_port_hours`` [14, 36].
"""

from __future__ import annotations

from sanctionwatch.geo import Port
from sanctionwatch.simulate.cast.params import spec_params
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import HOUR, destination, start_towards, time_near


def plan_shuttle(ctx: PlanContext, spec: VesselSpec, phase: int) -> VesselPlan:
    """Round trips home <-> the dark port, dark near it (and near home with dark_at_home)."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    dark_port = params.port("dark_port")
    called = params.text("dark_port")
    dark_km = params.span("dark_km", (35.0, 70.0))
    stay_hours = params.span("dark_port_hours", (14.0, 36.0))
    rng = ctx.rng("cast", spec.key)
    home = spec.home
    dark_at_home = params.flag("dark_at_home")
    speed = spec.speed_kn
    pending: list[tuple[int, Port, float]] = []

    def radius() -> float:
        return float(rng.uniform(dark_km[0] * 1000, dark_km[1] * 1000))

    def approach(port: Port, t_leave: int, off_m: float) -> None:
        t_off = time_near(plan, port.lat, port.lon, off_m, t_leave, plan.t + 1, first=True)
        pending.append((t_off if t_off is not None else t_leave, port, off_m))

    def leave(port: Port, t_leave: int, on_m: float, reason: str) -> None:
        t_on = time_near(plan, port.lat, port.lon, on_m, t_leave, plan.t + 1, first=False)
        t_off, dark, off_m = pending.pop()
        plan.go_dark(
            t_off,
            t_on if t_on is not None else t_leave,
            reason,
            port=dark.name,
            off_km_from_port=round(off_m / 1e3, 1),
            on_km_from_port=round(on_m / 1e3, 1),
        )

    if phase == 0:
        plan = start_towards(
            ctx,
            spec,
            home,
            (dark_port.lat, dark_port.lon),
            dark_port,
            ctx.start + int(6.5 * HOUR),
            False,
            "FOR ORDERS",
        )
        state = "to_dark_port"
    elif phase == 1:
        plan = start_towards(
            ctx,
            spec,
            dark_port,
            (home.lat, home.lon),
            home,
            ctx.start + 5 * HOUR,
            True,
            destination(home),
        )
        state = "to_home"
    elif phase == 2:
        plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, home.lat, home.lon, ctx.berths)
        plan.set_voyage(plan.t, destination(home), None)
        plan.moor(home, ctx.start + int(rng.uniform(4, 7) * HOUR))
        state = "at_home"
    else:
        plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, home.lat, home.lon, ctx.berths)
        plan.at_port = home
        plan.lat, plan.lon = plan.berth(home)
        route = plan.route_to(dark_port.lat, dark_port.lon, dark_port)
        plan.at_port = None
        plan.set_voyage(plan.t, "FOR ORDERS", None)
        plan.sail(
            0, 0, speed, port=dark_port, route=route, start_m=max(0.0, route.length_m - 120_000)
        )
        state = "to_dark_port"
    t_leave = ctx.start - HOUR
    first_stay = True
    while True:
        if state == "to_dark_port":
            approach(dark_port, t_leave, radius())
            stay = rng.uniform(7, 9) if (phase == 3 and first_stay) else rng.uniform(*stay_hours)
            first_stay = False
            plan.moor(dark_port, plan.t + int(stay * HOUR))
            eta = plan.t + travel_seconds(
                plan.route_to(home.lat, home.lon, home), speed, True, True
            )
            plan.load(plan.t - HOUR, True, destination(home), eta)
            t_leave = plan.t
            plan.sail(home.lat, home.lon, speed, port=home)
            leave(dark_port, t_leave, radius(), f"transponder off for a call at {called}")
            state = "to_home"
        elif state == "to_home":
            if plan.t >= ctx.end + 6 * HOUR:
                break
            if dark_at_home:
                approach(home, t_leave, float(rng.uniform(20_000, 40_000)))
            plan.moor(home, plan.t + int(rng.uniform(10, 24 if dark_at_home else 40) * HOUR))
            plan.load(plan.t - HOUR, False, "FOR ORDERS", None)
            state = "at_home"
        else:  # at_home: leave for the dark port
            if plan.t >= ctx.end + 6 * HOUR:
                break
            t_leave = plan.t
            plan.sail(dark_port.lat, dark_port.lon, speed, port=dark_port)
            if dark_at_home and pending:
                leave(
                    home,
                    t_leave,
                    float(rng.uniform(20_000, 40_000)),
                    f"transponder off for a call at {home.name}",
                )
            state = "to_dark_port"
    if pending:  # still dark at the end of the plan
        t_off, dark, off_m = pending.pop()
        plan.go_dark(
            t_off,
            plan.t + HOUR,
            f"transponder off for a call at {dark.name}",
            port=dark.name,
            off_km_from_port=round(off_m / 1e3, 1),
        )
    return plan
