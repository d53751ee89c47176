"""The UN Security Council consolidated sanctions list, XML (``CONSOLIDATED_LIST``).

The UN publishes every Security Council regime (1267 Al-Qaida, 1718 DPRK, 1988 Taliban,
...) in one file: ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records, each with a
reference number such as ``KPi.033`` (K P = DPRK, i = individual, e = entity), the regime in
``UN_LIST_TYPE``, up to four name parts, graded aliases, and free-text ``COMMENTS1``. The
root's ``dateGenerated`` attribute is the publication date.

Mapping choices (see the conventions in ``lists/model.py``):
- INDIVIDUAL -> Person. ENTITY -> Organization: the UN lists companies, state bodies and armed
  groups alike under ENTITY and never says which; Organization fits all three (LegalEntity
  would also admit people) and carries ``imoNumber`` for the shipping companies. The list
  has no vessel or aircraft records (1718 vessels are designated in a separate annex).
- Name parts are positional, not semantic (``FIRST_NAME`` of a Korean name is the family
  name ``RI``): ``name`` is the parts joined in order, and the parts go to firstName,
  secondName, middleName (third and fourth) as the UN labels them.
- Alias QUALITY "Good" and "a.k.a." -> alias, "Low" -> weakAlias, "f.k.a." -> previousName;
  ``NAME_ORIGINAL_SCRIPT`` (Arabic, Chinese, Korean script) -> alias.
- IMO numbers cited in comments ("IMO number: 5571322") of the DPRK shipping companies are the
  companies' own IMO numbers (they pass the company check digit, not the ship one) and go to
  the Organization's ``imoNumber``; any other IMO number cited stays in the notes, with a
  warning, since the list names no vessel record to hang it on.
- No ``sourceUrl``: the file gives no per-record address. The links inside comments (the
  same INTERPOL notices search page for hundreds of records) stay in ``notes``.
- Element text is whitespace-normalised (the file's indentation leaks into values), so that
  two publications differing only in layout compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from lxml import etree

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats.un_xml_fields import (
    ListingRecord,
    child_text,
    child_values,
    clean_text,
    end_line,
    iso_date,
    read_addresses,
    read_birth_date,
    read_documents,
    start_line,
)
from sanctionwatch.lists.identifiers import cited_imo_numbers, imo_kind
from sanctionwatch.lists.model import (
    ListEntity,
    ListFormat,
    ParseResult,
    Rejected,
)
from sanctionwatch.lists.reading import iter_xml_elements, local_name, read_head

LIST_NAME = "un"
_ROOT_MARKER = b"<CONSOLIDATED_LIST"
_DATE_GENERATED = re.compile(rb"<CONSOLIDATED_LIST\b[^>]*?\bdateGenerated=\"([^\"]*)\"")
_NAME_PARTS = (
    ("FIRST_NAME", "firstName"),
    ("SECOND_NAME", "secondName"),
    ("THIRD_NAME", "middleName"),
    ("FOURTH_NAME", "middleName"),
)
_ALIAS_QUALITY = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}
# Fields this module reads; any other child that carries text is kept in notes with a
# warning, so that a field the UN adds one day is never dropped unseen.
_READ = frozenset(
    {
        "DATAID", "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME", "UN_LIST_TYPE",
        "REFERENCE_NUMBER", "LISTED_ON", "GENDER", "COMMENTS1", "DESIGNATION", "TITLE",
        "NATIONALITY", "LAST_DAY_UPDATED", "NAME_ORIGINAL_SCRIPT", "INDIVIDUAL_ALIAS",
        "ENTITY_ALIAS", "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS", "INDIVIDUAL_DATE_OF_BIRTH",
        "INDIVIDUAL_PLACE_OF_BIRTH", "INDIVIDUAL_DOCUMENT", "SUBMITTED_BY", "SUBMITTED_ON",
    }
)  # fmt: skip
# Bookkeeping of the UN's database: the same for every record ("UN List", version 1) or empty.
_IGNORED = frozenset({"VERSIONNUM", "LIST_TYPE", "SORT_KEY", "SORT_KEY_LAST_MOD"})


def sniff(head: bytes, path: Path) -> bool:
    """True when the file's head holds the consolidated list's root element."""
    return _ROOT_MARKER in head


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """Parse each file as one publication of the list: one :class:`ParseResult` per file."""
    return [parse_file(Path(path)) for path in paths]


def parse_file(path: Path) -> ParseResult:
    """Read one consolidated-list XML file into Person/Organization parties and their
    Sanction, Address, Passport and Identification entities.

    Raises :class:`InputError` (file and line) for a file that is not this list or is
    broken XML, :class:`HostileInputError` for one declaring a DTD or entities.
    """
    head = read_head(path)
    if _ROOT_MARKER not in head:
        raise InputError(
            f"{path}:1: not a UN Security Council consolidated list "
            "(no CONSOLIDATED_LIST root element)"
        )
    result = ParseResult(list_name=LIST_NAME, format_name=FORMAT.name, files=[path.name])
    result.version = _version(path, head, result.warnings)
    seen: dict[str, int] = {}
    for element in iter_xml_elements(path, {"INDIVIDUAL", "ENTITY"}):
        try:
            _read_record(path, element, result, seen)
        finally:
            _release(element)
    return result


def _version(path: Path, head: bytes, warnings: list[str]) -> str | None:
    """The date as written in ``dateGenerated`` (its first ten characters): the list's own
    statement of its publication day, whatever time zone the timestamp is in."""
    match = _DATE_GENERATED.search(head)
    if match is None:
        warnings.append(f"{path.name}:1: no dateGenerated attribute; version unknown")
        return None
    raw = match.group(1).decode("ascii", "replace")
    try:
        return date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        warnings.append(f"{path.name}:1: dateGenerated {raw!r} is not a date; version unknown")
        return None


def _release(element: etree._Element) -> None:
    """Free a finished record and its already-read siblings, so memory stays bounded."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _read_record(
    path: Path, element: etree._Element, result: ParseResult, seen: dict[str, int]
) -> None:
    """Turn one INDIVIDUAL or ENTITY into entities, or a :class:`Rejected` entry."""
    first, last = start_line(element), end_line(element)
    reference = child_text(element, "REFERENCE_NUMBER")
    ref = reference or child_text(element, "DATAID")
    name = " ".join(p for p in (child_text(element, tag) for tag, _ in _NAME_PARTS) if p)
    reason = None
    if not ref:
        reason = "no REFERENCE_NUMBER or DATAID"
    elif ref in seen:
        reason = f"reference number {ref} already used by the record at line {seen[ref]}"
    elif not name:
        reason = f"{ref}: no name (FIRST_NAME to FOURTH_NAME are all empty)"
    if reason is not None:
        raw = etree.tostring(element, encoding="unicode")
        result.rejected.append(Rejected(path.name, first, reason, raw[:2000]))
        return
    seen[ref] = first
    kind = local_name(element)
    schema = "Person" if kind == "INDIVIDUAL" else "Organization"
    record = ListingRecord(path, ref, first, schema, result.warnings)
    # A DATAID stands in as the record id, but only a reference number is a UN SC id.
    record.add(record.sanction, "unscId", reference, "reference number")
    if not reference:
        record.warn("no REFERENCE_NUMBER; its DATAID is used as the record id")
    _read_identity(record, element, name)
    _read_listing(record, element)
    _read_aliases(record, element)
    _read_birth(record, element)
    read_addresses(record, element)
    read_documents(record, element)
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = local_name(child)
        text = " ".join(" ".join(str(t) for t in child.itertext()).split())
        if tag not in _READ and tag not in _IGNORED and text:
            record.unconverted(tag, text)
    source = f"{path.name}:{first}-{last}"
    for proxy in record.entities():
        result.entities.append(ListEntity(proxy, record_id=ref, source=source))


