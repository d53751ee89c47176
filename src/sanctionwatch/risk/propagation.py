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

# Per vessel: source MMSI -> (amount inherited, the vessels it came through: the neighbour
# first, the source last). Kept, not rebuilt from each neighbour's best at the end, since
# a neighbour may have found a better path, or dropped the source, since.
Held = dict[int, dict[int, tuple[float, tuple[int, ...]]]]


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
        cited: set[tuple[int, int]] = set()  # each meeting once, though on several paths
        for source, (amount, via) in ranked:
            path = [vessel, *via]
            items.append(_say(path, source, amount, base[source], first, count))
            for a, b in pairwise(path):
                if _pair(a, b) not in cited:
                    cited.add(_pair(a, b))
                    evidence.append(event_evidence(first[_pair(a, b)]))
        out[vessel] = capped(
            "encounter",
            table,
            [amount for _, (amount, _) in ranked],
            f"met ships of high risk, directly or through others: {listing(items, str)}",
            evidence,
        )
    return out


def _propagate(
    base: dict[int, float],
    neighbours: dict[int, set[int]],
    sources: set[int],
    table: dict[str, float],
) -> Held:
    """Round by round, each vessel passes on what it received in the round before (a
    source, in the first round, its own score), times ``share``, to every vessel it met.
    An offer is taken when it beats what the taker holds for that source and, once the
    taker holds ``max_sources``, its smallest; so in a dense graph most offers cost one
    comparison."""
    share, min_points = table["share"], table["min_points"]
    keep = max(1, int(table["max_sources"]))
    held: Held = {}
    smallest: dict[int, float] = {}  # a full taker's smallest amount
    passing: list[tuple[int, int, float, tuple[int, ...]]] = [
        (source, source, base[source], ()) for source in sorted(sources)
    ]
    for _ in range(int(table["max_hops"])):
        changed: dict[int, set[int]] = {}  # taker -> sources it took this round
        for giver, source, amount, via in passing:
            amount *= share
            if amount < min_points:
                continue
            path = (giver, *via)
            for taker in neighbours[giver]:
                if taker == source or amount <= smallest.get(taker, 0.0):
                    continue
                mine = held.setdefault(taker, {})
                old = mine.get(source)
                if old is not None and old[0] >= amount:
                    continue
                mine[source] = (amount, path)
                changed.setdefault(taker, set()).add(source)
                if len(mine) > keep:
                    dropped = min(mine, key=lambda s: (mine[s][0], -s))
                    del mine[dropped]
                if len(mine) == keep:
                    smallest[taker] = min(amount for amount, _ in mine.values())
        # What each taker passes on next round: its current amount for each source it
        # took (read now, after the round, so every path has one more hop per round).
        passing = [
            (taker, source, *held[taker][source])
            for taker, taken in changed.items()
            for source in sorted(taken)
            if source in held[taker]
        ]
        if not passing:
            break
    return {v: got for v, got in held.items() if got}


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
