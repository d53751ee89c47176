"""Field conversions for the EU Financial Sanctions Files export (see ``eu_xml``).

The EU export keeps every value in an attribute of a child element of ``<sanctionEntity>``
(``nameAlias``, ``birthdate``, ``citizenship``, ``identification``, ``address``,
``regulation``). This module turns those elements into FollowTheMoney values on one
:class:`Record`, which remembers every raw value FtM could not hold (kept in ``notes``, with a
warning) so that nothing the list says vanishes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from followthemoney import EntityProxy
from followthemoney.util import sanitize_text
from lxml import etree

from sanctionwatch.lists.model import make_entity, short_hash

PREFIX = "eu"
# Placeholders the export writes where it knows nothing.
_UNKNOWN_COUNTRY = {"", "00", "UNKNOWN"}
# "IMO number: 5954061", "(IMO) Number: 1790183", "Company Number IMO 5434358".
# Titles and functions are enumerated "(a) Mullah, (b) Maulavi".
_ENUMERATION = re.compile(r"\s*\([a-z]\)\s*")
# Words that mark a name as an organisation's, never a ship's.
_ORGANISATION_WORDS = frozenset(
    {
        "agency", "association", "bank", "bureau", "co", "company", "corp", "corporation",
        "enterprise", "group", "holding", "holdings", "inc", "institute", "jsc", "limited",
        "llc", "ltd", "ministry", "ojsc", "ooo", "pjsc", "shipping", "trading",
    }
)  # fmt: skip
# identificationTypeCode -> party property, for codes that are attributes rather than documents.
_ID_PROPERTIES = {
    "imo": "imoNumber",
    "regnumber": "registrationNumber",
    "swiftbic": "swiftBic",
    "fiscalcode": "taxNumber",
}
# Document flags the export sets to "true"; each becomes a phrase in the document summary.
_DOCUMENT_FLAGS = {
    "diplomatic": "diplomatic",
    "knownExpired": "known to be expired",
    "knownFalse": "known to be false",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by issuer",
}
_CONTACT_PROPERTIES = {"PHONE": "phone", "FAX": "phone", "EMAIL": "email", "WEB": "website"}
MAX_BIRTH_YEAR_SPAN = 10


@dataclass
class Record:
    """One ``sanctionEntity`` being converted: its party, the entities hanging off it, and
    the warnings raised while converting it."""

    file_name: str
    line: int
    record_id: str
    party: EntityProxy
    extra: list[EntityProxy] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, proxy: EntityProxy, prop: str, value: str | None, label: str = "") -> None:
        """Add ``value`` to ``proxy.prop``; a value FtM would drop, or a property the schema
        lacks, goes to the party's notes as "<label> as listed: <value>" with a warning."""
        text = sanitize_text(value)
        if not text:
            return
        schema_prop = proxy.schema.get(prop)
        if schema_prop is not None and not schema_prop.stub:
            # Clean once here (as proxy.add would) to learn whether FtM keeps the value.
            cleaned = schema_prop.type.clean_text(text, format=schema_prop.format, proxy=proxy)
            if cleaned is not None and proxy.unsafe_add(schema_prop, cleaned, cleaned=True):
                return
        self.unconverted(label or prop, text)

    def unconverted(self, label: str, raw: str) -> None:
        """Keep a raw value the conversion could not use, and say so."""
        self.party.add("notes", f"{label} as listed: {raw}")
        self.warnings.append(
            f"{self.file_name}:{self.line}: {PREFIX} {self.record_id}: {label} {raw!r} "
            "could not be converted; kept in notes"
        )


def attr(element: etree._Element, name: str) -> str:
    """An attribute with surrounding whitespace removed ("" when absent)."""
    return " ".join(str(element.get(name, "")).split())


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Direct children with local name ``name`` (namespace-agnostic)."""
    return [c for c in element if isinstance(c.tag, str) and c.tag.rpartition("}")[2] == name]


def child_texts(element: etree._Element, name: str) -> list[str]:
    """Non-empty texts of the direct children called ``name``."""
    texts = [" ".join((c.text or "").split()) for c in children(element, name)]
    return [t for t in texts if t]


def line_of(element: etree._Element) -> int:
    """The line an element starts on (0 when lxml does not know)."""
    line = element.sourceline
    return line if isinstance(line, int) else 0


def end_line(element: etree._Element) -> int:
    """The line of ``element``'s closing tag (lxml records only where elements start)."""
    kids = list(element)
    if not kids:
        return line_of(element) + (element.text or "").count("\n")
    return end_line(kids[-1]) + (kids[-1].tail or "").count("\n")


