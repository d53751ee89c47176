"""FollowTheMoney entities from joined OFAC legacy CSV records (see :mod:`ofac_csv`).

One record (a primary row plus its alias, address and overflow rows) gives the party, its
Sanction, Address, Passport/Identification entities, an owner LegalEntity for vessels, and an
UnknownLink per ``Linked To`` that names exactly one party of the same list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from followthemoney import EntityProxy, model

from sanctionwatch.lists.formats.ofac_remarks import Fact, Remarks, parse_remarks
from sanctionwatch.lists.model import (
    ListEntity,
    ParseResult,
    Rejected,
    make_entity,
    short_hash,
    slug,
)

PREFIX = "ofac"
AUTHORITY = "US Treasury OFAC"
# OFAC's Sanctions List Search has one details page per ent_num.
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={ent_num}"
_VESSEL_COLUMNS = (
    (5, "callSign", "Call_Sign"),
    (6, "type", "Vess_type"),
    (7, "tonnage", "Tonnage"),
    (8, "grossRegisteredTonnage", "GRT"),
    (9, "flag", "Vess_flag"),
)
_DOCUMENT_PROPS = {
    "passport": "passportNumber",
    "id": "idNumber",
    "registration": "registrationNumber",
    "tax": "taxNumber",
}
_ALT_PROPS = {"aka": "alias", "nka": "alias", "fka": "previousName"}
# One row of an auxiliary file: (file name, line, cleaned cells).
AuxRow = tuple[str, int, list[str | None]]


@dataclass
class OfacRecord:
    """A primary row with what the auxiliary files add to it."""

    ent_num: str
    line: int
    cells: list[str | None]  # the 12 primary columns, None where OFAC wrote -0-
    remarks: str | None  # raw Remarks, overflow appended
    aliases: list[AuxRow] = field(default_factory=list)
    addresses: list[AuxRow] = field(default_factory=list)


class _Builder:
    """Entities of one record; values that cannot be kept as properties go to notes."""

    def __init__(self, record: OfacRecord, file_name: str, result: ParseResult) -> None:
        self.record = record
        self.source = f"{file_name}:{record.line}"
        self.result = result
        self.entities: list[ListEntity] = []
        self.party: EntityProxy = model.make_entity("Thing")  # replaced by _build_record

    def warn(self, message: str) -> None:
        self.result.warnings.append(f"{self.source} ent_num {self.record.ent_num}: {message}")

    def emit(self, proxy: EntityProxy, source: str | None = None) -> EntityProxy:
        """Record ``proxy``; one stated twice (the same document twice) is merged into one."""
        for known in self.entities:
            if known.entity_id == proxy.id:
                known.proxy.merge(proxy)
                return known.proxy
        self.entities.append(ListEntity(proxy, self.record.ent_num, source or self.source))
        return proxy

    def put(self, proxy: EntityProxy, prop: str, value: str, label: str) -> None:
        """Add ``value`` if ``proxy`` has ``prop`` and FtM can read it; else keep it in the
        party's notes (with a warning when FtM could not read it)."""
        prop_obj = proxy.schema.get(prop)
        if prop_obj is None:
            self.party.add("notes", f"{label} {value}")
            return
        # Clean with the property's format (an LEI, a BIC), as FtM does when it reads the
        # entity back: a value it would drop then goes to the notes instead of vanishing.
        cleaned = prop_obj.type.clean(value, proxy=proxy, format=prop_obj.format)
        bare = _TRAILING_COUNTRY.sub("", value)
        if cleaned is None and bare != value:
            # OFAC appends the issuing country: "Legal Entity Number 2534...W34 (Russia)".
            cleaned = prop_obj.type.clean(bare, proxy=proxy, format=prop_obj.format)
            if cleaned is not None:
                self.party.add("notes", f"{label} {value}")  # the country stays on record
        if cleaned is None:
            self.party.add("notes", f"{label} as listed: {value}")
            self.warn(f"{label} {value!r} is not a valid {prop_obj.type.name}; kept in notes")
        else:
            proxy.add(prop, cleaned, cleaned=True)  # cleaned once, just above


