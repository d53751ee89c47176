"""Identity tricks in the static messages: a new name, new flags (new MMSI), a bad IMO number.

- ``renamed``: sails from home to ``first_port`` (arriving ``first_arrival_hours`` [14] in)
  and is renamed ``new_name`` at sea ``change_hours`` [10] in; then trades.
- ``flag_hopper``: moored in ``start_port`` for ``start_stay_hours`` [11, 14]; re-flags there
  ``change_hours`` [9] in (``hops[0]``: new MMSI, flag, call sign); the first call starting
  ``second_change_after_hours`` [48] in or later, it leaves port as ``hops[1]`` (a new MMSI
  and flag, maybe a new name and IMO: a ship that does not exist). Each hop may say its
  ``kind`` (``flag_change``; ``identity_swap``) and a ``note``.
- ``imo_changer``: moored at home for ``start_stay_hours`` [3, 5], then trades; sends
  ``new_imo`` (with a wrong check digit, say) from ``change_hours`` [16] in.

All three trade among ``trade_ports`` (default: the scenario's ports) without anchorage
waits unless ``anchor_waits`` is true. Every change is recorded in the truth.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from sanctionwatch.simulate.cast.params import Params, spec_params
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.scenario import FleetType, VesselSpec
from sanctionwatch.simulate.scripting import (
    HOUR,
    destination,
    fleet_kind,
    identity_event,
    no_anchorage,
    start_towards,
)
from sanctionwatch.simulate.traffic import imo_is_valid, plan_trade

REFLAG_NOTE = "re-flagged in port: new MMSI (MID) and call sign, same name and IMO"


def _trade_kind(ctx: PlanContext, spec: VesselSpec, params: Params) -> FleetType:
    kind = fleet_kind(ctx, spec)
    return kind if params.flag("anchor_waits") else no_anchorage(kind)


def _change_at(ctx: PlanContext, params: Params, default_hours: float, share: Fraction) -> int:
    """``change_hours`` into the run, or ``share`` of a shorter run (whole seconds, floored)."""
    hours = params.number("change_hours", default_hours)
    part = (ctx.end - ctx.start) * share.numerator // share.denominator
    return min(ctx.start + int(hours * HOUR), ctx.start + part)


def plan_renamed(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Home -> ``first_port``, renamed at sea on the way; then trades."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    rng = ctx.rng("cast", spec.key)
    first_port = params.port("first_port")
    plan = start_towards(
        ctx,
        spec,
        spec.home,
        (first_port.lat, first_port.lon),
        first_port,
        ctx.start + int(params.number("first_arrival_hours", 14.0) * HOUR),
        False,
        destination(first_port),
    )
    identity_event(
        ctx,
        plan,
        _change_at(ctx, params, 10.0, Fraction(1, 2)),
        replace(spec.identity, name=params.text("new_name")),
        "name_change",
    )
    kind = _trade_kind(ctx, spec, params)
    plan.moor(first_port, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    return plan_trade(ctx, spec, kind, rng, plan=plan, ports=params.ports("trade_ports"))


def _hop(params: Params, index: int) -> Params:
    hops: list[Any] = list(params.raw.get("hops", []))
    return Params(f"{params.where}.hops[{index}]", hops[index])


def plan_flag_hopper(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Re-flags in ``start_port`` (new MMSI, call sign); later leaves a port as another ship."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    rng = ctx.rng("cast", spec.key)
    start_port = params.port("start_port")
    hops = len(params.raw.get("hops", []))
    plan = VesselPlan(
        spec, ctx.router, ctx.start - HOUR, start_port.lat, start_port.lon, ctx.berths
    )
    plan.set_voyage(plan.t, destination(start_port), None)
    stay = params.span("start_stay_hours", (11.0, 14.0))
    plan.moor(start_port, ctx.start + int(rng.uniform(*stay) * HOUR))
    if hops:
        hop = _hop(params, 0)
        first = replace(
            spec.identity,
            mmsi=int(hop.number("mmsi")),
            flag=hop.text("flag"),
            callsign=hop.text("callsign"),
        )
        identity_event(
            ctx,
            plan,
            min(ctx.start + int(params.number("change_hours", 9.0) * HOUR), plan.t - HOUR),
            first,
            hop.text("kind", "flag_change"),
            note=hop.text("note", REFLAG_NOTE),
        )
    ports = params.ports("trade_ports")
    plan = plan_trade(ctx, spec, _trade_kind(ctx, spec, params), rng, plan=plan, ports=ports)
    if hops > 1:
        after = ctx.start + int(params.number("second_change_after_hours", 48.0) * HOUR)
        call = next(
            (c for c in plan.calls if c.arrival >= after and c.departure < ctx.end - 6 * HOUR),
            None,
        )
        if call is not None:
            hop = _hop(params, 1)
            current = plan.identity_at(call.departure)
            ghost = replace(
                current,
                mmsi=int(hop.number("mmsi")),
                flag=hop.text("flag"),
                callsign=hop.text("callsign"),
                name=hop.text("name", current.name),
                imo=int(hop.number("imo", current.imo)),
            )
            identity_event(
                ctx,
                plan,
                call.departure - HOUR,
                ghost,
                hop.text("kind", "identity_swap"),
                note=hop.text("note", "leaves port broadcasting a vessel that does not exist"),
            )
    return plan


def plan_imo_changer(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Starts moored at home (visible), trades; sends ``new_imo`` from ``change_hours`` in."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    rng = ctx.rng("cast", spec.key)
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, spec.home.lat, spec.home.lon, ctx.berths)
    plan.set_voyage(plan.t, destination(spec.home), None)
    stay = params.span("start_stay_hours", (3.0, 5.0))
    plan.moor(spec.home, ctx.start + int(rng.uniform(*stay) * HOUR))
    ports = params.ports("trade_ports")
    plan = plan_trade(ctx, spec, _trade_kind(ctx, spec, params), rng, plan=plan, ports=ports)
    new_imo = int(params.number("new_imo"))
    at = _change_at(ctx, params, 16.0, Fraction(2, 3))
    identity_event(
        ctx,
        plan,
        at,
        replace(plan.identity_at(at), imo=new_imo),
        "imo_change",
        new_imo_check_digit_valid=imo_is_valid(new_imo),
    )
    return plan