def alias_name(alias: etree._Element) -> str:
    """The whole name of a ``nameAlias``, or its parts joined when only parts are given."""
    whole = attr(alias, "wholeName")
    if whole:
        return whole
    parts = (attr(alias, "firstName"), attr(alias, "middleName"), attr(alias, "lastName"))
    return " ".join(p for p in parts if p)


def is_weak(alias: etree._Element) -> bool:
    """``strong="false"``, or a remark grading the alias low quality."""
    remarks = " ".join(child_texts(alias, "remark")).lower()
    return attr(alias, "strong").lower() == "false" or "low quality" in remarks


def apply_names(record: Record, aliases: list[etree._Element]) -> None:
    """``name`` from the first strong alias, the other strong ones as ``alias``, the weak
    ones as ``weakAlias``; name parts, titles, functions and genders beside them."""
    party = record.party
    is_person = party.schema.is_a("Person")
    primary = next((a for a in aliases if not is_weak(a)), aliases[0])
    for alias in aliases:
        name = alias_name(alias)
        prop = "name" if alias is primary else "weakAlias" if is_weak(alias) else "alias"
        record.add(party, prop, name)
        for remark in child_texts(alias, "remark"):
            if "quality" not in remark.lower():
                record.add(party, "notes", f"name {name}: {remark}")
        for kind, prop in (("title", "title"), ("function", "position")):
            for value in _ENUMERATION.split(attr(alias, kind)):
                value = value.strip(" ,;")
                if is_person:
                    record.add(party, prop, value)
                elif value:
                    party.add("notes", f"{kind}: {value}")
        if is_person:
            record.add(party, "firstName", attr(alias, "firstName"))
            record.add(party, "middleName", attr(alias, "middleName"))
            record.add(party, "lastName", attr(alias, "lastName"))
        record.add(party, "gender", attr(alias, "gender"), "gender")


def country_of(element: etree._Element) -> str:
    """The ISO code of an element's country, else its description; "" when unknown."""
    code = attr(element, "countryIso2Code")
    if code.upper() not in _UNKNOWN_COUNTRY:
        return code
    description = attr(element, "countryDescription")
    return "" if description.upper() in _UNKNOWN_COUNTRY else description


def _description(element: etree._Element) -> str:
    description = attr(element, "countryDescription")
    return "" if description.upper() in _UNKNOWN_COUNTRY else description


def apply_citizenships(record: Record, element: etree._Element) -> None:
    """``nationality`` for people, ``flag`` for ships, ``country`` for others."""
    schema = record.party.schema
    prop = (
        "nationality" if schema.is_a("Person") else "flag" if schema.is_a("Vessel") else "country"
    )
    for node in children(element, "citizenship"):
        record.add(record.party, prop, country_of(node), "citizenship")
        for remark in child_texts(node, "remark"):
            record.party.add("notes", f"citizenship: {remark}")


def apply_birthdates(record: Record, element: etree._Element) -> None:
    """``birthDate`` (ISO, partial allowed), ``birthPlace`` and ``birthCountry``."""
    for node in children(element, "birthdate"):
        date = attr(node, "birthdate") or _partial_date(node)
        if date:
            record.add(record.party, "birthDate", date, "birthdate")
            if attr(node, "circa").lower() == "true":
                record.party.add("notes", f"date of birth circa {date}")
        first, last = attr(node, "yearRangeFrom"), attr(node, "yearRangeTo")
        if first or last:
            _apply_year_range(record, first, last)
        elif not date and (attr(node, "year") or attr(node, "monthOfYear")):
            raw = "-".join(attr(node, k) for k in ("year", "monthOfYear", "dayOfMonth"))
            record.unconverted("birthdate", raw)
        places = [attr(node, k) for k in ("place", "city", "zipCode", "region")]
        place = ", ".join(p for p in [*places, _description(node)] if p)
        record.add(record.party, "birthPlace", place)
        record.add(record.party, "birthCountry", country_of(node), "birth country")
        for remark in child_texts(node, "remark"):
            record.party.add("notes", f"date of birth: {remark}")


