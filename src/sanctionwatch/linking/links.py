"""Vessel <-> list linking: every vessel seen in AIS, over its whole identity history, tied
to the listed entities of the current version of each loaded list (issue 13).

How a link is made, strongest first (confidences in ``linking.toml``):

- ``imo``: a broadcast IMO number with a valid ship check digit equal to a listed ship's is
  that ship, whatever name, MMSI or flag it broadcasts now; what differs from the list is said
  in ``laundering``, and a hull whose length or type contradicts the listed ship's raises a
  ``zombie_identity`` flag (one listed IMO broadcast by two MMSIs at once: ``borrowed_identity``).
- ``mmsi``: the MMSI is one the list gives (OFAC does for some ships).
- ``name`` / ``former_name``: each name the vessel broadcast, screened by the screening engine
  against listed ships' names, aliases and former names; ``former_name`` when the vessel's
  name was an earlier one of its own or the list's previous name. A name match with a valid
  IMO number of its own that differs from the listed ship's is a namesake: no link; so is
  one whose broadcast hull contradicts the listed ship's (its AIS type of another kind, its
  length out of proportion to the listed tonnage: the zombie rule), the name being then the
  only thing the two share.
- ``owner``: for each listed ship a vessel is linked to, the listed companies the list names
  as its owner, operator or manager (or "Linked To"), weighted by the ship link's confidence.

One link per vessel and entity is kept: the most confident one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.ais.store import PositionStore
from sanctionwatch.ais.tables import IdentityRow
from sanctionwatch.errors import InputError
from sanctionwatch.linking.identity_flags import (
    borrowed_flags,
    hull_contradictions,
    identity_evidence,
    zombie_flag,
)
from sanctionwatch.linking.listed import ListedData
from sanctionwatch.linking.listed_cache import load_listed_cached
from sanctionwatch.linking.listed_records import ListedRecord, ListedVessel, company_keys, name_key
from sanctionwatch.linking.model import IdentityFlag, Link, LinkResult, Via
from sanctionwatch.linking.params import LinkingParams, load_linking_params
from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import Match, Screener
from sanctionwatch.screening.model import Query

_VIA_ORDER: dict[str, int] = {"imo": 0, "mmsi": 1, "name": 2, "former_name": 3, "owner": 4}
_OWNER_WORDS = ("owner", "operator", "manager")  # roles that say how (Ownership too)


@dataclass
class LinkStats:
    """What a run looked at and turned down (for debugging and the benchmark)."""

    vessels: int = 0
    identity_rows: int = 0
    names_screened: int = 0
    homonyms: int = 0  # name matches refused: another valid IMO, or a contradicting hull


def link_vessels(
    ais_store: PositionStore,
    list_store: ListStore,
    *,
    params: LinkingParams | None = None,
    stats: LinkStats | None = None,
    listed: ListedData | None = None,
) -> LinkResult:
    """Link every vessel with an identity history in ``ais_store`` to the listed entities
    of the current versions in ``list_store``. Links are ordered by MMSI, most confident
    first; flags by MMSI. ``stats``, if given, is filled in. ``listed``: the lists as read
    by ``load_listed`` (default: read, or the copy saved beside the list store)."""
    params = params or load_linking_params()
    stats = stats if stats is not None else LinkStats()
    listed = listed or load_listed_cached(list_store)
    linker = _Linker(listed, Screener(listed.index), params, stats)
    history: dict[int, list[IdentityRow]] = defaultdict(list)
    for row in ais_store.identities():
        history[row.mmsi].append(row)
    stats.vessels = len(history)
    stats.identity_rows = sum(len(rows) for rows in history.values())
    links: list[Link] = []
    flags: list[IdentityFlag] = []
    rows_by_imo: dict[str, list[IdentityRow]] = defaultdict(list)
    for mmsi, rows in sorted(history.items()):
        vessel_links, vessel_flags = linker.link(mmsi, rows)
        links.extend(vessel_links)
        flags.extend(vessel_flags)
        for row in rows:
            imo = valid_imo(row.imo)
            if imo in listed.by_imo:
                rows_by_imo[imo].append(row)
    flags.extend(borrowed_flags(rows_by_imo, listed.by_imo))
    flags.sort(key=lambda f: (f.mmsi, f.kind))
    return LinkResult(tuple(links), tuple(flags))


def valid_imo(number: int | None) -> str | None:
    """Seven digits of a broadcast IMO number whose ship check digit is right, else None."""
    if number is None or not 1_000_000 <= number <= 9_999_999:
        return None
    text = str(number)
    return text if is_ship_imo(text) else None


class _Linker:
    def __init__(
        self, listed: ListedData, screener: Screener, params: LinkingParams, stats: LinkStats
    ) -> None:
        self.listed = listed
        self.screener = screener
        self.params = params
        self.stats = stats
        self._screened: dict[str, list[Match]] = {}  # broadcast name -> matches, once per run

    def link(self, mmsi: int, rows: list[IdentityRow]) -> tuple[list[Link], list[IdentityFlag]]:
        found: list[tuple[Link, ListedVessel | None]] = []
        flags: list[IdentityFlag] = []
        imos = sorted({imo for row in rows if (imo := valid_imo(row.imo))})
        for imo in imos:
            carrying = [row for row in rows if valid_imo(row.imo) == imo]
            for vessel in self.listed.by_imo.get(imo, []):
                found.append((self._imo_link(mmsi, imo, carrying, vessel), vessel))
                flag = zombie_flag(mmsi, imo, carrying, vessel, self.params)
                if flag is not None:
                    flags.append(flag)
        for vessel in self.listed.by_mmsi.get(mmsi, []):
            found.append((self._mmsi_link(mmsi, rows, imos, vessel), vessel))
        found.extend(self._name_links(mmsi, rows, imos))
        for link, ship in list(found):
            if ship is not None:
                found.extend((owner, None) for owner in self._owner_links(link, ship))
        return _best_per_entity([link for link, _ in found]), flags

    def _imo_link(self, mmsi: int, imo: str, rows: list[IdentityRow], vessel: ListedVessel) -> Link:
        record = vessel.record
        laundering = _laundering(mmsi, rows, vessel)
        reason = (
            f"IMO {imo} (check digit valid) broadcast by MMSI {mmsi} is listed "
            f"{record.caption} ({record.list_name} record {record.record_id})"
        )
        if laundering:
            reason += f"; broadcast under another identity than the list gives: {laundering}"
        return _link(mmsi, record, "imo", self.params.imo, reason, rows, "imo", laundering)

    def _mmsi_link(
        self, mmsi: int, rows: list[IdentityRow], imos: list[str], vessel: ListedVessel
    ) -> Link:
        record = vessel.record
        reason = (
            f"MMSI {mmsi} is the MMSI {record.list_name} record {record.record_id} gives for "
            f"{record.caption}"
        )
        confidence = self.params.mmsi
        other = [imo for imo in imos if imo not in vessel.imo_numbers]
        if other and vessel.imo_numbers:
            confidence = self.params.mmsi_imo_conflict
            reason += (
                f", but the vessel broadcasts IMO {', '.join(other)}, not the listed "
                f"{', '.join(vessel.imo_numbers)}: the MMSI may have passed to another hull"
            )
        shown = rows if len(rows) <= 2 else [rows[0], rows[-1]]
        return _link(mmsi, record, "mmsi", confidence, reason, shown, "mmsi")

    def _name_links(
        self, mmsi: int, rows: list[IdentityRow], imos: list[str]
    ) -> list[tuple[Link, ListedVessel | None]]:
        named = [row for row in rows if row.name]
        if not named:
            return []
        latest = max(named, key=lambda r: (r.last_seen, r.first_seen)).name
        found: list[tuple[Link, ListedVessel | None]] = []
        for name in dict.fromkeys(row.name for row in named if row.name):
            for match in self._screen(name):
                vessel = self.listed.by_entity[match.party.entity_id]
                if imos and vessel.imo_numbers and not set(imos) & set(vessel.imo_numbers):
                    self.stats.homonyms += 1  # a namesake with its own IMO number
                    continue
                carrying = [row for row in named if row.name == name]
                if hull_contradictions(carrying, vessel, self.params):
                    self.stats.homonyms += 1  # a namesake whose hull cannot be the listed one
                    continue
                former = match.explanation.name.matched_property == "previousName"
                via: Via = "name" if name == latest and not former else "former_name"
                found.append((self._name_link(mmsi, name, via, match, vessel, named), vessel))
        return found

    def _name_link(
        self,
        mmsi: int,
        name: str,
        via: Via,
        match: Match,
        vessel: ListedVessel,
        rows: list[IdentityRow],
    ) -> Link:
        record = vessel.record
        compared = match.explanation.name
        when = "broadcast name" if via == "name" else "earlier broadcast name"
        if compared.matched_property == "previousName":
            when += " (a former name on the list)"
        reason = (
            f"{when} {name!r} matches {compared.matched_name!r} of listed {record.caption} "
            f"({record.list_name} record {record.record_id}), screening score "
            f"{match.score:.2f}; a name alone is weak evidence"
        )
        screening = {
            "kind": "screening",
            "score": round(match.score, 4),
            "explanation": match.explanation.to_json(),
        }
        carrying = [row for row in rows if row.name == name]
        confidence = match.score * self.params.name_factor
        link = _link(mmsi, record, via, confidence, reason, carrying, "name")
        return replace(link, evidence=(*link.evidence, screening))

    def _screen(self, name: str) -> list[Match]:
        if name not in self._screened:
            self.stats.names_screened += 1
            try:
                query = Query(name, schema="Vessel")
                matches = self.screener.screen(query, self.params.threshold, self.params.limit)
            except InputError:  # a name with no letters or digits ("....")
                matches = []
            self._screened[name] = matches
        return self._screened[name]

    def _owner_links(self, ship_link: Link, vessel: ListedVessel) -> list[Link]:
        links: list[Link] = []
        for owner in vessel.owners:
            targets: dict[str, ListedRecord] = {}
            if owner.listed is not None:
                targets[owner.listed.entity_id] = owner.listed
            for key in {k for name in owner.names for k in company_keys(name)}:
                for record in self.listed.companies.get(key, []):
                    targets.setdefault(record.entity_id, record)
            named = any(word in owner.role.lower() for word in _OWNER_WORDS)
            weight = self.params.owner if named else self.params.linked_to
            links.extend(
                _owner_link(ship_link, vessel, owner.role, owner.names, record, weight)
                for record in targets.values()
            )
        return links


def _owner_link(
    ship_link: Link,
    vessel: ListedVessel,
    role: str,
    names: tuple[str, ...],
    company: ListedRecord,
    weight: float,
) -> Link:
    ship = vessel.record
    reason = (
        f"listed {company.caption} ({company.list_name} record {company.record_id}) is "
        f"{role!r} ({names[0]}) of listed ship {ship.caption} ({ship.list_name} record "
        f"{ship.record_id}), which this vessel is linked to via {ship_link.via} "
        f"(confidence {ship_link.confidence:.2f})"
    )
    identity = tuple(e for e in ship_link.evidence if e["kind"] == "identity")
    return Link(
        mmsi=ship_link.mmsi,
        entity_id=company.entity_id,
        caption=company.caption,
        list=company.list_name,
        record=company.record_id,
        via="owner",
        confidence=weight * ship_link.confidence,
        reason=reason,
        evidence=(*identity, ship.evidence(), company.evidence()),
    )


def _link(
    mmsi: int,
    record: ListedRecord,
    via: Via,
    confidence: float,
    reason: str,
    rows: list[IdentityRow],
    field: str,
    laundering: str | None = None,
) -> Link:
    evidence: list[dict[str, Any]] = [
        identity_evidence(row, field, mmsi if field == "mmsi" else getattr(row, field))
        for row in rows
    ]
    evidence.append(record.evidence())
    return Link(
        mmsi=mmsi,
        entity_id=record.entity_id,
        caption=record.caption,
        list=record.list_name,
        record=record.record_id,
        via=via,
        confidence=confidence,
        reason=reason,
        evidence=tuple(evidence),
        laundering=laundering,
    )


def _laundering(mmsi: int, rows: list[IdentityRow], vessel: ListedVessel) -> str | None:
    """What the vessel broadcasting a listed IMO number says that the list does not: another
    name (than its names, aliases and former names), MMSI or flag (by the MMSI's MID)."""
    known = {name_key(n) for _, n in vessel.names} | {name_key(n) for n in vessel.previous_names}
    known |= {k.replace(" ", "") for k in known}
    differs: list[str] = []
    names = [row.name for row in rows if row.name]
    other = [n for n in dict.fromkeys(names) if name_key(n) not in known]
    other = [n for n in other if name_key(n).replace(" ", "") not in known]
    if other:
        differs.append(f"name {', '.join(other)} (listed: {vessel.record.caption})")
    if vessel.mmsis and mmsi not in vessel.mmsis:
        differs.append(f"MMSI {mmsi} (listed: {', '.join(map(str, vessel.mmsis))})")
    info = mmsi_info(mmsi)
    if info.flags and vessel.flags and not set(info.flags) & set(vessel.flags):
        broadcast = "/".join(info.flags).upper()
        differs.append(
            f"flag {broadcast} by MID {info.mid} (listed: {', '.join(vessel.flags).upper()})"
        )
    return "; ".join(differs) or None


def _best_per_entity(links: list[Link]) -> list[Link]:
    best: dict[str, Link] = {}
    for link in links:
        kept = best.get(link.entity_id)
        if kept is None or (-link.confidence, _VIA_ORDER[link.via]) < (
            -kept.confidence,
            _VIA_ORDER[kept.via],
        ):
            best[link.entity_id] = link
    return sorted(best.values(), key=lambda k: (-k.confidence, _VIA_ORDER[k.via], k.entity_id))
