"""Changes along one vessel's identity history, and which of them are two hulls on one MMSI.

Split from ``identity.py``: the identity history (a sequence of runs per MMSI, each starting
at the first message that showed it) read field by field. A change is a rename, a new call
sign or IMO number, unless it is alternation: undone within ``flap_hours`` (or undoing such
a change), or undone at any interval while the MMSI is seen in two places at once (the
segmenter's shared periods). Two hulls broadcasting one MMSI make their names alternate;
those names are evidence of the sharing, reported inside the ``shared_mmsi`` event
(``names_seen``), never as renames.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.behaviour.detectors.base import Row
from sanctionwatch.geo.units import MS_PER_HOUR as HOUR_MS

CHANGE_FIELDS = ("imo", "name", "callsign")
# Fields whose alternation shows two transmitters (not the destination: crews retype it).
FLAP_FIELDS = ("imo", "name", "callsign", "ship_type", "length", "width", "draught")
# Of those, the ones whose alternation alone (one track) shows two: one hull's size, type and
# draught alternate too, as a transponder switches antenna reference point or a type 5 report
# arrives garbled (Panama Canal, 2014: 229 x 32 and 229 x 36 m from one anchored tanker).
NAMING_FIELDS = ("imo", "name", "callsign")
KIND_OF = {"imo": "imo_change", "name": "name_change", "callsign": "callsign_change"}

# Per MMSI, the (start, end) of each time it was seen in two places at once (ms, UTC).
Spans = dict[int, list[tuple[int, int]]]


@dataclass(frozen=True)
class Transition:
    field: str
    before: Any
    after: Any
    row: int  # index (in the vessel's rows) of the row that first broadcast ``after``
    start: int
    flap: bool  # alternation: two hulls on one MMSI, not a change of this one


def transitions(
    own: list[Row], field: str, flap_ms: int, shared: Sequence[tuple[int, int]] = ()
) -> list[Transition]:
    """Changes of ``field`` along one vessel's rows (blanks skipped, so a value filled in is
    no change). ``flap`` when undone within ``flap_ms`` or undoing such a change; or when
    undone (or undoing) at any interval and inside one of ``shared`` (give or take
    ``flap_ms``), the times the MMSI was seen in two places at once."""
    runs: list[tuple[int, Any, int]] = []  # (start, value, row index)
    for k, row in enumerate(own):
        value = row[field]
        if value is not None and (not runs or _key(field, runs[-1][1]) != _key(field, value)):
            runs.append((int(row["first_seen"]), value, k))
    out = []
    for k in range(1, len(runs)):
        start, value, index = runs[k]
        undone = k + 1 < len(runs) and runs[k + 1][1] == runs[k - 1][1]
        undoing = k >= 2 and runs[k - 2][1] == value
        soon = (undone and runs[k + 1][0] - start < flap_ms) or (
            undoing and start - runs[k - 1][0] < flap_ms
        )
        sharing = (undone or undoing) and any(
            a - flap_ms <= start <= b + flap_ms for a, b in shared
        )
        out.append(Transition(field, runs[k - 1][1], value, index, start, soon or sharing))
    return out


def _key(field: str, value: Any) -> Any:
    """What a change is judged on: names without punctuation or repeated spaces (real AIS
    has "JULIE.GONSOULIN" then "JULIE GONSOULIN" from one ship), other fields as sent."""
    if field == "name" and isinstance(value, str):
        return " ".join(re.sub(r"[^0-9A-Z]+", " ", value.upper()).split())
    return value


def changes(own: list[Row], params: dict[str, float], shared: Spans) -> dict[int, list[Transition]]:
    """The vessel's real changes of name, call sign and IMO, by the row that shows them."""
    flap_ms = int(params["flap_hours"] * HOUR_MS)
    spans = shared.get(int(own[0]["mmsi"]), []) if own else []
    at: dict[int, list[Transition]] = {}
    for field in CHANGE_FIELDS:
        for change in transitions(own, field, flap_ms, spans):
            if not change.flap:
                at.setdefault(change.row, []).append(change)
    return at


# A change that is alternation, in window: (first broadcast of the new value, field, old
# value, new value).
Flap = tuple[int, str, Any, Any]


def flaps(
    vessels: dict[int, list[Row]], params: dict[str, float], shared: Spans
) -> dict[int, list[Flap]]:
    """Per vessel, the changes that are alternation (two hulls), in window."""
    flap_ms = int(params["flap_hours"] * HOUR_MS)
    out: dict[int, list[Flap]] = {}
    for mmsi, own in vessels.items():
        found = [
            (c.start, c.field, c.before, c.after)
            for field in FLAP_FIELDS
            for c in transitions(own, field, flap_ms, shared.get(mmsi, []))
            if c.flap and own[c.row]["in_window"]
        ]
        if found:
            out[mmsi] = sorted(found, key=lambda f: (f[0], f[1]))
    return out


def names_seen(own: list[Row], start: int, end: int) -> list[dict[str, Any]]:
    """The names the vessel's identity rows broadcast around [start, end] (rows that overlap
    it), each with its first and last time and how many separate runs it had: two hulls'
    names alternate, one ship's rename does not."""
    seen: dict[str, list[int]] = {}  # name -> [first, last, runs]
    previous = None
    for row in own:
        name = row["name"]
        if name is None or int(row["first_seen"]) > end or int(row["last_seen"]) < start:
            continue
        entry = seen.setdefault(str(name), [int(row["first_seen"]), int(row["last_seen"]), 0])
        entry[0] = min(entry[0], int(row["first_seen"]))
        entry[1] = max(entry[1], int(row["last_seen"]))
        entry[2] += name != previous
        previous = name
    return [
        {"name": name, "first_seen": iso_utc(first), "last_seen": iso_utc(last), "runs": runs}
        for name, (first, last, runs) in sorted(seen.items())
    ]


def alternating(flaps: list[Flap]) -> dict[str, list[Any]]:
    """Per field, the values that alternated (``details.alternating``)."""
    values: dict[str, set[Any]] = {}
    for _, name, before, after in flaps:
        values.setdefault(name, set()).update((before, after))
    return {name: sorted(v, key=str) for name, v in sorted(values.items())}