_TRAILING_COUNTRY = re.compile(r"\s*\([^()]*\)\s*$")


def _schema(sdn_type: str | None, remarks: Remarks) -> str:
    if sdn_type == "individual":
        return "Person"
    if sdn_type == "vessel":
        return "Vessel"
    if sdn_type == "aircraft":
        return "Airplane"
    # OFAC types every other party only as "entity" (-0-): banks, firms, armed groups and
    # ministries alike, so LegalEntity. A company IMO number is the one clue that it is a
    # company (the IMO gives company numbers only to firms that own or manage ships): those
    # become Company, the schema that carries imoNumber.
    if any(fact.prop == "imoNumber" for fact in remarks.facts):
        return "Company"
    return "LegalEntity"


def party_id(ent_num: str) -> str:
    """The id of the party listed under ``ent_num`` (the same in the SDN and non-SDN lists)."""
    return f"{PREFIX}-{slug(ent_num)}"


def build_entities(
    file_name: str, records: list[OfacRecord], result: ParseResult
) -> list[ListEntity]:
    """All entities of the joined ``records`` read from primary file ``file_name``."""
    names: dict[str, list[str]] = defaultdict(list)
    for record in records:
        names[str(record.cells[1])].append(record.ent_num)
    entities: list[ListEntity] = []
    for record in records:
        builder = _Builder(record, file_name, result)
        _build_record(builder, names)
        entities.extend(builder.entities)
    return entities


def _build_record(b: _Builder, names: dict[str, list[str]]) -> None:
    record, cells = b.record, b.record.cells
    name, sdn_type = str(cells[1]), cells[2].lower() if cells[2] else None
    remarks = parse_remarks(record.remarks)
    party = b.party = make_entity(_schema(sdn_type, remarks), PREFIX, record.ent_num)
    b.emit(party)
    url = DETAILS_URL.format(ent_num=record.ent_num)
    party.add("name", name)
    party.add("topics", "sanction")
    party.add("sourceUrl", url, cleaned=True)
    if sdn_type not in (None, "individual", "vessel", "aircraft"):
        party.add("notes", f"SDN_Type as listed: {cells[2]}")
        b.warn(f"unknown SDN_Type {cells[2]!r}; read as an entity")
    if party.schema.name == "Person" and "," in name:
        last, first = name.split(",", 1)
        party.add("lastName", last.strip())
        party.add("firstName", first.strip())
    programs = [code.strip(" []") for code in (cells[3] or "").split("] [") if code.strip(" []")]
    party.add("program", programs)
    if cells[4]:
        # OFAC's Title holds offices ("KOMID Representative in Iran"): FtM's position.
        b.put(party, "position", cells[4], "Title")
    _vessel_columns(b, cells)
    for fact in remarks.facts:
        _put_fact(b, fact)
    for message in remarks.warnings:
        b.warn(message)
    party.add("notes", remarks.notes)
    _aliases(b)
    _addresses(b)
    _documents(b, remarks)
    _links(b, remarks.linked_to, names)
    sanction = b.emit(make_entity("Sanction", PREFIX, record.ent_num, "sanction"))
    sanction.add("entity", party.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "us")
    sanction.add("program", programs)
    sanction.add("recordId", record.ent_num)
    sanction.add("sourceUrl", url, cleaned=True)
    sanction.add("provisions", remarks.provisions)


def _vessel_columns(b: _Builder, cells: list[str | None]) -> None:
    for index, prop, label in _VESSEL_COLUMNS:
        if cells[index]:
            b.put(b.party, prop, str(cells[index]), label)
    owner_name = cells[10]
    if not owner_name:
        return
    if not b.party.schema.get("owner"):
        b.party.add("notes", f"Vess_owner {owner_name}")
        return
    owner = make_entity("LegalEntity", PREFIX, b.record.ent_num, "owner", short_hash(owner_name))
    owner.add("name", owner_name)
    b.emit(owner)
    b.party.add("owner", owner.id)


