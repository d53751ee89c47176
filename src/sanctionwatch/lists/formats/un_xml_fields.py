"""Field readers for the UN Security Council consolidated list (used by ``un_xml``).

Value conversions into what FollowTheMoney accepts: ISO dates (the list writes ``xs:date``
values, sometimes with a time-zone suffix such as ``2015-07-01-04:00``), partial birth dates
from the ``TYPE_OF_DATE`` variants, IMO numbers cited in the free-text comments (classified
by their check digit); and :class:`ListingRecord`, which builds one listing's entities,
with the readers for its addresses and identity documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney import EntityProxy
from lxml import etree

from sanctionwatch.lists.formats.month_names import MONTHS
from sanctionwatch.lists.model import country_code, make_entity, short_hash

ID_PREFIX = "un"
AUTHORITY = "United Nations Security Council"
_PASSPORT = re.compile(r"pass(?:port|eport)|pasaporte", re.IGNORECASE)
# An xs:date, optionally with a time zone ("Z", "-04:00"); the zone says nothing about the day.
_XS_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
# "IMO Number: 5342883", "IMO number: 5571322", "(IMO) Number: 1790183", "Company Number
# IMO 5434358": the word IMO, at most a "number"/"no." label, then exactly seven digits.
# Widest BETWEEN range spelled out year by year (the real list's widest is 6 years).
MAX_BIRTH_YEAR_SPAN = 10


def clean_text(raw: str | None) -> str:
    """Element text with runs of whitespace (the list's indentation inside values) collapsed."""
    if raw is None:
        return ""
    return " ".join(raw.split())


def child_text(element: etree._Element, tag: str) -> str:
    """The cleaned text of the first child ``tag`` of ``element`` ("" when absent or empty)."""
    child = element.find(tag)
    return "" if child is None else clean_text(child.text)


def child_values(element: etree._Element, tag: str) -> list[str]:
    """Non-empty texts of ``tag/VALUE`` children (the list's multi-valued fields)."""
    values = []
    for holder in element.findall(tag):
        for value in holder.findall("VALUE"):
            text = clean_text(value.text)
            if text:
                values.append(text)
    return values


def iso_date(raw: str) -> str | None:
    """``YYYY-MM-DD`` from an xs:date (time zone dropped), ``YYYY`` kept; None otherwise."""
    if _YEAR.match(raw):
        return raw
    match = _XS_DATE.match(raw)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def month_year(raw: str) -> str | None:
    """``YYYY-MM`` from "Nov. 1973" or "August 1961"; None for anything else."""
    match = _MONTH_YEAR.match(raw.strip())
    if match is None:
        return None
    month = MONTHS.get(match.group(1).lower())
    return f"{match.group(2)}-{month:02d}" if month else None


@dataclass
class BirthDate:
    """What one ``INDIVIDUAL_DATE_OF_BIRTH`` element says.

    ``dates``: ISO (partial) dates for FtM's ``birthDate``; ``notes``: qualifiers and remarks
    worth keeping beside them ("approximately 1960"); ``unconverted``: raw values that are no
    date FtM can hold (kept by the caller in notes, with a warning).
    """

    dates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unconverted: list[str] = field(default_factory=list)


def read_birth_date(element: etree._Element) -> BirthDate:
    """Convert one ``INDIVIDUAL_DATE_OF_BIRTH`` (EXACT / APPROXIMATELY / BETWEEN variants)."""
    result = BirthDate()
    kind = child_text(element, "TYPE_OF_DATE").upper()
    note = child_text(element, "NOTE")
    exact = child_text(element, "DATE")
    year = child_text(element, "YEAR")
    first, last = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
    approximate = kind == "APPROXIMATELY" or note.lower() == "approximately"
    if note.lower() == "approximately":
        note = ""
    if year and note and month_year(f"{note} {year}"):
        # A bare month in NOTE beside a YEAR ("Sep." with 1958) completes the date.
        year, note = str(month_year(f"{note} {year}")), ""
    for raw in (exact, year):
        if not raw:
            continue
        value = iso_date(raw) or (raw if _YEAR_MONTH.match(raw) else None)
        if value is None:
            result.unconverted.append(raw)
            continue
        result.dates.append(value)
        if approximate:
            result.notes.append(f"date of birth approximately {value}")
    if first or last:
        _add_year_range(result, first, last, approximate)
    if note:
        # Without any date element the note is the date itself ("Nov. 1973").
        value = None if result.dates or result.unconverted else month_year(note)
        if value:
            result.dates.append(value)
        elif result.dates:
            result.notes.append(f"date of birth {', '.join(result.dates)}: {note}")
        else:
            result.unconverted.append(note)
    if kind not in ("", "EXACT", "APPROXIMATELY", "BETWEEN"):
        result.notes.append(f"date of birth type as listed: {kind}")
    return result


def _add_year_range(result: BirthDate, first: str, last: str, approximate: bool) -> None:
    """Spell out a BETWEEN range as one ``birthDate`` per year, keeping the qualifier."""
    if not (_YEAR.match(first) and _YEAR.match(last)) or int(last) < int(first):
        result.unconverted.append(f"between {first or '?'} and {last or '?'}")
        return
    qualifier = "approximately between" if approximate else "between"
    result.notes.append(f"date of birth {qualifier} {first} and {last}")
    if int(last) - int(first) > MAX_BIRTH_YEAR_SPAN:
        # Too wide to be a useful list of candidates: keep the bounds only.
        result.dates.extend([first, last])
        return
    result.dates.extend(str(y) for y in range(int(first), int(last) + 1))


def start_line(element: etree._Element) -> int:
    """The line where ``element`` starts (0 if lxml does not know)."""
    line = element.sourceline
    return line if isinstance(line, int) else 0


def end_line(element: etree._Element) -> int:
    """The line of ``element``'s closing tag (lxml only records where elements start).

    Counts the newlines after the start line: in the text of a leaf, or down the last
    child and the whitespace that follows it.
    """
    children = list(element)
    if not children:
        return start_line(element) + (element.text or "").count("\n")
    last = children[-1]
    return end_line(last) + (last.tail or "").count("\n")


class ListingRecord:
    """One UN listing being built: the party, its Sanction and sub-entities, and the helpers
    that keep every value the list gives (in notes, with a warning, when FtM refuses it)."""

    def __init__(self, path: Path, ref: str, line: int, schema: str, warnings: list[str]) -> None:
        self.path, self.ref, self.line, self.warnings = path, ref, line, warnings
        self.party = make_entity(schema, ID_PREFIX, ref)
        self.party.add("topics", "sanction")
        self.sanction = make_entity("Sanction", ID_PREFIX, ref, "sanction")
        self.sanction.add("entity", self.party.id)
        self.sanction.add("authority", AUTHORITY)
        self.sanction.add("recordId", ref)
        self.extra: list[EntityProxy] = []

    def entities(self) -> list[EntityProxy]:
        return [self.party, self.sanction, *self.extra]

    def add(self, proxy: EntityProxy, prop: str, raw: str, label: str) -> None:
        """Add ``raw`` to ``proxy.prop``; keep it in the party's notes if FtM refuses it."""
        if not raw:
            return
        if prop not in proxy.schema.properties:
            self.unconverted(label, raw)
            return
        if proxy.unsafe_add(proxy.schema.properties[prop], raw) is None:
            self.unconverted(label, raw)

    def add_date(self, proxy: EntityProxy, prop: str, raw: str, label: str) -> str | None:
        """Add an xs:date value as ISO; returns it, or None when it is no date."""
        value = iso_date(raw) if raw else None
        if value is None:
            if raw:
                self.unconverted(label, raw)
            return None
        self.add(proxy, prop, value, label)
        return value

    def country(self, raw: str, label: str) -> str | None:
        """The ISO code of a country name, or None (the raw name then kept in notes)."""
        if not raw:
            return None
        code = country_code(raw)
        if code is None:
            self.unconverted(label, raw)
        return str(code) if code else None

    def note(self, text: str) -> None:
        self.party.add("notes", text)

    def unconverted(self, label: str, raw: str) -> None:
        self.note(f"{label} as listed: {raw}")
        self.warn(f"{label} {raw!r} could not be converted; kept in notes")

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.path.name}:{self.line}: {self.ref}: {message}")


