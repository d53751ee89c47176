"""The cast of a scenario: scripted ships, planned by their role and by the scenario's meetings.

A scenario's ``[[cast]]`` lists ships, each with a ``role``; its ``[[meetings]]`` say which
pairs meet, where and when. The code knows behaviours, the scenario file says who does them
where, so any scenario can use any role (``docs/ais.md`` lists the keys each one reads):

- trade roles (``ordinary``, ``victim``, ``trader``): trade like the fleet, among their
  ``trade_ports`` if given; ``fishing``: trawls like the fleet's class A fishing vessels,
  on grounds ``ground_km`` from home if given (a trap: slow work that is not loitering);
- ``shuttle``: round trips to a ``dark_port``, transponder off around it (:mod:`.shuttle`);
- meeting roles (``sts_supplier``, ``sts_receiver``, ``anchored_pair``, ``convoy``): planned
  by their meeting, of kind ``transfer`` (:mod:`.transfers`), ``anchorage`` or ``convoy``
  (traps, :mod:`.traps`);
- ``impostor`` and ``loiterer``: slow far offshore, again and again; an impostor then sends
  its ``victim``'s identity (:mod:`.loitering`);
- ``renamed``, ``flag_hopper``, ``imo_changer``: identity changes (:mod:`.identities`);
- ``crosser``: crosses the track of a ship in its ``crosses`` list at speed (a decoy,
  :mod:`.crossing`), planned last.

Planning order: trade and fishing roles, shuttles, meetings, impostors, loiterers, identity
changes (an impostor needs its victim's plan and keeps away from the run's encounters). Each
ship draws from its own random stream (the seed and its key), so the order changes no draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.simulate.cast.crossing import plan_crossing
from sanctionwatch.simulate.cast.identities import (
    plan_flag_hopper,
    plan_imo_changer,
    plan_renamed,
)
from sanctionwatch.simulate.cast.loitering import plan_loiterer
from sanctionwatch.simulate.cast.params import Params, spec_params
from sanctionwatch.simulate.cast.shuttle import plan_shuttle
from sanctionwatch.simulate.cast.transfers import plan_transfers
from sanctionwatch.simulate.cast.traps import plan_anchorage, plan_convoy
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.scenario import Scenario, VesselSpec
from sanctionwatch.simulate.scripting import fleet_kind
from sanctionwatch.simulate.traffic import plan_fishing, plan_trade

__all__ = ["ROLES", "check_cast", "plan_cast"]

TRADE_ROLES = ("ordinary", "victim", "trader")
MEETING_ROLES = {
    "transfer": ("sts_supplier", "sts_receiver"),
    "anchorage": ("anchored_pair", "anchored_pair"),
    "convoy": ("convoy", "convoy"),
}
IDENTITY_PLANNERS: dict[str, Callable[[PlanContext, VesselSpec], VesselPlan]] = {
    "renamed": plan_renamed,
    "flag_hopper": plan_flag_hopper,
    "imo_changer": plan_imo_changer,
}
ROLES = frozenset(
    {*TRADE_ROLES, "fishing", "shuttle", "impostor", "loiterer", "crosser", *IDENTITY_PLANNERS}
    | {role for roles in MEETING_ROLES.values() for role in roles}
)


def _fishing(ctx: PlanContext, spec: VesselSpec) -> VesselPlan:
    """Trawling trips like the fleet's fishing vessels of the same AIS class."""
    params = spec_params(ctx.scenario.name, spec.key, spec.extra)
    kind = next(
        (k for k in ctx.scenario.fleet if k.role == "fishing" and k.ais_class == spec.ais_class),
        None,
    )
    if kind is None:
        raise InputError(f"Scenario {params.where}: the fleet has no class A fishing type.")
    if params.has("ground_km"):
        kind = replace(kind, ground_km=params.span("ground_km"))
    return plan_fishing(ctx, spec, kind, ctx.rng("cast", spec.key))


def _transfer(ctx: PlanContext, meeting: Params, specs: list[VesselSpec]) -> list[VesselPlan]:
    return list(plan_transfers(ctx, meeting, specs[0], specs[1]))


MEETING_PLANNERS: dict[str, Callable[[PlanContext, Params, list[VesselSpec]], list[VesselPlan]]] = {
    "transfer": _transfer,
    "anchorage": plan_anchorage,
    "convoy": plan_convoy,
}