def _put_fact(b: _Builder, fact: Fact) -> None:
    party = b.party
    if fact.prop == "imoNumber" and not party.schema.get("imoNumber"):
        # Parties whose schema has no imoNumber keep it as a registration number.
        b.put(party, "registrationNumber", f"IMO {fact.value[3:]}", "IMO")
        return
    b.put(party, fact.prop, fact.value, fact.label)


def _aliases(b: _Builder) -> None:
    for file_name, line, cells in b.record.aliases:
        alt_type, alt_name, alt_remarks = cells[2], cells[3], cells[4]
        if alt_name is None:
            b.result.rejected.append(_aux_rejected(file_name, line, "no alt_name", cells))
            continue
        prop = _ALT_PROPS.get((alt_type or "").lower())
        if prop is None:
            prop = "alias"
            b.warn(f"{file_name}:{line}: unknown alt_type {alt_type!r}; read as an alias")
            b.party.add("notes", f"alt_type as listed for {alt_name}: {alt_type}")
        b.party.add(prop, alt_name)
        if alt_remarks:
            b.party.add("notes", f"{alt_name}: {alt_remarks}")


def _addresses(b: _Builder) -> None:
    for file_name, line, cells in b.record.addresses:
        street, city, country, remarks = cells[2], cells[3], cells[4], cells[5]
        parts = [part for part in (street, city, country) if part]
        if not parts and not remarks:
            continue  # OFAC writes an all -0- address row for parties without one
        if not b.party.schema.get("addressEntity"):
            b.party.add("notes", f"Address: {', '.join(parts)}")
            continue
        full = ", ".join(parts)
        address = make_entity("Address", PREFIX, b.record.ent_num, "address", short_hash(full))
        address.add("full", full)
        address.add("street", street)
        # OFAC has one "City/State/Province/Postal Code" column; it is kept whole as city.
        address.add("city", city)
        if country:
            b.put(address, "country", country, "address country")
        address.add("remarks", remarks)
        b.emit(address, f"{file_name}:{line}")
        b.party.add("addressEntity", address.id)
        b.party.add("address", full)


def _documents(b: _Builder, remarks: Remarks) -> None:
    party = b.party
    for doc in remarks.documents:
        prop = _DOCUMENT_PROPS[doc.kind]
        if not party.schema.is_a("LegalEntity"):
            # Documents are held by legal persons; a vessel keeps the number only.
            b.put(party, prop, doc.number, doc.label)
            if doc.country or doc.issued or doc.expires:
                party.add("notes", doc.statement)
            continue
        schema = "Passport" if doc.kind == "passport" else "Identification"
        key = short_hash(doc.label, doc.number, doc.country)
        document = make_entity(schema, PREFIX, b.record.ent_num, schema.lower(), key)
        document.add("holder", party.id)
        document.add("number", doc.number)
        document.add("type", doc.label)
        if doc.country:
            b.put(document, "country", doc.country, f"{doc.label} country")
        document.add("startDate", doc.issued)
        document.add("endDate", doc.expires)
        document.add("summary", doc.statement)
        b.emit(document)
        b.put(party, prop, doc.number, doc.label)


def _links(b: _Builder, linked_names: list[str], names: dict[str, list[str]]) -> None:
    for target in linked_names:
        # The period that ends the whole Remarks text may also end the name ("S.A.").
        matches = names.get(target) or names.get(f"{target}.") or []
        if len(matches) != 1:
            b.party.add("notes", f"Linked To: {target}")
            problem = "no party" if not matches else f"{len(matches)} parties"
            b.warn(f"Linked To {target!r}: {problem} of this list with that name; kept in notes")
            continue
        link = make_entity("UnknownLink", PREFIX, b.record.ent_num, "linked-to", matches[0])
        link.add("subject", b.party.id)
        link.add("object", party_id(matches[0]))
        link.add("role", "Linked To")
        b.emit(link)


def _aux_rejected(file_name: str, line: int, reason: str, cells: list[str | None]) -> Rejected:
    raw = ",".join(cell or "-0-" for cell in cells)
    return Rejected(file=file_name, line=line, reason=reason, raw=raw[:2000])
