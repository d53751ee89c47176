"""Risk through the encounter graph: a vessel that met a risky one inherits a share of its
risk, and says from whom and along which meetings.

Vessels are nodes; two vessels with an encounter event are joined. A *source* is a vessel
whose score before inheritance (its own factors) reaches ``source_min_score``; the vessels
it met inherit ``share`` of that score, those they met ``share`` squared, and so on for
``max_hops`` rounds. What travels is always the source's own score, never what a vessel
inherited, so risk does not echo back and forth between two ships; a source never inherits
from itself. Each vessel keeps, per source, the best path (the largest amount, which with
one share per hop is the shortest), and at most ``max_sources`` sources, so the work stays
bounded by rounds x meetings x ``max_sources`` however dense the graph. A vessel's factor
adds up its sources (at most ``max_points``).

Meeting order in time is not required: a ship that met a listed one after meeting ours is
still a ship our ship dealt with.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from sanctionwatch.behaviour.events import Event
from sanctionwatch.risk.evidence import Evidence, Factor, capped, event_evidence, listing
from sanctionwatch.risk.params import RiskParams

# Per vessel: source MMSI -> (amount inherited, the neighbour it came through).
Held = dict[int, dict[int, tuple[float, int]]]


def encounter_factors(
    base: dict[int, float], encounters: Iterable[Event], params: RiskParams
) -> dict[int, Factor]:
    """The ``encounter`` factor of every vessel that inherits something, by MMSI.

    ``base``: each vessel's score before inheritance; ``encounters``: encounter events."""
    table = params["encounter"]
    first: dict[tuple[int, int], Event] = {}  # each pair's first meeting, for the evidence
    count: dict[tuple[int, int], int] = {}
    neighbours: dict[int, set[int]] = {}
    for event in encounters:
        if event.other_mmsi is None or event.other_mmsi == event.mmsi:
            continue
        pair = _pair(event.mmsi, event.other_mmsi)
        if pair not in first or event.start_ms < first[pair].start_ms:
            first[pair] = event
        count[pair] = count.get(pair, 0) + 1
        neighbours.setdefault(event.mmsi, set()).add(event.other_mmsi)
        neighbours.setdefault(event.other_mmsi, set()).add(event.mmsi)
    # A vessel with nothing of its own passes nothing on, whatever source_min_score is.
    sources = {v for v in neighbours if 0 < base.get(v, 0.0) >= table["source_min_score"]}
    held = _propagate(base, neighbours, sources, table)
    out = {}
    for vessel, got in held.items():
        ranked = sorted(got.items(), key=lambda item: (-item[1][0], item[0]))
        items: list[str] = []
        evidence: list[Evidence] = []
        for source, (amount, _) in ranked:
            path = _path(vessel, source, held, int(table["max_hops"]))
            items.append(_say(path, source, amount, base[source], first, count))
            for a, b in pairwise(path):
                cited = event_evidence(first[_pair(a, b)])
                if cited not in evidence:
                    evidence.append(cited)
        out[vessel] = capped(
            "encounter",
            table,
            [amount for _, (amount, _) in ranked],
            f"met ships of high risk, directly or through others: {listing(items)}",
            evidence,
        )
    return out


def _propagate(
    base: dict[int, float],
    neighbours: dict[int, set[int]],
    sources: set[int],
    table: dict[str, float],
) -> Held:
    share, floor = table["share"], table["min_points"]
    keep = max(1, int(table["max_sources"]))
    held: Held = {}
    frontier = set(sources)
    for _ in range(int(table["max_hops"])):
        offers: Held = {}
        for giver in frontier:
            own = [(giver, base[giver])] if giver in sources else []
            passed_on = [(s, amount) for s, (amount, _) in held.get(giver, {}).items()]
            for source, amount in own + passed_on:
                amount *= share
                if amount < floor:
                    continue
                for taker in neighbours[giver]:
                    if taker == source:
                        continue
                    old = held.get(taker, {}).get(source)
                    offer = offers.setdefault(taker, {}).get(source)
                    if (old is None or amount > old[0]) and (offer is None or amount > offer[0]):
                        offers[taker][source] = (amount, giver)
        frontier = set()
        for taker, got in offers.items():
            mine = held.setdefault(taker, {})
            for source, offer in got.items():
                if source not in mine or offer[0] > mine[source][0]:
                    mine[source] = offer
                    frontier.add(taker)
            if len(mine) > keep:
                best = sorted(mine.items(), key=lambda item: (-item[1][0], item[0]))[:keep]
                held[taker] = dict(best)
        if not frontier:
            break
    return {v: got for v, got in held.items() if got}


def _path(vessel: int, source: int, held: Held, max_hops: int) -> list[int]:
    """The meetings from ``vessel`` to ``source``, following each step's neighbour."""
    path = [vessel]
    while path[-1] != source and len(path) <= max_hops + 1:
        step = held.get(path[-1], {}).get(source)
        if step is None:  # the neighbour dropped this source since (max_sources)
            path.append(source)
            break
        path.append(step[1])
    return path


def _say(
    path: list[int],
    source: int,
    amount: float,
    source_score: float,
    first: dict[tuple[int, int], Event],
    count: dict[tuple[int, int], int],
) -> str:
    hops = len(path) - 1
    pair = _pair(path[0], path[1])
    times = f" ({count[pair]} encounters)" if count.get(pair, 0) > 1 else ""
    if hops == 1:
        return (
            f"met {source} (score {source_score:g} before inheritance){times}: inherits {amount:g}"
        )
    chain = " -> ".join(str(v) for v in path)
    return (
        f"met {path[1]}{times}, {hops} meetings from {source} (score {source_score:g}"
        f" before inheritance) via {chain}: inherits {amount:g}"
    )


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


__all__ = ["encounter_factors"]
