"""Identity tricks of the cast: a borrowed MMSI, a new name, new flags, a bad IMO number.

- SAEBYOL loiters offshore, then broadcasts HAI FENG 18's identity (MMSI included) for
  8-10 h while that ship is hundreds of km away; it loiters again every three days.
- KUM UN SAN 3 becomes PU RYONG at sea; EVER GLORY re-flags in port (Sierra Leone ->
  Comoros, new MMSI and call sign) and later leaves port as the fake Nigerian "GE";
  YU JONG 2 starts sending an IMO number whose check digit is wrong.
"""

from __future__ import annotations

from dataclasses import replace

from sanctionwatch.geo import find_port
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import (
    HOUR,
    borrow_identity,
    destination,
    fleet_kind,
    identity_event,
    no_anchorage,
    ports_weighted,
    start_towards,
)
from sanctionwatch.simulate.traffic import imo_is_valid, plan_trade

EPISODE_EVERY = 72 * HOUR  # about every three days (give or take 8 h)
LOITER_BOX = (40.9, 41.9, 130.6, 132.6)  # lat_min, lat_max, lon_min, lon_max


def plan_impostor(ctx: PlanContext, spec: VesselSpec, victim: VesselPlan) -> VesselPlan:
    """Loiter offshore; then sail under the victim's identity; loiter again every 3 days."""
    rng = ctx.rng("cast", spec.key)
    home = spec.home
    chongjin = find_port("Ch'ongjin")
    plan: VesselPlan | None = None
    episode = 0
    loiter_at = ctx.start + int(1.5 * HOUR)
    while loiter_at + 5 * HOUR < ctx.end:
        point = ctx.sea_point(
            rng,
            LOITER_BOX,
            min_shore_nm=32,
            min_port_km=40,
            away_from=[(e.lat, e.lon) for e in ctx.events if e.type == "encounter"],
            away_km=60,
        )
        if plan is None:
            plan = start_towards(ctx, spec, home, point, None, loiter_at, False, "FOR ORDERS")
        else:
            route = plan.route_to(*point)
            depart = loiter_at - travel_seconds(route, spec.speed_kn, True, False)
            if depart <= plan.t:
                loiter_at += EPISODE_EVERY + int(rng.uniform(-8, 8) * HOUR)
                continue
            plan.moor(plan.at_port or home, depart)
            plan.set_voyage(plan.t, "FOR ORDERS", loiter_at)
            plan.sail(*point, spec.speed_kn, route=route)
        hours = float(rng.uniform(5, 7))
        plan.drift(
            plan.t + int(hours * HOUR),
            float(rng.uniform(0.3, 1.3)),
            float(rng.uniform(0, 360)),
            float(rng.uniform(0, 360)),
            "loitering (waiting offshore)",
        )
        if episode == 0:
            borrow_identity(ctx, plan, victim, rng, chongjin)
        else:
            plan.sail(home.lat, home.lon, spec.speed_kn, port=home)
            plan.moor(home, plan.t + int(rng.uniform(12, 24) * HOUR))
        loiter_at += EPISODE_EVERY + int(rng.uniform(-8, 8) * HOUR)
        episode += 1
    if plan is None:
        ctx.notes.append(f"{spec.key}: run too short for loitering")
        return plan_trade(ctx, spec, fleet_kind(ctx, spec), rng)
    if plan.t < ctx.end + HOUR:
        plan.moor(plan.at_port or home, ctx.end + HOUR)
    return plan


def plan_renamed(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Trades Ch'ongjin - Russian ports; renamed at sea about ten hours in."""
    rng = ctx.rng("cast", spec.key)
    nakhodka = find_port("Nakhodka")
    plan = start_towards(
        ctx,
        spec,
        spec.home,
        (nakhodka.lat, nakhodka.lon),
        nakhodka,
        ctx.start + 14 * HOUR,
        False,
        destination(nakhodka),
    )
    rename_at = min(ctx.start + 10 * HOUR, ctx.start + (ctx.end - ctx.start) // 2)
    identity_event(
        ctx,
        plan,
        rename_at,
        replace(spec.identity, name=str(spec.extra["new_name"])),
        "name_change",
    )
    kind = fleet_kind(ctx, spec)
    plan.moor(nakhodka, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    ports = ports_weighted(["Ch'ongjin", "Nakhodka", "Vladivostok", "Najin"])
    return plan_trade(ctx, spec, no_anchorage(kind), rng, plan=plan, ports=ports)


def plan_flag_hopper(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Changes flag (MMSI, call sign) in port; later turns into the fake Nigerian 'GE'."""
    rng = ctx.rng("cast", spec.key)
    zarubino = find_port("Zarubino")
    hops = spec.extra.get("hops", [])
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, zarubino.lat, zarubino.lon)
    plan.set_voyage(plan.t, destination(zarubino), None)
    plan.moor(zarubino, ctx.start + int(rng.uniform(11, 14) * HOUR))
    if hops:
        hop = hops[0]
        first = replace(
            spec.identity, mmsi=int(hop["mmsi"]), flag=hop["flag"], callsign=hop["callsign"]
        )
        identity_event(
            ctx,
            plan,
            min(ctx.start + 9 * HOUR, plan.t - HOUR),
            first,
            "flag_change",
            note="re-flagged in port: new MMSI (MID) and call sign, same name and IMO",
        )
    kind = fleet_kind(ctx, spec)
    ports = ports_weighted(["Ch'ongjin", "Zarubino", "Pos'yet", "Najin"])
    plan = plan_trade(ctx, spec, no_anchorage(kind), rng, plan=plan, ports=ports)
    if len(hops) > 1:
        call = next(
            (
                c
                for c in plan.calls
                if c.arrival >= ctx.start + 48 * HOUR and c.departure < ctx.end - 6 * HOUR
            ),
            None,
        )
        if call is not None:
            hop = hops[1]
            current = plan.identity_at(call.departure)
            ghost = replace(
                current,
                mmsi=int(hop["mmsi"]),
                flag=hop["flag"],
                callsign=hop["callsign"],
                name=hop.get("name", current.name),
                imo=int(hop.get("imo", current.imo)),
            )
            identity_event(
                ctx,
                plan,
                call.departure - HOUR,
                ghost,
                "identity_swap",
                note="leaves port broadcasting a non-existent vessel (documented: 'GE', Aug 2019)",
            )
    return plan


def plan_imo_changer(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Starts in Rajin (visible), trades with Russian ports; sends a bad IMO from hour 16."""
    rng = ctx.rng("cast", spec.key)
    kind = fleet_kind(ctx, spec)
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, spec.home.lat, spec.home.lon)
    plan.set_voyage(plan.t, destination(spec.home), None)
    plan.moor(spec.home, ctx.start + int(rng.uniform(3, 5) * HOUR))
    ports = ports_weighted(["Najin", "Vladivostok", "Nakhodka", "Ch'ongjin"])
    plan = plan_trade(ctx, spec, no_anchorage(kind), rng, plan=plan, ports=ports)
    new_imo = int(spec.extra["new_imo"])
    at = min(ctx.start + 16 * HOUR, ctx.start + (ctx.end - ctx.start) * 2 // 3)
    identity_event(
        ctx,
        plan,
        at,
        replace(plan.identity_at(at), imo=new_imo),
        "imo_change",
        new_imo_check_digit_valid=imo_is_valid(new_imo),
    )
    return plan
