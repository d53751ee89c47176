"""Shuttles: Russian port <-> Rajin round trips, dark some tens of km around Rajin.

ANGARA and MARIA run to Dunai (and are dark around Dunai too), LADY R and MAIA-1 to
Vostochny; each leaves Rajin laden. ``phase`` staggers them so that a short run still shows
a complete dark period (MAIA-1's first call at Rajin is short).
"""

from __future__ import annotations

from sanctionwatch.geo import Port
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import HOUR, destination, start_towards, time_near


def plan_shuttle(ctx: PlanContext, spec: VesselSpec, rajin: Port, phase: int) -> VesselPlan:
    """Round trips home <-> Rajin, dark near Rajin (and near Dunai)."""
    rng = ctx.rng("cast", spec.key)
    home = spec.home
    dark_at_home = bool(spec.extra.get("dark_at_home", False))
    speed = spec.speed_kn
    pending: list[tuple[int, Port, float]] = []

    def radius() -> float:
        return float(rng.uniform(35_000, 70_000))

    def approach(port: Port, t_leave: int, off_m: float) -> None:
        t_off = time_near(plan, port.lat, port.lon, off_m, t_leave, plan.t + 1, first=True)
        pending.append((t_off if t_off is not None else t_leave, port, off_m))

    def leave(port: Port, t_leave: int, on_m: float, reason: str) -> None:
        t_on = time_near(plan, port.lat, port.lon, on_m, t_leave, plan.t + 1, first=False)
        t_off, dark_port, off_m = pending.pop()
        plan.go_dark(
            t_off,
            t_on if t_on is not None else t_leave,
            reason,
            port=dark_port.name,
            off_km_from_port=round(off_m / 1e3, 1),
            on_km_from_port=round(on_m / 1e3, 1),
        )

    if phase == 0:  # at sea from home towards Rajin, about a quarter of the way
        plan = start_towards(
            ctx,
            spec,
            home,
            (rajin.lat, rajin.lon),
            rajin,
            ctx.start + int(6.5 * HOUR),
            False,
            "FOR ORDERS",
        )
        state = "to_rajin"
    elif phase == 1:  # at sea from Rajin towards home, laden, halfway
        plan = start_towards(
            ctx,
            spec,
            rajin,
            (home.lat, home.lon),
            home,
            ctx.start + 5 * HOUR,
            True,
            destination(home),
        )
        state = "to_home"
    elif phase == 2:  # moored at home
        plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, home.lat, home.lon)
        plan.set_voyage(plan.t, destination(home), None)
        plan.moor(home, ctx.start + int(rng.uniform(4, 7) * HOUR))
        state = "at_home"
    else:  # about 120 km from Rajin, coming from home
        plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, home.lat, home.lon)
        plan.at_port = home
        plan.lat, plan.lon = plan.berth(home)
        route = plan.route_to(rajin.lat, rajin.lon, rajin)
        plan.at_port = None
        plan.set_voyage(plan.t, "FOR ORDERS", None)
        plan.sail(0, 0, speed, port=rajin, route=route, start_m=max(0.0, route.length_m - 120_000))
        state = "to_rajin"
    t_leave = ctx.start - HOUR
    first_rajin_stay = True
    while True:
        if state == "to_rajin":
            approach(rajin, t_leave, radius())
            stay = rng.uniform(7, 9) if (phase == 3 and first_rajin_stay) else rng.uniform(14, 36)
            first_rajin_stay = False
            plan.moor(rajin, plan.t + int(stay * HOUR))
            eta = plan.t + travel_seconds(
                plan.route_to(home.lat, home.lon, home), speed, True, True
            )
            plan.load(plan.t - HOUR, True, destination(home), eta)
            t_leave = plan.t
            plan.sail(home.lat, home.lon, speed, port=home)
            leave(rajin, t_leave, radius(), "transponder off for a call at Rajin")
            state = "to_home"
        elif state == "to_home":
            if plan.t >= ctx.end + 6 * HOUR:
                break
            if dark_at_home:
                approach(home, t_leave, float(rng.uniform(20_000, 40_000)))
            plan.moor(home, plan.t + int(rng.uniform(10, 24 if dark_at_home else 40) * HOUR))
            plan.load(plan.t - HOUR, False, "FOR ORDERS", None)
            state = "at_home"
        else:  # at_home: leave for Rajin
            if plan.t >= ctx.end + 6 * HOUR:
                break
            t_leave = plan.t
            plan.sail(rajin.lat, rajin.lon, speed, port=rajin)
            if dark_at_home and pending:
                leave(
                    home,
                    t_leave,
                    float(rng.uniform(20_000, 40_000)),
                    f"transponder off for a call at {home.name}",
                )
            state = "to_rajin"
    if pending:  # still dark at the end of the plan
        t_off, dark_port, off_m = pending.pop()
        plan.go_dark(
            t_off,
            plan.t + HOUR,
            f"transponder off for a call at {dark_port.name}",
            port=dark_port.name,
            off_km_from_port=round(off_m / 1e3, 1),
        )
    return plan