def _read_identity(record: ListingRecord, element: etree._Element, name: str) -> None:
    """Name and its parts, title, position, nationality, gender, comments and IMO numbers."""
    party = record.party
    party.add("name", name)
    if party.schema.name == "Person":
        for tag, prop in _NAME_PARTS:
            record.add(party, prop, child_text(element, tag), tag.lower())
    for title in child_values(element, "TITLE"):
        record.add(party, "title", title, "title")
    for position in child_values(element, "DESIGNATION"):
        record.add(party, "position", position, "designation")
    for nationality in child_values(element, "NATIONALITY"):
        code = record.country(nationality, "nationality")
        if code:
            record.add(party, "nationality", code, "nationality")
    record.add(party, "gender", child_text(element, "GENDER"), "gender")
    for script_name in element.findall("NAME_ORIGINAL_SCRIPT"):
        record.add(party, "alias", clean_text(script_name.text), "name in original script")
    for tag in ("SUBMITTED_BY", "SUBMITTED_ON"):
        if child_text(element, tag):
            record.note(f"{tag.lower().replace('_', ' ')}: {child_text(element, tag)}")
    comments = child_text(element, "COMMENTS1")
    record.add(party, "notes", comments, "comments")
    record.add(record.sanction, "reason", comments, "comments")
    for number in cited_imo_numbers(comments):
        kind = imo_kind(number)
        if kind == "company" and "imoNumber" in party.schema.properties:
            party.add("imoNumber", f"IMO{number}")
        else:
            record.warn(
                f"comments cite IMO {number} ({kind} check digit), not this "
                f"{party.schema.name}'s own number; kept in notes only"
            )