def _partial_date(node: etree._Element) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from year/monthOfYear/dayOfMonth ("0" = unknown)."""
    year, month, day = (attr(node, k) for k in ("year", "monthOfYear", "dayOfMonth"))
    if not re.fullmatch(r"\d{4}", year):
        return ""
    if not month.isdigit() or int(month) == 0:
        return year
    if not day.isdigit() or int(day) == 0:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _apply_year_range(record: Record, first: str, last: str) -> None:
    """A ``yearRangeFrom``/``yearRangeTo`` span becomes one ``birthDate`` per year."""
    if not (first.isdigit() and last.isdigit()) or int(last) < int(first):
        record.unconverted("birthdate", f"between {first or '?'} and {last or '?'}")
        return
    record.party.add("notes", f"date of birth between {first} and {last}")
    if int(last) - int(first) > MAX_BIRTH_YEAR_SPAN:
        years = [first, last]
    else:
        years = [str(y) for y in range(int(first), int(last) + 1)]
    for year in years:
        record.add(record.party, "birthDate", year, "birthdate")


def identification_imo_numbers(element: etree._Element) -> list[str]:
    """Numbers of ``identification`` elements whose type code is ``imo``."""
    numbers = []
    for node in children(element, "identification"):
        if attr(node, "identificationTypeCode").lower() == "imo":
            digits = re.sub(r"\D", "", attr(node, "number") or attr(node, "latinNumber"))
            if digits:
                numbers.append(digits)
    return numbers


def looks_like_organisation(name: str) -> bool:
    """Whether a name carries a legal-form or organisation word ("Co.", "Ltd", "Shipping")."""
    return bool(set(re.findall(r"[a-z]+", name.lower())) & _ORGANISATION_WORDS)


def apply_identifications(record: Record, element: etree._Element) -> None:
    """Passports become ``Passport`` entities, other documents ``Identification`` entities;
    IMO, registration, SWIFT and tax numbers become party properties."""
    party = record.party
    for node in children(element, "identification"):
        code = attr(node, "identificationTypeCode").lower()
        number = attr(node, "number") or attr(node, "latinNumber")
        if not number:
            continue
        if code in _ID_PROPERTIES:
            record.add(party, _ID_PROPERTIES[code], number, f"{code} number")
            continue
        schema = "Passport" if code == "passport" else "Identification"
        country = country_of(node)
        document = make_entity(
            schema, PREFIX, record.record_id, schema.lower(), short_hash(code, number, country)
        )
        record.add(document, "holder", party.id)
        record.add(document, "number", number)
        record.add(document, "number", attr(node, "latinNumber"))
        record.add(document, "type", attr(node, "identificationTypeDescription") or code)
        record.add(document, "country", country, "document country")
        record.add(document, "authority", attr(node, "issuedBy"))
        record.add(document, "startDate", attr(node, "issueDate"), "document issue date")
        summary = child_texts(node, "remark")
        summary += [text for key, text in _DOCUMENT_FLAGS.items() if attr(node, key) == "true"]
        if attr(node, "nameOnDocument"):
            summary.append(f"name on document: {attr(node, 'nameOnDocument')}")
        record.add(document, "summary", "; ".join(summary))
        person_doc = code == "passport" and party.schema.get("passportNumber") is not None
        record.add(party, "passportNumber" if person_doc else "idNumber", number, f"{code} number")
        record.extra.append(document)


def apply_addresses(record: Record, element: etree._Element) -> None:
    """An ``Address`` entity per address with more than a country; the party gets
    ``addressEntity``, ``address`` (full text), ``country`` and contact details."""
    party = record.party
    for node in children(element, "address"):
        country = country_of(node)
        po_box = attr(node, "poBox")
        if po_box.isdigit():
            po_box = f"PO Box {po_box}"
        parts = [attr(node, "street"), po_box]
        parts += [attr(node, k) for k in ("zipCode", "city", "place", "region")]
        if any(parts):
            full = ", ".join(p for p in [*parts, _description(node)] if p)
            address = make_entity("Address", PREFIX, record.record_id, "address", short_hash(full))
            record.add(address, "full", full)
            record.add(address, "street", attr(node, "street"))
            record.add(address, "postOfficeBox", attr(node, "poBox"))
            record.add(address, "postalCode", attr(node, "zipCode"))
            record.add(address, "city", attr(node, "city"))
            record.add(address, "region", attr(node, "region"))
            record.add(address, "country", country, "address country")
            record.add(party, "addressEntity", address.id)
            record.add(party, "address", full)
            record.extra.append(address)
        if party.schema.get("country") is not None:
            record.add(party, "country", country, "address country")
        for remark in child_texts(node, "remark"):
            party.add("notes", remark)
        for contact in children(node, "contactInfo"):
            key, value = attr(contact, "key").upper(), attr(contact, "value")
            prop = _CONTACT_PROPERTIES.get(key, "")
            for item in re.split(r"[,;]\s*", value) if prop else [value]:
                record.add(party, prop or "contact", item, key.lower() or "contact")
