"""Ordinary traffic: a fictional fleet trading between the scenario's ports.

Cargo ships, container ships and tankers sail port to port, sometimes waiting at the
anchorage first, loading or discharging at each call (draught changes with it); fishing
vessels steam to a ground, trawl above 2 kn (so they are not loitering) and come home;
class B small craft make day trips. Every name, MMSI and IMO number here is fictional:
IMO numbers are drawn from 1000000-1999999 (with a valid check digit), a range no ship on
the sanctions lists uses, so a synthetic ship never matches a listed one by IMO.
"""

from __future__ import annotations

import numpy as np

from sanctionwatch.geo import Port
from sanctionwatch.simulate.context import PlanContext
from sanctionwatch.simulate.plan import HARBOUR_SPEED_KN, VesselPlan, travel_seconds
from sanctionwatch.simulate.scenario import FleetType, Identity, VesselSpec

HOUR = 3600
CALLSIGN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def imo_check_digit(first_six: int) -> int:
    """The check digit of an IMO ship number: sum of digits times 7..2, last digit."""
    digits = f"{first_six:06d}"
    return sum(int(d) * (7 - i) for i, d in enumerate(digits)) % 10


def imo_is_valid(imo: int) -> bool:
    """True when a 7-digit IMO number's last digit is its check digit."""
    return 1_000_000 <= imo <= 9_999_999 and imo_check_digit(imo // 10) == imo % 10


def destination_text(port: Port, use_locode: bool) -> str:
    """What a crew types into the AIS destination field (20 characters, upper case)."""
    if use_locode and port.locode:
        return f"{port.locode[:2]} {port.locode[2:]}"
    name = port.name.upper()
    for suffix in (" KO", " GANG", " HANG"):
        name = name.removesuffix(suffix)
    return name[:20]


def choose_port(
    ctx: PlanContext,
    rng: np.random.Generator,
    exclude: Port | None = None,
    among: tuple[tuple[Port, float], ...] | None = None,
) -> Port:
    """A port of the scenario (or of ``among``), by weight, other than ``exclude``."""
    choices = ctx.scenario.ports if among is None else among
    ports = [(port, weight) for port, weight in choices if port is not exclude]
    weights = np.array([weight for _, weight in ports])
    return ports[int(rng.choice(len(ports), p=weights / weights.sum()))][0]


def make_fleet(
    ctx: PlanContext, count: int, first_index: int, taken_mmsi: set[int]
) -> list[tuple[VesselSpec, FleetType]]:
    """``count`` fictional vessels drawn from the scenario's fleet mix."""
    rng = ctx.rng("fleet")
    scenario = ctx.scenario
    type_shares = np.array([t.share for t in scenario.fleet])
    flag_shares = np.array([f.share for f in scenario.flags])
    names: set[str] = set()
    fleet = []
    for offset in range(count):
        index = first_index + offset
        kind = scenario.fleet[
            int(rng.choice(len(scenario.fleet), p=type_shares / type_shares.sum()))
        ]
        flag = scenario.flags[
            int(rng.choice(len(scenario.flags), p=flag_shares / flag_shares.sum()))
        ]
        while True:
            mmsi = int(rng.choice(flag.mids)) * 1_000_000 + int(rng.integers(0, 1_000_000))
            if kind.ais_class == "A" and rng.random() < 0.5:
                mmsi = mmsi // 1000 * 1000  # many ship MMSIs end in 000
            if mmsi not in taken_mmsi:
                taken_mmsi.add(mmsi)
                break
        while True:
            name = f"{rng.choice(scenario.name_first)} {rng.choice(scenario.name_second)}"
            if rng.random() < 0.45:
                name = f"{name} {int(rng.integers(1, 99))}"
            if name not in names:
                names.add(name)
                break
        callsign = flag.callsign_prefix + "".join(
            CALLSIGN_CHARS[int(i)] for i in rng.integers(0, len(CALLSIGN_CHARS), 3)
        )
        length = float(rng.uniform(*kind.length_m))
        share_of_range = (length - kind.length_m[0]) / max(1.0, kind.length_m[1] - kind.length_m[0])
        laden = kind.draught_m[0] + (kind.draught_m[1] - kind.draught_m[0]) * (
            0.25 + 0.75 * share_of_range
        )
        imo = 0
        if kind.ais_class == "A" and kind.role != "fishing":
            six = int(rng.integers(100_000, 200_000))
            imo = six * 10 + imo_check_digit(six)
        spec = VesselSpec(
            index=index,
            key=f"vessel-{index:05d}",
            role=kind.role,
            identity=Identity(
                mmsi=mmsi,
                name=name,
                callsign=callsign,
                imo=imo,
                flag=flag.flag,
                ship_type=kind.ship_type,
            ),
            ais_class=kind.ais_class,
            length_m=round(length),
            beam_m=round(length * float(rng.uniform(*kind.beam_ratio))),
            draught_ballast_m=round(laden * 0.62, 1),
            draught_laden_m=round(laden, 1),
            speed_kn=round(float(rng.uniform(*kind.speed_kn)), 1),
            home=choose_port(ctx, rng),
            description="FICTIONAL ordinary traffic",
            invented=("everything: fictional vessel",),
            extra={"uses_locode": bool(rng.random() < 0.5)},
        )
        fleet.append((spec, kind))
    return fleet


def plan_ordinary(ctx: PlanContext, spec: VesselSpec, kind: FleetType) -> VesselPlan:
    """The whole run's plan for one ordinary vessel."""
    rng = ctx.rng("plan", spec.key)
    if kind.role == "fishing":
        return plan_fishing(ctx, spec, kind, rng)
    if kind.role == "small":
        return plan_small_craft(ctx, spec, kind, rng)
    return plan_trade(ctx, spec, kind, rng)


def start_in_port(
    ctx: PlanContext, spec: VesselSpec, port: Port, rng: np.random.Generator, hours: float
) -> VesselPlan:
    """A plan that begins an hour before the run, moored in ``port`` for up to ``hours``."""
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, port.lat, port.lon, ctx.berths)
    plan.laden = bool(rng.random() < 0.5)
    plan.set_voyage(plan.t, destination_text(port, bool(spec.extra.get("uses_locode"))), None)
    plan.moor(port, ctx.start + int(rng.uniform(0.3, max(0.5, hours)) * HOUR))
    return plan