def _read_listing(record: ListingRecord, element: etree._Element) -> None:
    """Programme, listing and update dates, the UN's data id: on party and Sanction."""
    party, sanction = record.party, record.sanction
    program = child_text(element, "UN_LIST_TYPE")
    record.add(party, "program", program, "programme")
    record.add(sanction, "program", program, "programme")
    record.add(sanction, "authorityId", child_text(element, "DATAID"), "data id")
    listed = record.add_date(party, "createdAt", child_text(element, "LISTED_ON"), "listed on")
    if listed:
        sanction.add("listingDate", listed)
    updates = []
    for raw in child_values(element, "LAST_DAY_UPDATED"):
        value = iso_date(raw)
        if value is None:
            record.unconverted("last day updated", raw)
        else:
            updates.append(value)
    if updates:
        party.add("modifiedAt", max(updates))
        sanction.add("modifiedAt", max(updates))
        # The earlier amendments are history worth keeping beside the latest one.
        sanction.add("description", "Amended on " + ", ".join(sorted(set(updates))))


def _read_aliases(record: ListingRecord, element: etree._Element) -> None:
    """Graded aliases, with the birth data and remarks the UN attaches to some of them."""
    party = record.party
    for alias in [*element.findall("INDIVIDUAL_ALIAS"), *element.findall("ENTITY_ALIAS")]:
        name = child_text(alias, "ALIAS_NAME")
        quality = child_text(alias, "QUALITY")
        prop = _ALIAS_QUALITY.get(quality.lower(), "alias")
        if name and quality and quality.lower() not in _ALIAS_QUALITY:
            record.warn(f"alias quality {quality!r} unknown; {name!r} taken as an alias")
        record.add(party, prop, name, "alias")
        label = f"alias {name}" if name else "alias"
        note = child_text(alias, "NOTE")
        if note:
            record.note(f"{label}: {note}")
        born = child_text(alias, "DATE_OF_BIRTH")
        if record.add_date(party, "birthDate", born, f"{label} date of birth"):
            record.note(f"{label}: date of birth {born}")
        place = ", ".join(
            p
            for p in (child_text(alias, "CITY_OF_BIRTH"), child_text(alias, "COUNTRY_OF_BIRTH"))
            if p
        )
        if place:
            record.add(party, "birthPlace", place, f"{label} place of birth")
            record.note(f"{label}: place of birth {place}")
        code = record.country(child_text(alias, "COUNTRY_OF_BIRTH"), f"{label} country of birth")
        if code:
            record.add(party, "birthCountry", code, f"{label} country of birth")


def _read_birth(record: ListingRecord, element: etree._Element) -> None:
    """Dates of birth (ISO, partial, ranges spelled out) and places of birth."""
    party = record.party
    for born in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        birth = read_birth_date(born)
        for value in birth.dates:
            record.add(party, "birthDate", value, "date of birth")
        for note in birth.notes:
            record.note(note)
        for raw in birth.unconverted:
            record.unconverted("date of birth", raw)
    for place in element.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        country = child_text(place, "COUNTRY")
        parts = ("STREET", "CITY", "STATE_PROVINCE")
        text = ", ".join(p for p in [*(child_text(place, t) for t in parts), country] if p)
        note = child_text(place, "NOTE")
        record.add(party, "birthPlace", text or note, "place of birth")
        if text and note:
            record.note(f"place of birth {text}: {note}")
        code = record.country(country, "country of birth")
        if code:
            record.add(party, "birthCountry", code, "country of birth")


FORMAT = ListFormat(
    name="un_xml",
    description="UN Security Council consolidated sanctions list (XML, CONSOLIDATED_LIST)",
    sniff=sniff,
    parse=parse,
)