def read_addresses(record: ListingRecord, element: etree._Element) -> None:
    """Addresses: the country on the party; an Address entity when more than a country."""
    party = record.party
    for item in [*element.findall("INDIVIDUAL_ADDRESS"), *element.findall("ENTITY_ADDRESS")]:
        street, city = child_text(item, "STREET"), child_text(item, "CITY")
        region, postal = child_text(item, "STATE_PROVINCE"), child_text(item, "ZIP_CODE")
        country, note = child_text(item, "COUNTRY"), child_text(item, "NOTE")
        code = record.country(country, "address country")
        if code:
            party.add("country", code)
        if not (street or city or region or postal or note):
            continue
        full = ", ".join(p for p in (street, city, region, postal, country) if p) or note
        address = make_entity("Address", ID_PREFIX, record.ref, "address", short_hash(full, note))
        if address.id in party.get("addressEntity"):
            continue  # the same address listed twice
        address.add("full", full)
        address.add("street", street)
        address.add("city", city)
        address.add("region", region)
        address.add("postalCode", postal)
        address.add("country", code)
        address.add("summary", note if note != full else None)
        party.add("addressEntity", address.id)
        record.add(party, "address", full, "address")
        record.extra.append(address)


def read_documents(record: ListingRecord, element: etree._Element) -> None:
    """Passports and other identity documents, numbers also copied to the party.

    The UN repeats some documents once per language ("Passport", "Numéro de passeport",
    "Número de pasaporte"): one number, country and issue date make one document entity,
    carrying every type it was listed under.
    """
    party = record.party
    documents: dict[str, EntityProxy] = {}
    for item in element.findall("INDIVIDUAL_DOCUMENT"):
        types = [child_text(item, t) for t in ("TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2")]
        types = [t for t in types if t]
        number = child_text(item, "NUMBER")
        countries = [child_text(item, t) for t in ("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE")]
        city, issued = child_text(item, "CITY_OF_ISSUE"), child_text(item, "DATE_OF_ISSUE")
        note = child_text(item, "NOTE")
        if not number:
            # FtM documents need a number; what the list says of this one stays in notes.
            said = [*types, *(c for c in countries if c), city, issued, note]
            if any(said):
                record.note("document without number: " + "; ".join(s for s in said if s))
            continue
        passport = any(_PASSPORT.search(t) for t in types)
        schema = "Passport" if passport else "Identification"
        codes = sorted({c for c in (record.country(c, "document country") for c in countries) if c})
        key = short_hash(number, codes, issued)
        document = documents.get(schema + key)
        if document is None:
            document = make_entity(schema, ID_PREFIX, record.ref, schema.lower(), key)
            document.add("holder", party.id)
            document.add("number", number)
            document.add("country", codes)
            record.add_date(document, "startDate", issued, "document date of issue")
            documents[schema + key] = document
            record.extra.append(document)
        document.add("type", types)
        summary = [f"issued in {city}" if city else "", note]
        document.add("summary", "; ".join(s for s in summary if s) or None)
        record.add(party, "passportNumber" if passport else "idNumber", number, "document number")
