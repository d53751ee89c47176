"""The EU consolidated list of persons, groups and entities subject to EU financial sanctions
(the Financial Sanctions Files XML export, schema 1.1).

Layout: a root ``<export generationDate=... globalFileId=...>`` in the namespace
``http://eu.europa.ec/fpi/fsd/export`` holding one ``<sanctionEntity logicalId=...
euReferenceNumber=... unitedNationId=... designationDetails=...>`` per listed person or
entity. Its children carry the facts in attributes: ``subjectType`` (person / enterprise),
``nameAlias``, ``citizenship``, ``birthdate``, ``identification``, ``address``, ``remark`` and
the ``regulation`` elements (programme code, publication and entry-into-force dates, the
legal act and its ``publicationUrl``) that list it.

Each ``sanctionEntity`` becomes a party (id ``eu-<logicalId>``), one ``Sanction`` and its
``Address``/``Passport``/``Identification`` entities. The list calls every non-person an
"enterprise" (companies, state bodies, armed groups alike), so those become ``Organization``;
an enterprise citing a ship's IMO number under a name without any organisation word is a
listed ship and becomes a ``Vessel``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from followthemoney import EntityProxy
from lxml import etree

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats.eu_xml_fields import (
    PREFIX,
    Record,
    alias_name,
    apply_addresses,
    apply_birthdates,
    apply_citizenships,
    apply_identifications,
    apply_names,
    attr,
    child_texts,
    children,
    end_line,
    identification_imo_numbers,
    line_of,
    looks_like_organisation,
)
from sanctionwatch.lists.identifiers import cited_imo_numbers, imo_kind
from sanctionwatch.lists.model import (
    ListEntity,
    ListFormat,
    ParseResult,
    Rejected,
    make_entity,
)
from sanctionwatch.lists.reading import iter_xml_elements, local_name

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
LIST_NAME = "eu"
FORMAT_NAME = "eu_xml"
AUTHORITY = "European Union"
_SUBJECT_SCHEMATA = {
    "person": "Person",
    "p": "Person",
    "enterprise": "Organization",
    "e": "Organization",
}
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_RAW_LIMIT = 2000


def sniff(head: bytes, path: Path) -> bool:
    """An ``<export>`` root in the FSF namespace, or a ``<sanctionEntity>`` in an XML head."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return False
    if re.search(rb"<(?:\w+:)?export\b[^>]*" + re.escape(NAMESPACE.encode()), text):
        return True
    return b"<sanctionEntity" in text or b":sanctionEntity" in text


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """One :class:`ParseResult` per export file (each file is one version of the list)."""
    return [parse_file(path) for path in paths]


def parse_file(path: Path) -> ParseResult:
    """Read one FSF export.

    Returns the parties, sanctions, addresses and documents of every usable record;
    records without a ``logicalId`` or any name are :class:`Rejected`. Raises
    :class:`InputError` (naming file and line) for broken XML or a file that is not an
    FSF export, and ``HostileInputError`` for a file declaring a DTD or entities.
    """
    result = ParseResult(list_name=LIST_NAME, format_name=FORMAT_NAME, files=[path.name])
    seen: dict[str, int] = {}
    root_checked = False
    for element in iter_xml_elements(path, {"sanctionEntity", "export"}):
        if local_name(element) == "export":
            if not root_checked:  # an export without any record
                _check_root(path, element)
                result.version = _version(path, element, result)
            break
        if not root_checked:
            root = element.getroottree().getroot()
            _check_root(path, root)
            result.version = _version(path, root, result)
            root_checked = True
        _parse_entity(path, element, result, seen)
        _release(element)
    else:
        raise InputError(f"{path}: not an EU financial sanctions export (no <export> root)")
    return result


def _check_root(path: Path, root: etree._Element) -> None:
    if local_name(root) != "export":
        raise InputError(
            f"{path}:{root.sourceline}: not an EU financial sanctions export "
            f"(root element <{local_name(root)}>, expected <export>)"
        )


def _version(path: Path, root: etree._Element, result: ParseResult) -> str | None:
    """The date part of ``generationDate`` ("2018-12-21T14:39:54.511+01:00" -> 2018-12-21)."""
    raw = attr(root, "generationDate")
    match = _ISO_DAY.match(raw)
    if match:
        return match.group(1)
    result.warnings.append(f"{path.name}:{root.sourceline}: generationDate {raw!r} is no date")
    return None


