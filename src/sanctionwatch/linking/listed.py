"""What linking needs of the lists: every listed ship and listed company of the current
version of each loaded list, read once per run.

"Listed" means the subject of a Sanction entity of that list version (every parser emits
one per designation), or, for a list without Sanction entities, an entity whose topics say
``sanction``: a sub-entity such as OFAC's Vess_owner LegalEntity (a name only) is not listed
itself, but its name can still be a listed company's.

Ships are indexed for the screening engine (Vessel schema only, so that people and firms do
not crowd ships out of its candidate shortlist); companies by a plain name key, since an
owner named on a list is written out in full.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sanctionwatch.linking.listed_records import (
    ListedRecord,
    ListedVessel,
    Owner,
    company_keys,
)
from sanctionwatch.linking.narrative import add_company_named_ships, ship_note_owners
from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.lists.store import ListStore, ListVersion, StoredEntity
from sanctionwatch.screening.index import (
    NAME_PROPERTIES,
    IndexedParty,
    ScreeningIndex,
    assemble_index,
    index_signature,
)
from sanctionwatch.screening.names import analyse_name

COMPANY_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
_LENGTH_NOTE = re.compile(r"\blength(?: of ship)?\s*[:=]?\s*(\d+(?:\.\d+)?)\s*m\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class ListedData:
    vessels: list[ListedVessel]
    by_imo: dict[str, list[ListedVessel]]
    by_mmsi: dict[int, list[ListedVessel]]
    by_entity: dict[str, ListedVessel]
    companies: dict[str, list[ListedRecord]]  # name key -> listed companies with that name
    index: ScreeningIndex  # the ships, for the screening engine


def current_versions(store: ListStore) -> list[ListVersion]:
    """The latest version of every loaded list: what ``screen`` screens against."""
    return [store.find_version(name) for name in store.list_names()]


def load_listed(store: ListStore) -> ListedData:
    """Read every listed ship and company of the current list versions (one pass each)."""
    vessels: list[ListedVessel] = []
    companies: dict[str, list[ListedRecord]] = defaultdict(list)
    company_notes: list[tuple[ListedRecord, list[str]]] = []
    for version in current_versions(store):
        entities = list(store.iter_entities(version.id))
        listed_ids = _listed_ids(entities)
        by_id = {e.entity_id: e for e in entities}
        records = {e.entity_id: _record(e, version) for e in entities if e.entity_id in listed_ids}
        for entity_id, record in records.items():
            if record.schema in COMPANY_SCHEMATA:
                names = _props(by_id[entity_id], *NAME_PROPERTIES)
                for key in {k for name in names for k in company_keys(name)}:
                    companies[key].append(record)
                if notes := _props(by_id[entity_id], "notes"):
                    company_notes.append((record, notes))
        owners = _owners(entities, by_id, records)
        for entity_id, record in records.items():
            if record.schema == "Vessel":
                vessel = _vessel(by_id[entity_id], record)
                vessel.owners = owners.get(entity_id, [])
                vessel.owners += ship_note_owners(vessel, _props(by_id[entity_id], "notes"))
                vessels.append(vessel)
    add_company_named_ships(vessels, company_notes)
    by_imo: dict[str, list[ListedVessel]] = defaultdict(list)
    by_mmsi: dict[int, list[ListedVessel]] = defaultdict(list)
    for vessel in vessels:
        for number in vessel.imo_numbers:
            by_imo[number].append(vessel)
        for mmsi in vessel.mmsis:
            by_mmsi[mmsi].append(vessel)
    by_entity = {v.record.entity_id: v for v in vessels}
    index = _vessel_index(vessels, store)
    return ListedData(vessels, dict(by_imo), dict(by_mmsi), by_entity, dict(companies), index)


def _listed_ids(entities: list[StoredEntity]) -> set[str]:
    sanctioned = {
        target
        for e in entities
        if e.schema == "Sanction"
        for target in e.data["properties"].get("entity", [])
    }
    if sanctioned:
        return sanctioned
    return {e.entity_id for e in entities if "sanction" in _props(e, "topics")}


def _record(entity: StoredEntity, version: ListVersion) -> ListedRecord:
    return ListedRecord(
        entity_id=entity.entity_id,
        caption=entity.caption,
        schema=entity.schema,
        list_name=version.list_name,
        version=version.version,
        record_id=entity.record_id,
        source=entity.source,
    )


def _props(entity: StoredEntity, *names: str) -> list[str]:
    properties: dict[str, list[str]] = entity.data["properties"]
    return [value for name in names for value in properties.get(name, [])]


def _vessel(entity: StoredEntity, record: ListedRecord) -> ListedVessel:
    imo_numbers = []
    for value in _props(entity, "imoNumber"):
        digits = "".join(ch for ch in value if ch.isdigit())
        if is_ship_imo(digits) and digits not in imo_numbers:
            imo_numbers.append(digits)
    mmsis = sorted({int(v) for v in _props(entity, "mmsi") if v.strip().isdigit()})
    notes = _props(entity, "notes")
    lengths = [float(m.group(1)) for note in notes for m in _LENGTH_NOTE.finditer(note)]
    return ListedVessel(
        record=record,
        names=[(p, v) for p in ("name", "alias", "weakAlias") for v in _props(entity, p)],
        previous_names=_props(entity, "previousName"),
        imo_numbers=imo_numbers,
        mmsis=mmsis,
        flags=sorted({f.lower() for f in _props(entity, "flag")}),
        types=_props(entity, "type"),
        gross_tonnage=_first_number(_props(entity, "grossRegisteredTonnage")),
        length_m=lengths[0] if lengths else None,
    )


def _first_number(values: Iterable[str]) -> float | None:
    """The first number in list text such as "56,068" (OFAC writes thousands with commas)."""
    for value in values:
        match = _NUMBER.search(value)
        if match:
            return float(match.group(0).replace(",", ""))
    return None


def _owners(
    entities: list[StoredEntity],
    by_id: dict[str, StoredEntity],
    records: dict[str, ListedRecord],
) -> dict[str, list[Owner]]:
    """Listed ship id -> the parties its list names as owner, operator or otherwise tied.

    Read from the ship's own owner/operator properties, from Ownership entities (owner ->
    asset), and from UnknownLink entities ("Linked To") between a ship and a party."""
    found: dict[str, list[Owner]] = defaultdict(list)

    def add(ship_id: str, party_id: str, role: str) -> None:
        if ship_id not in records or records[ship_id].schema != "Vessel":
            return
        party = by_id.get(party_id)
        if party is None or party.schema not in COMPANY_SCHEMATA:
            return
        names = tuple(_props(party, *NAME_PROPERTIES))
        if names and all(o.entity_id != party_id for o in found[ship_id]):
            found[ship_id].append(Owner(party_id, names, role, records.get(party_id)))

    for entity in entities:
        if entity.schema == "Vessel":
            for role in ("owner", "operator"):
                for party_id in _props(entity, role):
                    add(entity.entity_id, party_id, role)
        elif entity.schema == "Ownership":
            for ship_id in _props(entity, "asset"):
                for party_id in _props(entity, "owner"):
                    add(ship_id, party_id, "Ownership")
        elif entity.schema == "UnknownLink":
            role = (_props(entity, "role") or ["linked"])[0]
            for subject in _props(entity, "subject"):
                for target in _props(entity, "object"):
                    add(subject, target, role)
                    add(target, subject, role)
    return found


def _vessel_index(vessels: list[ListedVessel], store: ListStore) -> ScreeningIndex:
    """A screening index of the listed ships only, built as ``screening.index`` builds its
    own (same name analysis and blocking keys), so the engine scores them the same way."""
    parties: list[IndexedParty] = []
    for vessel in vessels:
        record = vessel.record
        names = [(p, analyse_name(n, "Vessel")) for p, n in _indexed_names(vessel)]
        if not names:
            continue
        party = IndexedParty(
            entity_id=record.entity_id,
            list_name=record.list_name,
            version=record.version,
            record_id=record.record_id,
            schema="Vessel",
            caption=record.caption,
            names=names,
            countries=vessel.flags,
            imo_numbers=vessel.imo_numbers,
        )
        parties.append(party)
    return assemble_index(parties, index_signature(store))


def _indexed_names(vessel: ListedVessel) -> list[tuple[str, str]]:
    # the "name" values first: the engine always compares a party's first name
    return [*vessel.names, *(("previousName", n) for n in vessel.previous_names)]
