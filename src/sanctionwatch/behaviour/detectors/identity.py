"""Identity tricks: shared MMSIs, changes of name, call sign, IMO number or MMSI, cloned and
invalid IMO numbers, MMSIs whose MID no state was allocated. One event type, "identity";
``details.kind`` says which trick, ``details.reasons`` lists everything found at once.

From the identity history (a sequence of runs per MMSI, each starting at the first
message that showed it, docs/ais.md):

- name / call sign / IMO changes of one MMSI, one event per change instant (every field
  that changed then in ``details.changed``, as the generator's truth has it). A value
  filled in where nothing was known is not a change. A change undone within
  ``flap_hours``, and its undoing, are two ships on one MMSI; so is a change undone at
  any interval while the MMSI is in two places at once: reported once, inside the
  ``shared_mmsi`` event, not as changes (identity_changes.py; hence these events come
  from ``follow_up``, once the segmenter has run). A change to an IMO number with a wrong
  check digit adds ``invalid_imo`` to the reasons.
- (``events``) an IMO number (with a valid check digit) broadcast by two MMSIs: for
  ``clone_min_hours`` or more at the same time, ``imo_clone`` over the overlap; one after
  the other, a new MMSI for the same ship: ``flag_change`` when the MIDs name different
  flags, else ``mmsi_change``, with ``other_mmsi`` the earlier MMSI.

A change is an instant: ``start`` is the first broadcast of the new value and ``end`` is
null, as for draught changes and in the generator's truth. The place is the vessel's
position nearest in time within ``locate_hours`` (a change with no position of the vessel
that close is not reported: an event needs a place).

From the positions (``follow_up``, identity_segments.py):

- ``shared_mmsi``: two tracks of one MMSI at the same time (the segmenter), over the
  time both are active; values alternating in the identity history at the same time are
  added to it (``alternating``; ``names`` and ``names_seen``, each name with its first
  and last time and runs), and alternation alone is reported too.
  ``other_mmsi`` names the likely impostor: an MMSI silent while the second (shorter)
  track is active, last seen within ``handover_hours`` and ``handover_km`` of where that
  track starts and/or next seen as close to where it ends (and reachable at
  ``max_speed_kn``), both ends preferred; null when nothing fits.
- a new MMSI for the same ship without a shared IMO (the fake "GE" leaving Nampo): one
  MMSI's track ends for good and another's begins within ``handover_hours`` and
  ``handover_km`` of it, the two broadcasting the same length and width (and ship type):
  ``flag_change`` / ``mmsi_change`` with ``details.linked_by`` "track_handover".
- standing conditions, one event per MMSI over its first to last position:
  ``unallocated_mid`` (the MID names no state, or the MMSI fits no station pattern) and
  ``invalid_imo`` (the first IMO number it broadcast fails the check digit).

AIS carries no flag: the flag here is the one the MID implies (ais/mid.py), so a flag can
only change with the MMSI, and a mismatch between a broadcast flag and the MID
(``mid_flag_mismatch``) cannot be seen in AIS data; the store keeps no flag field.

The queries are in ``behaviour/sql/identity*.sql.j2``: the history (``identity``), each
vessel's first and last position (``identity_first_last``) and the hole-in-the-data check of
hand-overs (``identity_heard_nearby``) here; the segmenter's in identity_tracks.py and
identity_segments.py.
"""

from __future__ import annotations

import bisect
import math
from itertools import pairwise
from typing import Any

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.behaviour.detectors import identity_segments as seg
from sanctionwatch.behaviour.detectors.base import Detector, Query, Row, Window, render_sql
from sanctionwatch.behaviour.detectors.identity_changes import (
    CHANGE_FIELDS,
    KIND_OF,
    Spans,
    changes,
    flaps,
)
from sanctionwatch.behaviour.detectors.identity_tracks import reach_m
from sanctionwatch.behaviour.events import Event
from sanctionwatch.geo.ports import haversine_m
from sanctionwatch.geo.units import MS_PER_HOUR as HOUR_MS
from sanctionwatch.lists.identifiers import is_ship_imo


def sql(params: dict[str, float], window: Window) -> str:
    """The identity history up to the window's end, each row that starts a change (or the
    vessel's first row, or its first IMO number) placed at the nearest position
    (``behaviour/sql/identity.sql.j2``)."""
    return render_sql(
        "identity",
        end_ms=int(window.end_ms) if window.end_ms is not None else None,
        in_window=window.where_ms("i.first_seen"),
        locate_ms=int(params["locate_hours"] * HOUR_MS),
    )


