"""Risk scoring speed: score_vessels for 10,000 vessels and 1,000,000 events built in memory
(issue 13's goal: linking and risk for 10,000 vessels / 1 M events in under 10 s; linking is
timed by bench/bench_linking.py).

Run: .venv/bin/python bench/bench_risk.py [--vessels 10000] [--events 1000000] [--seed 1]

Input: SYNTHETIC, made here with a seeded random generator, no store. MMSIs drawn from real
flag MIDs (one in a hundred DPRK's 445, one in two hundred an unallocated MID), one vessel in
ten without any identity, 2 % with an IMO number whose check digit is (almost always) wrong.
Event types in the proportions of a detection run over busy waters (our choice): 30 % gaps,
41 % port calls, 15 % loitering, 2 % encounters between random pairs (so the encounter graph
is one large component, the hard case for propagation), about 11 % draught changes (one in
ten at sea), 0.5 % identity events (renames and new call signs), all over 90 days, in the
open sea east of Japan (no transfer zone). Three vessels in a hundred
are suspects: their gaps, port calls, loitering and identity events are far more often the
suspicious kind (likely disablings, dark port calls at Nampo, calls at Najin and
Vostochnyy, loitering off Nampo, shared MMSIs, re-flags, invalid IMO numbers), and they send
more identity events. Links: 1 % of vessels via IMO, 1 % via name, 0.5 % via owner; 0.2 %
with an identity flag. Building the input is not timed; one score_vessels call is, three
times (best and all), each on the same input. Peak RSS is the process's (input included).
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import time
from collections import Counter
from typing import Any

from sanctionwatch.behaviour.events import Event
from sanctionwatch.linking.model import IdentityFlag, Link, Via
from sanctionwatch.risk.model import VesselRisk, score_vessels
from sanctionwatch.risk.params import default_risk_params

MIDS = (351, 352, 353, 370, 371, 412, 413, 440, 441, 477, 511, 538, 636, 667, 273, 219)
T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z
HOUR_MS = 3_600_000
DAYS = 90
OFF_NAMPO = (38.55, 124.95)


def valid_imo(rng: random.Random) -> int:
    """A random IMO number with a valid check digit (the last digit is the sum of the
    first six times 7, 6, 5, 4, 3, 2, modulo 10)."""
    digits = [rng.randint(1 if i == 0 else 0, 9) for i in range(6)]
    check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
    return int("".join(map(str, digits)) + str(check))


def new_mmsi(rng: random.Random, seen: set[int]) -> int | None:
    """An MMSI from a real flag's MID (one in a hundred DPRK's 445, one in two hundred the
    unallocated 199), or None when drawn before (the caller draws again)."""
    roll = rng.random()
    mid = 445 if roll < 0.01 else 199 if roll < 0.015 else rng.choice(MIDS)
    mmsi = mid * 1_000_000 + rng.randint(0, 999_999)
    if mmsi in seen:
        return None
    seen.add(mmsi)
    return mmsi


def make_vessels(count: int, rng: random.Random) -> list[dict[str, Any]]:
    vessels: list[dict[str, Any]] = []
    seen: set[int] = set()
    while len(vessels) < count:
        mmsi = new_mmsi(rng, seen)
        if mmsi is None:
            continue
        if rng.random() < 0.1:
            vessels.append({"mmsi": mmsi})  # nothing known but the number
        else:
            imo = valid_imo(rng) if rng.random() < 0.98 else 9_000_000 + rng.randint(0, 999_999)
            vessels.append({"mmsi": mmsi, "imo": imo, "name": f"VESSEL {len(vessels)}"})
    return vessels


def make_events(mmsis: list[int], count: int, rng: random.Random) -> list[Event]:
    events = []
    span_h = DAYS * 24
    suspects = set(rng.sample(mmsis, len(mmsis) * 3 // 100))
    for _ in range(count):
        mmsi = rng.choice(mmsis)
        suspect = mmsi in suspects
        start = T0 + int(rng.random() * span_h * HOUR_MS)
        where = (rng.uniform(20, 45), rng.uniform(135, 160))  # open sea, in no zone
        roll = rng.random()
        if roll < 0.30:
            hours = rng.uniform(6, 48) if suspect else rng.uniform(6, 14)  # mostly reception
            details: dict[str, Any] = {
                "hours": round(hours, 2),
                "open": False,
                "likely_disabling": rng.random() < (0.3 if suspect else 0.003),
            }
            port = None
            if rng.random() < (0.1 if suspect else 0.0005):
                port = details["likely_dark_port_call"] = "Nampo"
            if rng.random() < 0.05:
                details["probable_reception_outage"] = True
            events.append(
                Event(
                    "gap",
                    mmsi,
                    start,
                    start + int(hours * HOUR_MS),
                    *where,
                    port=port,
                    details=details,
                )
            )
        elif roll < 0.71:
            place = rng.random() * (0.1 if suspect else 25.0)
            port, country, watched = (
                ("Najin", "KP", True)
                if place < 0.005
                else ("Vostochnyy", "RU", True)
                if place < 0.015
                else ("Busan", "KR", False)
            )
            events.append(
                Event(
                    "port_call",
                    mmsi,
                    start,
                    start + 20 * HOUR_MS,
                    *where,
                    port=port,
                    details={"country": country, "watched": watched},
                )
            )
        elif roll < 0.86:
            at = OFF_NAMPO if rng.random() < (0.3 if suspect else 0.005) else where
            events.append(
                Event("loitering", mmsi, start, start + 6 * HOUR_MS, *at, details={"hours": 6.0})
            )
        elif roll < 0.88:
            other = rng.choice(mmsis)
            if other == mmsi:
                continue
            low, high = sorted((mmsi, other))
            events.append(
                Event(
                    "encounter",
                    low,
                    start,
                    start + 3 * HOUR_MS,
                    *where,
                    other_mmsi=high,
                    details={"hours": 3.0},
                )
            )
        elif roll < 0.885 or (suspect and roll < 0.95):
            tricks = ("shared_mmsi", "name_change", "flag_change", "invalid_imo", "imo_change")
            kind = rng.choice(tricks if suspect else ("name_change", "callsign_change"))
            events.append(
                Event(
                    "identity", mmsi, start, None, *where, details={"kind": kind, "reasons": [kind]}
                )
            )
        else:
            events.append(
                Event(
                    "draught_change",
                    mmsi,
                    start,
                    None,
                    *where,
                    details={"from_m": 6.0, "to_m": 9.0, "at_sea": rng.random() < 0.1},
                )
            )
    return events


def make_links(mmsis: list[int], rng: random.Random) -> tuple[list[Link], list[IdentityFlag]]:
    links = []
    share: tuple[tuple[Via, float], ...] = (("imo", 0.01), ("name", 0.01), ("owner", 0.005))
    for via, fraction in share:
        for mmsi in rng.sample(mmsis, int(len(mmsis) * fraction)):
            record = str(rng.randint(10_000, 99_999))
            links.append(
                Link(
                    mmsi,
                    f"ofac-{record}",
                    "LISTED SHIP",
                    "ofac_sdn",
                    record,
                    via,
                    1.0 if via == "imo" else 0.7,
                    f"synthetic {via} link",
                    ({"kind": "list_record", "list": "ofac_sdn", "record": record},),
                )
            )
    flags = [
        IdentityFlag(mmsi, "zombie_identity", "synthetic")
        for mmsi in rng.sample(mmsis, len(mmsis) // 500)
    ]
    return links, flags


def _inherited(risk: VesselRisk) -> float:
    return sum(f.points for f in risk.factors if f.factor == "encounter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vessels", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    built = time.perf_counter()
    vessels = make_vessels(args.vessels, rng)
    mmsis = [v["mmsi"] for v in vessels]
    events = make_events(mmsis, args.events, rng)
    links, flags = make_links(mmsis, rng)
    built = time.perf_counter() - built
    params = default_risk_params()
    times = []
    risks = []
    for _ in range(3):
        began = time.perf_counter()
        risks = score_vessels(vessels, events, links, flags, params)
        times.append(time.perf_counter() - began)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    levels = Counter(r.level for r in risks)
    factors = Counter(f.factor for r in risks for f in r.factors)
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}"
    )
    print(
        f"input: {len(vessels)} vessels, {len(events)} events "
        f"({dict(Counter(e.type for e in events))}), {len(links)} links, {len(flags)} flags;"
        f" built in {built:.1f} s (not timed)"
    )
    print(
        f"score_vessels: best {min(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)});"
        f" peak RSS {peak_mb:.0f} MB (input included)"
    )
    print(f"scored {len(risks)} vessels; levels {dict(levels)}")
    sources = sum(
        1 for r in risks if r.score - _inherited(r) >= params["encounter"]["source_min_score"]
    )
    print(f"encounter-graph sources (score before inheritance >= source_min_score): {sources}")
    print(f"vessels per factor: {dict(sorted(factors.items()))}")
    top = risks[0]
    print(
        f"top: {top.mmsi} score {top.score} {top.level}: "
        f"{', '.join(f'{f.factor} {f.points:g}' for f in top.factors)}"
    )


if __name__ == "__main__":
    main()