def _release(element: etree._Element) -> None:
    """Free a processed record and the emptied ones before it (bounded memory)."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _reject(path: Path, element: etree._Element, result: ParseResult, reason: str) -> None:
    raw = etree.tostring(element, encoding="unicode", with_tail=False)
    result.rejected.append(
        Rejected(file=path.name, line=line_of(element), reason=reason, raw=raw[:_RAW_LIMIT])
    )


def _parse_entity(
    path: Path, element: etree._Element, result: ParseResult, seen: dict[str, int]
) -> None:
    """Convert one ``sanctionEntity`` into entities appended to ``result``."""
    line = line_of(element)
    record_id = attr(element, "logicalId")
    if not record_id:
        _reject(path, element, result, "sanctionEntity without logicalId")
        return
    if record_id in seen:
        _reject(path, element, result, f"logicalId {record_id} repeats line {seen[record_id]}")
        return
    aliases = [a for a in children(element, "nameAlias") if alias_name(a)]
    if not aliases:
        _reject(path, element, result, f"logicalId {record_id}: no nameAlias with a name")
        return
    seen[record_id] = line
    remarks = child_texts(element, "remark")
    imo_numbers = identification_imo_numbers(element)
    imo_numbers += [n for n in cited_imo_numbers(*remarks) if n not in imo_numbers]
    schema, problem = _schema(element, alias_name(aliases[0]), imo_numbers)
    record = Record(path.name, line, record_id, make_entity(schema, PREFIX, record_id))
    if problem:
        record.unconverted("subjectType", problem)
    party = record.party
    apply_names(record, aliases)
    party.add("topics", "sanction")
    for remark in remarks:
        party.add("notes", remark)
    if party.schema.get("imoNumber") is not None:
        for number in imo_numbers:
            record.add(party, "imoNumber", number, "IMO number")
    apply_citizenships(record, element)
    apply_birthdates(record, element)
    apply_identifications(record, element)
    apply_addresses(record, element)
    sanction = _sanction(record, element)
    source = f"{path.name}:{line}-{end_line(element)}"
    for proxy in (party, sanction, *record.extra):
        result.entities.append(ListEntity(proxy, record_id=record_id, source=source))
    result.warnings.extend(record.warnings)


def _schema(element: etree._Element, name: str, imo_numbers: list[str]) -> tuple[str, str]:
    """The party schema, and the raw subject type when the list gave no usable one."""
    subject = next(iter(children(element, "subjectType")), None)
    code = "" if subject is None else attr(subject, "code") or attr(subject, "classificationCode")
    schema = _SUBJECT_SCHEMATA.get(code.lower())
    if code.lower() in ("vessel", "ship"):
        return "Vessel", ""
    if schema is None:
        # No clue from the list: the most general party schema, with the raw code kept.
        return "LegalEntity", code or "(missing)"
    # Ships are listed as enterprises; a ship's IMO number (not a company's) says which.
    ship_imo = any(imo_kind(n) == "vessel" for n in imo_numbers)
    if schema == "Organization" and ship_imo and not looks_like_organisation(name):
        return "Vessel", ""
    return schema, ""


def _sanction(record: Record, element: etree._Element) -> EntityProxy:
    """One ``Sanction`` for the listing; programme codes and dates also go on the party."""
    party = record.party
    sanction = make_entity("Sanction", PREFIX, record.record_id, "sanction")
    record.add(sanction, "entity", party.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "eu")
    record.add(sanction, "recordId", record.record_id)
    record.add(sanction, "authorityId", attr(element, "euReferenceNumber"))
    record.add(sanction, "unscId", attr(element, "unitedNationId"))
    record.add(sanction, "reason", attr(element, "designationDetails"))
    published: list[str] = []
    in_force: list[str] = []
    acts: list[str] = []
    for regulation in children(element, "regulation"):
        record.add(sanction, "program", attr(regulation, "programme"))
        record.add(party, "program", attr(regulation, "programme"))
        published += [d for d in [attr(regulation, "publicationDate")] if d]
        in_force += [d for d in [attr(regulation, "entryIntoForceDate")] if d]
        if attr(regulation, "numberTitle"):
            acts.append(attr(regulation, "numberTitle"))
        for url in child_texts(regulation, "publicationUrl") or [
            attr(regulation, "publicationUrl")
        ]:
            record.add(sanction, "sourceUrl", url, "publicationUrl")
            record.add(party, "sourceUrl", url, "publicationUrl")
    listed = attr(element, "designationDate") or min(published, default="")
    record.add(sanction, "listingDate", listed, "listing date")
    record.add(sanction, "startDate", min(in_force, default=""), "entry into force")
    record.add(party, "createdAt", listed, "listing date")
    latest = max(published + in_force, default="")
    if latest and latest != listed:
        record.add(sanction, "modifiedAt", latest, "regulation date")
        record.add(party, "modifiedAt", latest, "regulation date")
    if acts:
        sanction.add("summary", "Legal acts: " + "; ".join(dict.fromkeys(acts)))
    return sanction


FORMAT = ListFormat(
    name=FORMAT_NAME,
    description="EU consolidated financial sanctions list (FSF XML export, schema 1.1)",
    sniff=sniff,
    parse=parse,
)
