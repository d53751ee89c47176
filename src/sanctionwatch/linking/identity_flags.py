"""Zombie and borrowed identities: a listed ship's IMO number in the wrong hands.

A *zombie* identity is a listed (often scrapped or sunk) ship's IMO number broadcast by a hull
that cannot be that ship: its broadcast length is out of proportion to the listed gross
tonnage (OFAC's GRT column), differs from the length the list gives (UK notes "Length of
ship: 133m"), or its AIS ship type is of another kind than the listed type (OFAC's Vess_type,
UK "Type of ship"). A *borrowed* identity is one listed IMO number broadcast by two MMSIs at
overlapping times: at most one of them is the listed hull. Only what the lists give is
compared; a list without type, tonnage or length cannot contradict anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.ais.tables import IdentityRow
from sanctionwatch.linking.listed_records import ListedVessel
from sanctionwatch.linking.model import IdentityFlag
from sanctionwatch.linking.params import LinkingParams

# Kinds of hull, from the AIS ship-and-cargo type code (ITU-R M.1371 table 53) and from a
# list's type text. Codes without a kind (0-29, 33-35, 50-51, 53-59, 90-99) contradict nothing.
_AIS_KINDS = {30: "fishing", 31: "tug", 32: "tug", 52: "tug", 36: "pleasure", 37: "pleasure"}
_TEXT_KINDS = (  # first match wins: "LPG carrier" is a tanker, "bulk carrier" cargo
    ("tanker", ("tanker", "lpg", "lng", "gas carrier", "chemical", "oil products")),
    ("cargo", ("cargo", "bulk", "container", "reefer", "ro-ro", "carrier", "freighter")),
    ("tug", ("tug", "towing")),
    ("fishing", ("fishing", "trawler")),
    ("pleasure", ("pleasure", "yacht")),
    ("passenger", ("passenger", "ferry", "cruise")),
)


def ais_kind(code: int | None) -> str | None:
    if code is None:
        return None
    if code in _AIS_KINDS:
        return _AIS_KINDS[code]
    return {4: "high-speed craft", 6: "passenger", 7: "cargo", 8: "tanker"}.get(code // 10)


def listed_kind(text: str) -> str | None:
    lowered = text.lower()
    for kind, words in _TEXT_KINDS:
        if any(word in lowered for word in words):
            return kind
    return None


def identity_evidence(row: IdentityRow, field: str, value: object) -> dict[str, Any]:
    return {
        "kind": "identity",
        "mmsi": row.mmsi,
        "first_seen": iso_utc(row.first_seen),  # as events give their times
        "last_seen": iso_utc(row.last_seen),
        "field": field,
        "value": value,
        "source": row.first_source,
    }


def hull_contradictions(
    rows: Iterable[IdentityRow], vessel: ListedVessel, params: LinkingParams
) -> list[tuple[str, IdentityRow]]:
    """What in the identity rows (those broadcasting the listed IMO) contradicts the listed
    ship's hull: (reason, row) pairs, at most one per kind of contradiction."""
    found: dict[str, tuple[str, IdentityRow]] = {}
    kinds = {k for k in (listed_kind(t) for t in vessel.types) if k}
    for row in rows:
        if row.length is not None and "length" not in found:
            problem = _length_problem(row.length, vessel, params)
            if problem:
                found["length"] = (problem, row)
        kind = ais_kind(row.ship_type)
        if kind and kinds and kind not in kinds and "type" not in found:
            found["type"] = (
                f"broadcast ship type {row.ship_type} ({kind}) but the list gives "
                f"{', '.join(vessel.types)}",
                row,
            )
    return list(found.values())


def _length_problem(length: float, vessel: ListedVessel, params: LinkingParams) -> str | None:
    if vessel.length_m is not None:
        if abs(length - vessel.length_m) > params.length_tolerance * vessel.length_m:
            return f"broadcast length {length:g} m but the list gives {vessel.length_m:g} m"
        return None
    if vessel.gross_tonnage:
        root = vessel.gross_tonnage ** (1 / 3)
        low = params.min_length_per_cube_root_gt * root
        high = params.max_length_per_cube_root_gt * root
        if not low <= length <= high:
            return (
                f"broadcast length {length:g} m but a ship of {vessel.gross_tonnage:,.0f} gross "
                f"tons (as listed) is {low:.0f}-{high:.0f} m long"
            )
    return None


def zombie_flag(
    mmsi: int, imo: str, rows: list[IdentityRow], vessel: ListedVessel, params: LinkingParams
) -> IdentityFlag | None:
    problems = hull_contradictions(rows, vessel, params)
    if not problems:
        return None
    record = vessel.record
    reasons = "; ".join(reason for reason, _ in problems)
    return IdentityFlag(
        mmsi=mmsi,
        kind="zombie_identity",
        reason=f"IMO {imo} of listed {record.caption} ({record.list_name} {record.record_id}) "
        f"broadcast by a hull that cannot be it: {reasons}",
        evidence=(
            *(identity_evidence(row, "imo", row.imo) for _, row in problems),
            record.evidence(),
        ),
    )


def borrowed_flags(
    rows_by_imo: dict[str, list[IdentityRow]], listed: dict[str, list[ListedVessel]]
) -> list[IdentityFlag]:
    """One flag per MMSI that broadcast a listed IMO number while another MMSI did too."""
    flags: list[IdentityFlag] = []
    for imo, rows in sorted(rows_by_imo.items()):
        if imo not in listed or len({r.mmsi for r in rows}) < 2:
            continue
        overlapping: dict[int, dict[str, IdentityRow]] = defaultdict(dict)
        ordered = sorted(rows, key=lambda r: r.first_seen)
        for i, row in enumerate(ordered):
            for other in ordered[i + 1 :]:
                if other.first_seen > row.last_seen:
                    break
                if other.mmsi != row.mmsi:
                    for one, two in ((row, other), (other, row)):
                        overlapping[one.mmsi].setdefault(one.key, one)
                        overlapping[one.mmsi].setdefault(two.key, two)
        record = listed[imo][0].record
        for mmsi, found in sorted(overlapping.items()):
            others = sorted({r.mmsi for r in found.values()} - {mmsi})
            flags.append(
                IdentityFlag(
                    mmsi=mmsi,
                    kind="borrowed_identity",
                    reason=f"IMO {imo} of listed {record.caption} ({record.list_name} "
                    f"{record.record_id}) broadcast at the same time by MMSI "
                    f"{', '.join(map(str, others))} too",
                    evidence=(
                        *(identity_evidence(r, "imo", r.imo) for r in found.values()),
                        *(v.record.evidence() for v in listed[imo]),
                    ),
                )
            )
    return flags