# -- the identity history ------------------------------------------------------------------


def flag_of(mmsi: int) -> str | None:
    """The flag the MMSI's MID implies (ISO alpha-2, upper case; "A/B" when shared)."""
    return "/".join(code.upper() for code in mmsi_info(mmsi).flags) or None


def imo_valid(imo: Any) -> bool:
    return is_ship_imo(str(imo))


def by_vessel(rows: list[Row]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {}
    for row in rows:
        out.setdefault(int(row["mmsi"]), []).append(row)
    return out


def _change_events(
    mmsi: int, own: list[Row], params: dict[str, float], shared: Spans
) -> list[Event]:
    at = changes(own, params, shared)
    out = []
    for row_index, found in sorted(at.items()):
        row = own[row_index]
        if not row["in_window"] or row["lat"] is None:
            continue
        changed = {c.field: {"from": c.before, "to": c.after} for c in found}
        reasons = [KIND_OF[f] for f in CHANGE_FIELDS if f in changed]
        if "imo" in changed and not imo_valid(changed["imo"]["to"]):
            reasons.append("invalid_imo")
        details = {"kind": reasons[0], "changed": changed, "reasons": reasons,
                   "flag": flag_of(mmsi)}  # fmt: skip
        out.append(Event("identity", mmsi, int(row["first_seen"]), None, float(row["lat"]),
                         float(row["lon"]), details=details))  # fmt: skip
    return out


def _new_mmsi_details(old: Row, new: Row, linked_by: str) -> dict[str, Any]:
    """``details`` of a move from MMSI ``old`` to ``new``: what changed, as the truth has it."""
    a, b = int(old["mmsi"]), int(new["mmsi"])
    changed: dict[str, dict[str, Any]] = {"mmsi": {"from": a, "to": b}}
    if flag_of(a) != flag_of(b):
        changed["flag"] = {"from": flag_of(a), "to": flag_of(b)}
    for field in ("callsign", "name", "imo"):
        if old[field] != new[field]:
            changed[field] = {"from": old[field], "to": new[field]}
    kind = "flag_change" if "flag" in changed else "mmsi_change"
    reasons = [kind, *(KIND_OF[f] for f in CHANGE_FIELDS if f in changed)]
    return {"kind": kind, "changed": changed, "reasons": reasons, "linked_by": linked_by,
            "flag": flag_of(b)}  # fmt: skip


def _imo_events(vessels: dict[int, list[Row]], params: dict[str, float]) -> list[Event]:
    """One IMO number, two MMSIs: at the same time a clone, one after the other a new MMSI."""
    clone_ms = params["clone_min_hours"] * HOUR_MS
    users: dict[int, dict[int, list[Row]]] = {}
    for mmsi, own in vessels.items():
        for row in own:
            if row["imo"] is not None and imo_valid(row["imo"]):
                users.setdefault(int(row["imo"]), {}).setdefault(mmsi, []).append(row)
    out = []
    for imo, by_mmsi in sorted(users.items()):
        spans = sorted(
            (min(int(r["first_seen"]) for r in rs), max(int(r["last_seen"]) for r in rs), m)
            for m, rs in by_mmsi.items()
        )
        for (_, a_last, a), (b_first, b_last, b) in pairwise(spans):
            first = by_mmsi[b][0]
            if not first["in_window"] or first["lat"] is None:
                continue
            where = float(first["lat"]), float(first["lon"])
            overlap = min(a_last, b_last) - b_first
            if overlap >= clone_ms:
                details = {"kind": "imo_clone", "imo": imo, "reasons": ["imo_clone"],
                           "hours_together": round(overlap / HOUR_MS, 2)}  # fmt: skip
                out.append(Event("identity", b, b_first, min(a_last, b_last), *where,
                                 other_mmsi=a, details=details))  # fmt: skip
            else:
                details = _new_mmsi_details(by_mmsi[a][-1], first, "imo")
                out.append(Event("identity", b, b_first, None, *where, other_mmsi=a,
                                 details=details))  # fmt: skip
    return out


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    """What the identity history alone shows: one IMO number on two MMSIs. (Changes of
    one MMSI wait for the positions: alternation while it is in two places at once is the
    sharing, not renames; ``follow_up``.)"""
    return _imo_events(by_vessel(rows), params)


# -- the positions -------------------------------------------------------------------------


def first_last_sql(window: Window) -> str:
    """Each vessel's number of positions, first and last (``identity_first_last.sql.j2``)."""
    return render_sql("identity_first_last", window=window.where())


def _standing(
    activity: dict[int, Row], vessels: dict[int, list[Row]], window: Window
) -> list[Event]:
    """Per MMSI: an unallocated MID, and an invalid IMO number from its first broadcast."""
    found: dict[int, tuple[int, int, list[str], dict[str, Any]]] = {}
    for mmsi, seen in activity.items():
        problem = mmsi_info(mmsi).problem
        if problem:
            found[mmsi] = (int(seen["first_t"]), int(seen["last_t"]), ["unallocated_mid"],
                           {"mid_problem": problem})  # fmt: skip
    for mmsi, own in vessels.items():
        with_imo = [k for k, row in enumerate(own) if row["imo"] is not None]
        if not with_imo or imo_valid(own[with_imo[0]]["imo"]):
            continue
        imo = own[with_imo[0]]["imo"]
        later = [k for k in with_imo if own[k]["imo"] != imo]
        last = own[later[0] - 1] if later else own[-1]
        start, end = int(own[with_imo[0]]["first_seen"]), int(last["last_seen"])
        if window.start_ms is not None:
            if end < window.start_ms:
                continue
            start = max(start, window.start_ms)
        if window.end_ms is not None:
            end = min(end, window.end_ms)
        first, until, reasons, extra = found.get(mmsi, (start, end, [], {}))
        found[mmsi] = (min(first, start), max(until, end), [*reasons, "invalid_imo"],
                       {**extra, "imo": imo})  # fmt: skip
    out = []
    for mmsi, (start, end, reasons, extra) in sorted(found.items()):
        located = activity.get(mmsi) or next(
            (r for r in vessels.get(mmsi, []) if r["lat"] is not None), None
        )
        if located is None:
            continue
        if "first_lat" in located:
            where = float(located["first_lat"]), float(located["first_lon"])
        else:
            where = float(located["lat"]), float(located["lon"])
        details = {"kind": reasons[0], "reasons": reasons, "flag": flag_of(mmsi), **extra}
        out.append(Event("identity", mmsi, start, end, *where, details=details))
    return out


def _dimensions(row: Row | None) -> tuple[Any, ...] | None:
    if row is None or row["length"] is None or row["width"] is None:
        return None
    return (row["length"], row["width"])


def _in_force(own: list[Row], t: int) -> Row | None:
    """The vessel's identity row in force at ``t`` (else its first)."""
    before = [r for r in own if int(r["first_seen"]) <= t]
    return before[-1] if before else (own[0] if own else None)


def _same_ship(old: Row, new: Row) -> bool:
    """The same length and width (both known), and no different ship type."""
    types = (old["ship_type"], new["ship_type"])
    dimensions = _dimensions(old)
    return (
        dimensions is not None
        and dimensions == _dimensions(new)
        and (None in types or types[0] == types[1])
    )


def heard_nearby_sql(
    pair: tuple[int, int], lat: float, lon: float, t0: int, t1: int, km: float
) -> str:
    """Positions of vessels but the two of ``pair`` within about ``km`` of (``lat``,
    ``lon``) between ``t0`` and ``t1`` (ms): a box of that half-width in degrees
    (``identity_heard_nearby.sql.j2``)."""
    dlat = km / 111.195
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return render_sql(
        "identity_heard_nearby",
        after_ms=int(t0),
        before_ms=int(t1),
        mmsi_a=int(pair[0]),
        mmsi_b=int(pair[1]),
        south=lat - dlat,
        north=lat + dlat,
        west=lon - dlon,
        east=lon + dlon,
    )


def _heard_nearby(
    query: Query, pair: tuple[int, int], lat: float, lon: float, t0: int, t1: int, km: float
) -> bool:
    """Whether any vessel but the two of ``pair`` was heard within about ``km`` of
    (``lat``, ``lon``) between ``t0`` and ``t1`` (ms): if not, the data has a hole there."""
    rows = query(heard_nearby_sql(pair, lat, lon, t0, t1, km))
    return bool(rows and int(rows[0]["n"]) > 0)


def _names_agree(old: Row, new: Row) -> bool:
    """The same broadcast name or call sign (both given)."""
    return any(old[key] is not None and old[key] == new[key] for key in ("name", "callsign"))


def _handovers(
    activity: dict[int, Row],
    vessels: dict[int, list[Row]],
    params: dict[str, float],
    query: Query | None = None,
) -> list[Event]:
    """A track that ends for good (``handover_hours`` or more before the end of the data),
    another that begins (as long after its start) within ``handover_hours`` and
    ``handover_km`` of where it ended, reachable at ``max_speed_kn``, with the same
    dimensions: one ship under a new MMSI. Pairs linked by IMO already are skipped.

    Across a hole in the data (``handover_hole_minutes`` or more between the two, and nothing
    else heard within ``handover_hole_km`` meanwhile), matching dimensions are not enough:
    two fishing boats of one common size, one leaving before a two-hour hole and one
    arriving after it, were read as one ship; the name or call sign must then agree too."""
    if not activity:
        return []
    hours = int(params["handover_hours"] * HOUR_MS)
    data_start = min(int(a["first_t"]) for a in activity.values())
    data_end = max(int(a["last_t"]) for a in activity.values())
    starters = sorted(
        (int(a["first_t"]), m)
        for m, a in activity.items()
        if int(a["first_t"]) >= data_start + hours and vessels.get(m)
    )
    times = [t for t, _ in starters]
    imos = {m: {r["imo"] for r in own if r["imo"] is not None} for m, own in vessels.items()}
    out = []
    for a, seen in sorted(activity.items()):
        ended = int(seen["last_t"])
        old = _in_force(vessels.get(a, []), ended)
        if ended > data_end - hours or old is None:
            continue
        best: tuple[float, int] | None = None
        soon = starters[
            bisect.bisect_left(times, ended) : bisect.bisect_right(times, ended + hours)
        ]
        for t, b in soon:
            if b == a or not _same_ship(old, vessels[b][0]) or imos[a] & imos[b]:
                continue
            # Two different valid IMO numbers are two ships, whatever else they share (seen
            # in real MarineCadastre data: sister tugs leaving one berth).
            valid_a = {i for i in imos[a] if imo_valid(i)}
            valid_b = {i for i in imos[b] if imo_valid(i)}
            if valid_a and valid_b:
                continue
            starts = activity[b]
            d = haversine_m(float(seen["last_lat"]), float(seen["last_lon"]),
                            float(starts["first_lat"]), float(starts["first_lon"]))  # fmt: skip
            near = d <= params["handover_km"] * 1000 and d <= reach_m(params, t - ended)
            if near and (best is None or (d, b) < best):
                best = (d, b)
        if best is not None:
            d, b = best
            starts = activity[b]
            begun = int(starts["first_t"])
            if (
                query is not None
                and begun - ended >= params["handover_hole_minutes"] * 60_000
                and not _names_agree(old, vessels[b][0])
                and not _heard_nearby(
                    query,
                    (a, b),
                    float(seen["last_lat"]),
                    float(seen["last_lon"]),
                    ended,
                    begun,
                    params["handover_hole_km"],
                )
            ):
                continue
            details = _new_mmsi_details(old, vessels[b][0], "track_handover")
            details["handover_km"] = round(d / 1000, 3)
            starts = activity[b]
            out.append(Event("identity", b, int(starts["first_t"]), None,
                             float(starts["first_lat"]), float(starts["first_lon"]),
                             other_mmsi=a, details=details))  # fmt: skip
    return out


def follow_up(
    query: Query, rows: list[Row], params: dict[str, float], window: Window
) -> list[Event]:
    """What needs the positions: standing conditions, new MMSIs by track hand-over, shared
    MMSIs (the segmenter, identity_segments.py) and the changes of one MMSI that are not
    the alternation of two hulls sharing it (identity_changes.py)."""
    vessels = by_vessel(rows)
    activity = {int(r["mmsi"]): r for r in query(first_last_sql(window))}
    found = seg.find_shared(query, params, window)
    spans: Spans = {}
    for shared, _ in found:
        spans.setdefault(shared.mmsi, []).append((shared.start, shared.end))
    renames = [e for m, own in vessels.items() for e in _change_events(m, own, params, spans)]
    alternation = flaps(vessels, params, spans)
    return [
        *renames,
        *_standing(activity, vessels, window),
        *_handovers(activity, vessels, params, query),
        *seg.shared_events(query, vessels, found, alternation, params, window, flag_of),
    ]


DETECTOR = Detector(name="identity", sql=sql, events=events, follow_up=follow_up)
