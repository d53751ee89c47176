"""The cast of the "rajin" scenario: what each documented (or scripted) ship does.

- ``shuttle`` (ANGARA, MARIA to Dunai; LADY R, MAIA-1 to Vostochny): Russian port <-> Rajin
  round trips, transponder off from some tens of km before Rajin until some tens of km after
  leaving it (and, for the Dunai pair, around Dunai as well); laden leaving Rajin.
- ``sts_supplier`` / ``sts_receiver`` (PATRIOT, CHON MA SAN): meet far offshore every three
  days for a ship-to-ship transfer; the receiver then goes dark for 12 h or more, starting
  50 nm or more from shore.
- ``impostor`` (SAEBYOL): loiters offshore, then broadcasts the identity (MMSI included) of
  the fictional HAI FENG 18 while that ship is hundreds of km away; it loiters again every
  three days.
- ``renamed`` (KUM UN SAN 3 -> PU RYONG), ``flag_hopper`` (EVER GLORY: Sierra Leone ->
  Comoros, later the fake Nigerian "GE"), ``imo_changer`` (YU JONG 2 starts sending an IMO
  number with a bad check digit): identity changes in static messages mid-run.
- ``victim`` / ``ordinary``: trade like the rest of the fleet.

First episodes are placed in the first day so that a one- or two-day run shows every
behaviour; longer runs repeat the cycles. Every scripted event is added to the truth.
"""

from __future__ import annotations

from sanctionwatch.geo import find_port
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.rajin.identities import (
    plan_flag_hopper,
    plan_imo_changer,
    plan_impostor,
    plan_renamed,
)
from sanctionwatch.simulate.rajin.shuttle import plan_shuttle
from sanctionwatch.simulate.rajin.transfers import plan_sts
from sanctionwatch.simulate.scenario import VesselSpec
from sanctionwatch.simulate.scripting import fleet_kind, ports_weighted
from sanctionwatch.simulate.traffic import plan_trade

__all__ = ["plan_cast"]


def plan_cast(ctx: PlanContext, specs: list[VesselSpec]) -> list[VesselPlan]:
    """Plans for every cast member of the rajin scenario, in the order of ``specs``."""
    rajin = find_port("Najin")
    plans: dict[str, VesselPlan] = {}
    by_role: dict[str, list[VesselSpec]] = {}
    for spec in specs:
        by_role.setdefault(spec.role, []).append(spec)
    for spec in by_role.get("victim", []) + by_role.get("ordinary", []):
        rng = ctx.rng("cast", spec.key)
        southern = ports_weighted(
            ["Busan", "Sakaiminato", "Maizuru Ko", "Niigata Ko", "Pohang", "Ulsan"]
        )
        plans[spec.key] = plan_trade(ctx, spec, fleet_kind(ctx, spec), rng, ports=southern)
    for phase, spec in enumerate(by_role.get("shuttle", [])):
        plans[spec.key] = plan_shuttle(ctx, spec, rajin, phase % 4)
    for supplier, receiver in zip(
        by_role.get("sts_supplier", []), by_role.get("sts_receiver", []), strict=False
    ):
        plans[supplier.key], plans[receiver.key] = plan_sts(ctx, supplier, receiver)
    for spec in by_role.get("impostor", []):
        plans[spec.key] = plan_impostor(ctx, spec, plans[str(spec.extra["victim"])])
    for spec in by_role.get("renamed", []):
        plans[spec.key] = plan_renamed(ctx, spec)
    for spec in by_role.get("flag_hopper", []):
        plans[spec.key] = plan_flag_hopper(ctx, spec)
    for spec in by_role.get("imo_changer", []):
        plans[spec.key] = plan_imo_changer(ctx, spec)
    for spec in specs:
        if spec.key not in plans:
            rng = ctx.rng("cast", spec.key)
            plans[spec.key] = plan_trade(ctx, spec, fleet_kind(ctx, spec), rng)
    return [plans[spec.key] for spec in specs]