def start_at_sea(
    ctx: PlanContext,
    spec: VesselSpec,
    origin: Port,
    destination: Port,
    fraction: float,
    laden: bool,
) -> VesselPlan:
    """A plan that begins an hour before the run part-way from ``origin`` to ``destination``."""
    plan = VesselPlan(spec, ctx.router, ctx.start - HOUR, origin.lat, origin.lon, ctx.berths)
    plan.at_port = origin
    plan.lat, plan.lon = plan.berth(origin)
    route = plan.route_to(destination.lat, destination.lon, destination)
    plan.at_port = None
    plan.laden = laden
    eta = plan.t + travel_seconds(route, spec.speed_kn, False, True) * (1 - fraction)
    plan.set_voyage(
        plan.t,
        destination_text(destination, bool(spec.extra.get("uses_locode"))),
        int(eta),
    )
    plan.sail(
        destination.lat,
        destination.lon,
        spec.speed_kn,
        port=destination,
        route=route,
        start_m=fraction * route.length_m,
    )
    return plan


def call_at(
    ctx: PlanContext,
    plan: VesselPlan,
    destination: Port,
    speed_kn: float,
    rng: np.random.Generator,
    kind: FleetType,
    laden_after: bool,
) -> None:
    """Leave the current port for ``destination`` (maybe via its anchorage) and berth there."""
    route = plan.route_to(destination.lat, destination.lon, destination)
    text = destination_text(destination, bool(plan.spec.extra.get("uses_locode")))
    eta = plan.t + travel_seconds(route, speed_kn, True, True)
    plan.set_voyage(plan.t, text, eta)
    if rng.random() < kind.anchor_share and route.length_m > 20_000:
        stop = route.length_m - float(rng.uniform(4_000, 7_000))
        plan.sail(0, 0, speed_kn, route=route, stop_m=stop, harbour_end=True)
        plan.anchor(
            plan.lat, plan.lon, plan.t + int(rng.uniform(*kind.anchor_hours) * HOUR), destination
        )
        plan.sail(0, 0, HARBOUR_SPEED_KN, port=destination, route=route, start_m=stop)
    else:
        plan.sail(0, 0, speed_kn, port=destination, route=route)
    plan.moor(destination, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    plan.load(plan.t - int(rng.uniform(0.2, 1.0) * HOUR), laden_after, text, None)


def plan_trade(
    ctx: PlanContext,
    spec: VesselSpec,
    kind: FleetType,
    rng: np.random.Generator,
    plan: VesselPlan | None = None,
    ports: tuple[tuple[Port, float], ...] | None = None,
) -> VesselPlan:
    """Port to port until the end of the run, continuing ``plan`` if given, among ``ports``."""
    if plan is None:
        if rng.random() < 0.4:
            plan = start_in_port(
                ctx, spec, choose_port(ctx, rng, among=ports), rng, kind.port_hours[1]
            )
        else:
            origin = choose_port(ctx, rng, among=ports)
            destination = choose_port(ctx, rng, exclude=origin, among=ports)
            plan = start_at_sea(
                ctx,
                spec,
                origin,
                destination,
                float(rng.uniform(0.05, 0.9)),
                bool(rng.random() < 0.5),
            )
            plan.moor(destination, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    while plan.t < ctx.end:
        destination = choose_port(ctx, rng, exclude=plan.at_port, among=ports)
        speed = spec.speed_kn * float(rng.uniform(0.93, 1.03))
        call_at(ctx, plan, destination, speed, rng, kind, laden_after=bool(rng.random() < 0.55))
    return plan


def plan_fishing(
    ctx: PlanContext, spec: VesselSpec, kind: FleetType, rng: np.random.Generator
) -> VesselPlan:
    """Trips from the home port to a fishing ground, trawling there (nav status 7)."""
    home = spec.home
    plan = start_in_port(ctx, spec, home, rng, kind.port_hours[1])
    text = destination_text(home, bool(spec.extra.get("uses_locode")))
    # Class B reports (type 24) carry no draught: the catch shows on class A only.
    no_draught = spec.ais_class == "B"
    # A skipper works a few grounds of their own, not a new one every trip.
    grounds = [ctx.near_point(rng, home.lat, home.lon, *kind.ground_km) for _ in range(3)]
    while plan.t < ctx.end:
        ground = grounds[int(rng.integers(len(grounds)))]
        plan.load(plan.t - 600, plan.laden if no_draught else False, "FISHING GROUND", None)
        plan.sail(*ground, spec.speed_kn)
        stop = plan.t + int(rng.uniform(*kind.fishing_hours) * HOUR)
        while plan.t < stop:
            target = ctx.near_point(rng, ground[0], ground[1], 1.0, 6.0)
            plan.sail(
                *target, float(rng.uniform(*kind.fishing_speed_kn)), status=7, label="fishing"
            )
        plan.load(plan.t, plan.laden if no_draught else True, text, None)
        plan.sail(home.lat, home.lon, spec.speed_kn, port=home)
        plan.moor(home, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    return plan


def plan_small_craft(
    ctx: PlanContext, spec: VesselSpec, kind: FleetType, rng: np.random.Generator
) -> VesselPlan:
    """Class B day trips out of the home port and back."""
    home = spec.home
    plan = start_in_port(ctx, spec, home, rng, kind.port_hours[1])
    low, high = kind.trip_km
    spots = [ctx.near_point(rng, home.lat, home.lon, low, high) for _ in range(4)]
    while plan.t < ctx.end:
        target = spots[int(rng.integers(len(spots)))]
        speed = float(rng.uniform(*kind.speed_kn))
        plan.sail(*target, speed)
        plan.sail(home.lat, home.lon, speed, port=home)
        plan.moor(home, plan.t + int(rng.uniform(*kind.port_hours) * HOUR))
    return plan