def _meeting(scenario: str, index: int, raw: dict[str, Any]) -> tuple[Params, list[str]]:
    """A meeting's table and its two ships (a transfer's supplier first)."""
    params = Params(f"{scenario!r}, meetings[{index}]", raw)
    kind = params.text("kind")
    if kind not in MEETING_PLANNERS:
        raise InputError(
            f"Scenario {params.where}: unknown kind {kind!r}; "
            f"choose one of: {', '.join(sorted(MEETING_PLANNERS))}."
        )
    if kind == "transfer":
        keys = [params.text("supplier"), params.text("receiver")]
    else:
        keys = [str(key) for key in raw.get("vessels", [])]
    if len(keys) != 2 or keys[0] == keys[1]:
        raise InputError(f"Scenario {params.where}: a meeting needs two different ships.")
    return params, keys


def check_cast(scenario: Scenario) -> None:
    """Raise :class:`InputError` when the cast and the meetings do not fit together."""
    name = scenario.name
    roles = {str(raw["key"]): str(raw["role"]) for raw in scenario.cast}
    if len(roles) != len(scenario.cast):
        raise InputError(f"Scenario {name!r}: two cast entries share a key.")
    for key, role in roles.items():
        if role not in ROLES:
            raise InputError(
                f"Scenario {name!r}, cast {key!r}: unknown role {role!r}; "
                f"choose one of: {', '.join(sorted(ROLES))}."
            )
    met: set[str] = set()
    for index, raw in enumerate(scenario.meetings):
        params, keys = _meeting(name, index, raw)
        wanted = MEETING_ROLES[params.text("kind")]
        for key, role in zip(keys, wanted, strict=True):
            if key not in roles:
                raise InputError(f"Scenario {params.where}: no cast entry {key!r}.")
            if key in met:
                raise InputError(f"Scenario {params.where}: {key!r} is in two meetings.")
            if roles[key] != role:
                raise InputError(
                    f"Scenario {params.where}: {key!r} has role {roles[key]!r}, not {role!r}."
                )
            met.add(key)
    meeting_roles = {role for pair in MEETING_ROLES.values() for role in pair}
    for raw in scenario.cast:
        key, role = str(raw["key"]), str(raw["role"])
        if role in meeting_roles and key not in met:
            raise InputError(f"Scenario {name!r}, cast {key!r}: role {role!r} needs a meeting.")
        if role == "crosser" and not set(map(str, raw.get("crosses", []))) <= set(roles):
            raise InputError(f"Scenario {name!r}, cast {key!r}: 'crosses' names no cast entry.")
        if role == "impostor" and roles.get(str(raw.get("victim"))) not in TRADE_ROLES:
            raise InputError(
                f"Scenario {name!r}, cast {key!r}: an impostor needs a 'victim' that trades."
            )


def plan_cast(ctx: PlanContext, specs: list[VesselSpec]) -> list[VesselPlan]:
    """Plans for every cast member of the run's scenario, in the order of ``specs``."""
    plans: dict[str, VesselPlan] = {}
    by_key = {spec.key: spec for spec in specs}
    by_role: dict[str, list[VesselSpec]] = {}
    for spec in specs:
        by_role.setdefault(spec.role, []).append(spec)

    def trade(spec: VesselSpec) -> VesselPlan:
        params = spec_params(ctx.scenario.name, spec.key, spec.extra)
        rng = ctx.rng("cast", spec.key)
        return plan_trade(ctx, spec, fleet_kind(ctx, spec), rng, ports=params.ports("trade_ports"))

    for role in TRADE_ROLES:
        for spec in by_role.get(role, []):
            plans[spec.key] = trade(spec)
    for spec in by_role.get("fishing", []):
        plans[spec.key] = _fishing(ctx, spec)
    for phase, spec in enumerate(by_role.get("shuttle", [])):
        plans[spec.key] = plan_shuttle(ctx, spec, phase % 4)
    for index, raw in enumerate(ctx.scenario.meetings):
        params, keys = _meeting(ctx.scenario.name, index, raw)
        pair = [by_key[key] for key in keys]
        planned = MEETING_PLANNERS[params.text("kind")](ctx, params, pair)
        for spec, plan in zip(pair, planned, strict=True):
            plans[spec.key] = plan
    for spec in by_role.get("impostor", []):
        plans[spec.key] = plan_loiterer(ctx, spec, plans[str(spec.extra["victim"])])
    for spec in by_role.get("loiterer", []):
        plans[spec.key] = plan_loiterer(ctx, spec, None)
    for role, planner in IDENTITY_PLANNERS.items():
        for spec in by_role.get(role, []):
            plans[spec.key] = planner(ctx, spec)
    for spec in by_role.get("crosser", []):
        targets = [plans[str(key)] for key in spec.extra.get("crosses", []) if str(key) in plans]
        plans[spec.key] = plan_crossing(ctx, spec, targets)
    for spec in specs:
        if spec.key not in plans:
            plans[spec.key] = trade(spec)
    return [plans[spec.key] for spec in specs]
