"""Helpers for scripting a scenario's cast: timing voyages, changing identities.

The cast planners (:mod:`sanctionwatch.simulate.cast`) narrate what each cast member does
with :class:`~sanctionwatch.simulate.plan.VesselPlan`; these helpers cover what several
scripts need: reaching a point at a given time, placing an episode at sea where it can be
received, finding when a ship passes within a distance of a port, and changing what a
transponder says while recording it in the truth.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from sanctionwatch.geo import Port, find_port, haversine_m
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.motion import state_at
from sanctionwatch.simulate.plan import KNOT, VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import FleetType, Identity, VesselSpec
from sanctionwatch.simulate.traffic import destination_text
from sanctionwatch.simulate.truth import TruthEvent

HOUR = 3600
MAX_DELAY_HOURS = 8


def time_near(
    plan: VesselPlan, lat: float, lon: float, radius_m: float, t_from: int, t_to: int, first: bool
) -> int | None:
    """First (or last) time in [t_from, t_to) the ship is within ``radius_m`` of (lat, lon)."""
    t = np.arange(t_from, t_to, 30, dtype=np.int64)
    if t.size == 0:
        return None
    state = state_at(plan, t)
    near = np.flatnonzero(haversine_m(state.lat, state.lon, lat, lon) <= radius_m)
    if near.size == 0:
        return None
    return int(t[near[0]] if first else t[near[-1]])


def place_at_sea(
    ctx: PlanContext,
    rng: np.random.Generator,
    box: tuple[float, float, float, float],
    at: int,
    hours: float,
    **where: Any,
) -> tuple[int, tuple[float, float]]:
    """A start time and an open-water point of ``box`` for something lasting ``hours``.

    The point avoids the coverage holes open from an hour before ``at`` to an hour after the
    end (an event nobody can receive tests nothing); when such holes cover the whole box,
    the start moves on by the hour, for up to 8 hours. ``where``: more
    :meth:`PlanContext.sea_point` conditions.
    """
    for delay in range(MAX_DELAY_HOURS + 1):
        start = at + delay * HOUR
        window = (start - HOUR, start + int((hours + 1) * HOUR))
        try:
            return start, ctx.sea_point(rng, box, when=window, **where)
        except ValueError:
            if delay == MAX_DELAY_HOURS:
                raise
    raise AssertionError("unreachable")


def start_towards(
    ctx: PlanContext,
    spec: VesselSpec,
    origin: Port,
    target: tuple[float, float],
    port: Port | None,
    arrive_at: int,
    laden: bool,
    destination: str,
) -> VesselPlan:
    """A plan that reaches ``target`` (or a berth in ``port``) at about ``arrive_at``.

    If there is time the ship waits in ``origin`` first; otherwise it starts part-way.
    """
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, origin.lat, origin.lon, ctx.berths)
    plan.at_port = origin
    plan.lat, plan.lon = plan.berth(origin)
    route = plan.route_to(target[0], target[1], port)
    plan.laden = laden
    plan.set_voyage(plan.t, destination, arrive_at)
    full = travel_seconds(route, spec.speed_kn, True, port is not None)
    if arrive_at - plan.t >= full:
        plan.at_port = None  # so that the stay is recorded as a call (begun before the run)
        plan.moor(origin, arrive_at - full)
        plan.sail(*target, spec.speed_kn, port=port, route=route)
    else:
        remaining = spec.speed_kn * KNOT * (arrive_at - plan.t)
        plan.at_port = None
        plan.sail(
            *target,
            spec.speed_kn,
            port=port,
            route=route,
            start_m=max(0.0, route.length_m - remaining),
        )
    return plan


def fleet_kind(ctx: PlanContext, spec: VesselSpec) -> FleetType:
    """The fleet type whose port times and anchorage habits a cast ship borrows."""
    wanted = "tanker" if spec.identity.ship_type // 10 == 8 else "cargo"
    return next(kind for kind in ctx.scenario.fleet if kind.role == wanted)


def no_anchorage(kind: FleetType) -> FleetType:
    """The same habits without anchorage waits (small regional ports)."""
    return replace(kind, anchor_share=0.0)


def ports_weighted(names: list[str]) -> tuple[tuple[Port, float], ...]:
    """Gazetteer ports by name, equally likely (for a cast ship's own trade)."""
    return tuple((find_port(name), 1.0) for name in names)


def destination(port: Port) -> str:
    """The AIS destination a cast ship types for ``port`` (the port's name)."""
    return destination_text(port, use_locode=False)


def identity_event(
    ctx: PlanContext, plan: VesselPlan, t: int, new: Identity, kind: str, **details: object
) -> None:
    """Change what the transponder says from ``t`` on, and record it in the truth."""
    old = plan.identity_at(t)
    plan.set_identity(t, new)
    where = state_at(plan, np.array([t], dtype=np.int64))
    changed = {
        field: {"from": getattr(old, field), "to": getattr(new, field)}
        for field in ("mmsi", "name", "callsign", "imo", "flag", "ship_type")
        if getattr(old, field) != getattr(new, field)
    }
    call = next((c for c in plan.calls if c.arrival <= t < c.departure), None)
    ctx.events.append(
        TruthEvent(
            type="identity",
            mmsi=new.mmsi,
            other_mmsi=old.mmsi if old.mmsi != new.mmsi else None,
            start=t,
            end=None,
            lat=float(where.lat[0]),
            lon=float(where.lon[0]),
            port=call.port.name if call else None,
            details={"vessel": plan.spec.key, "kind": kind, "changed": changed, **details},
        )
    )


def borrow_identity(
    ctx: PlanContext, plan: VesselPlan, victim: VesselPlan, rng: np.random.Generator, port: Port
) -> None:
    """Broadcast the victim's full identity (MMSI, name, call sign, IMO) for 8-10 hours."""
    start = plan.t + int(rng.uniform(0.3, 0.8) * HOUR)
    end = start + int(rng.uniform(8, 10) * HOUR)
    plan.sail(port.lat, port.lon, plan.spec.speed_kn, port=port)
    plan.moor(port, max(plan.t, end) + int(rng.uniform(6, 12) * HOUR))
    borrowed = victim.identity_at(start)
    own = plan.identity_at(start)
    plan.set_identity(start, borrowed)
    plan.set_identity(end, own)
    t = np.arange(start, end, 600, dtype=np.int64)
    mine, theirs = state_at(plan, t), state_at(victim, t)
    separation = haversine_m(mine.lat, mine.lon, theirs.lat, theirs.lon) / 1e3
    ctx.events.append(
        TruthEvent(
            type="identity",
            mmsi=borrowed.mmsi,
            other_mmsi=own.mmsi,
            start=start,
            end=end,
            lat=float(mine.lat[0]),
            lon=float(mine.lon[0]),
            details={
                "vessel": plan.spec.key,
                "kind": "shared_mmsi",
                "impostor": plan.spec.key,
                "impostor_name": own.name,
                "impostor_imo": own.imo,
                "victim": victim.spec.key,
                "victim_name": borrowed.name,
                "victim_imo": borrowed.imo,
                "min_separation_km": round(float(separation.min()), 1),
                "max_separation_km": round(float(separation.max()), 1),
                "broadcast": "victim's MMSI, name, call sign and IMO; impostor's own dimensions",
            },
        )
    )
