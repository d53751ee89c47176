"""HM Treasury OFSI "Consolidated List of Targets" CSV (the legacy UK list).

Layout: line 1 ``Last Updated,dd/mm/yyyy``; line 2 the header (29 columns in the legacy
format, starting ``Name 6,Name 1``); then one row per name or alias variant (and per
address and date of birth), all rows of one target sharing a ``Group ID``. Windows-1252.
Columns are read by header name, so the 2022 layout (36 columns, non-Latin names, passport
and national-id numbers, group type ``Ship``) reads too; unknown columns are kept in notes.

Ships: the legacy list files them as ``Entity`` and gives the IMO number in Other Information
(``IMO: 8937675``, ``(IMO number: 7303803)``). An entity whose Other Information cites a ship
IMO number becomes a Vessel; a shipping company citing its IMO *company* number becomes a
Company (only ship owners and managers have one); other entities are LegalEntity, since the
list says nothing about what kind of entity they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats.uk_common import (
    ListedName,
    PartyBuilder,
    Row,
    RowGroup,
    add_documents,
    apply_names,
    choose_type,
    dated,
    group_rows,
    name_property,
)
from sanctionwatch.lists.formats.uk_text import (
    clean,
    header_key,
    join_name,
    parse_uk_date,
    raw_row,
    sniff_lines,
    split_numbered,
)
from sanctionwatch.lists.model import ListFormat, ParseResult, Rejected
from sanctionwatch.lists.reading import iter_csv_rows

LIST_NAME = "uk_ofsi"
PREFIX = "uk-ofsi"
AUTHORITY = "HM Treasury OFSI"
# The publication page of the list (also stated in the loader's source configuration).
SOURCE_URL = (
    "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"
)

_NAME_KEYS = [f"name{i}" for i in range(1, 7)]
_ADDRESS_KEYS = [f"address{i}" for i in range(1, 7)]
KNOWN_COLUMNS = frozenset(
    [
        *_NAME_KEYS,
        *_ADDRESS_KEYS,
        *("title", "dob", "townofbirth", "countryofbirth", "nationality", "passportdetails"),
        *("ninumber", "position", "postzipcode", "country", "otherinformation", "grouptype"),
        *("aliastype", "regime", "listedon", "lastupdated", "groupid"),
        # added by the 2022 layout
        *("namenonlatinscript", "nonlatinscripttype", "nonlatinscriptlanguage"),
        *("passportnumber", "nationalidentificationnumber", "nationalidentificationdetails"),
        *("aliasquality", "uksanctionslistdatedesignated"),
    ]
)
_IMO = re.compile(r"\bIMO(?:\s*(?:number|no\.?))?\s*\)?\s*[:.]?\s*(\d{7})\b", re.IGNORECASE)
_COMPANY_WORDS = re.compile(
    r"\b(CO|LTD|LIMITED|COMPANY|CORP|CORPORATION|INC|LLC|SHIPPING|MANAGEMENT|TRADING)\b",
    re.IGNORECASE,
)
_MMSI = re.compile(r"\bMMSI\s*(?:number|no\.?)?\s*\)?\s*[:.]?\s*(\d{9})\b", re.IGNORECASE)
_FLAG = re.compile(r"\bFlag(?: State)?\s*\)?\s*:\s*([^.;(]+)", re.IGNORECASE)
_FORMER_NAME = re.compile(r"\bFormerly known as ([^.;(]+)", re.IGNORECASE)
_UN_REF = re.compile(
    r"\bUN\s*Ref(?:erence)?(?:\s*(?:No|Number))?[\s.:]*([A-Z]{2,3}\.?[A-Z0-9]+(?:\.[A-Z0-9]+)*)",
    re.IGNORECASE,
)


def sniff(head: bytes, path: Path) -> bool:
    """True for a ``Last Updated,...`` line followed by a header starting ``Name 6,Name 1``."""
    rows = sniff_lines(head, 2)
    return (
        len(rows) == 2
        and bool(rows[0])
        and header_key(rows[0][0]) == "lastupdated"
        and [header_key(cell) for cell in rows[1][:2]] == ["name6", "name1"]
    )


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """One :class:`ParseResult` per file; raises InputError for a file of another format."""
    return [parse_file(path) for path in paths]


def parse_file(path: Path) -> ParseResult:
    """Read one OFSI consolidated list CSV: one party (plus sub-entities) per Group ID."""
    result = ParseResult(list_name=LIST_NAME, format_name="uk_ofsi_csv", files=[path.name])
    rows = iter_csv_rows(path)
    first = next(rows, None)
    if first is None or header_key(first[1][0]) != "lastupdated":
        raise InputError(f"{path}:1: not an OFSI consolidated list (no 'Last Updated' line)")
    stated = clean(first[1][1]) if len(first[1]) > 1 else ""
    result.version = parse_uk_date(stated) if stated else None
    if stated and result.version is None:
        result.warnings.append(f"{path.name}:1: publication date {stated!r} not understood")
    header_line = next(rows, None)
    if header_line is None or [header_key(c) for c in header_line[1][:2]] != ["name6", "name1"]:
        line = header_line[0] if header_line else 2
        raise InputError(
            f"{path}:{line}: not an OFSI consolidated list (no 'Name 6,Name 1' header)"
        )
    header = [clean(cell) for cell in header_line[1]]
    unknown = [h for h in header if header_key(h) not in KNOWN_COLUMNS]
    if unknown:
        result.warnings.append(f"{path.name}: unknown columns kept in notes: {', '.join(unknown)}")
    data = _data_rows(rows, header, path, result)
    country_codes: dict[str, str | None] = {}
    for group in group_rows(data, "groupid", "Group ID", path, result):
        _build_party(group, path, result, unknown, country_codes)
    return result


def _data_rows(
    rows: Iterator[tuple[int, list[str]]], header: list[str], path: Path, result: ParseResult
) -> Iterator[Row]:
    keys = [header_key(h) if header_key(h) in KNOWN_COLUMNS else h for h in header]
    for line, cells in rows:
        if len(cells) != len(header):
            reason = f"expected {len(header)} columns, found {len(cells)}"
            result.rejected.append(Rejected(path.name, line, reason, raw_row(cells)))
            continue
        yield Row(line, dict(zip(keys, cells, strict=True)), cells)


def _ship_and_company_imos(group: RowGroup, names: list[str]) -> tuple[list[str], list[str]]:
    """IMO numbers cited in Other Information, split into ship numbers and company numbers
    (a company number is introduced as one, or belongs to a party named like a company)."""
    companyish = any(_COMPANY_WORDS.search(name) for name in names)
    ships: list[str] = []
    companies: list[str] = []
    for text in group.values("otherinformation"):
        for match in _IMO.finditer(text):
            context = text[max(0, match.start() - 30) : match.start()]
            is_company = companyish or "company" in context.lower()
            (companies if is_company else ships).append(match.group(1))
    return list(dict.fromkeys(ships)), list(dict.fromkeys(companies))


def _schema(
    group: RowGroup, path: Path, result: ParseResult, names: list[str]
) -> tuple[str, list[str]]:
    group_type = choose_type(group, "grouptype", ("individual", "ship", "entity"), path, result)
    ship_imos, company_imos = _ship_and_company_imos(group, names)
    if group_type == "individual":
        return "Person", []
    if group_type == "ship" or ship_imos:
        return "Vessel", ship_imos  # a company number cited beside it stays in the notes
    if group_type != "entity":
        result.warnings.append(
            f"{path.name} {group.record_id}: group type {group_type!r} unknown; read as an entity"
        )
    return ("Company" if company_imos else "LegalEntity"), company_imos


def _names(group: RowGroup, builder: PartyBuilder | None) -> list[ListedName]:
    names: list[ListedName] = []
    for row in group.rows:
        parts = tuple(row.get(k) for k in [*_NAME_KEYS[:5], "name6"])
        whole = join_name(parts)
        prop = name_property(row.get("aliastype"), row.get("aliasquality"))
        if prop is None:
            if builder is not None and row.get("aliastype"):
                builder.keep_raw("Alias Type", row.get("aliastype"))
            prop = "alias"
        if whole:
            names.append(ListedName(prop, whole, parts, row.line))
        if row.get("namenonlatinscript"):
            names.append(ListedName("alias", row.get("namenonlatinscript"), (), row.line))
    return names


def _build_party(
    group: RowGroup,
    path: Path,
    result: ParseResult,
    unknown: list[str],
    country_codes: dict[str, str | None],
) -> None:
    wholes = [n.whole for n in _names(group, None)]
    schema, imos = _schema(group, path, result, wholes)
    builder = PartyBuilder(schema, PREFIX, group, path, result, country_codes)
    if not apply_names(builder, _names(group, builder)):
        first = group.rows[0]
        reason = f"no name in any row of Group ID {group.record_id}"
        result.rejected.append(Rejected(path.name, first.line, reason, raw_row(first.raw)))
        return
    party = builder.party
    for imo in imos:
        builder.add("imoNumber", f"IMO{imo}", "IMO number")
    for row in group.rows:
        _add_row_details(builder, row, unknown)
    sanction = builder.sanction()
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "gb")
    sanction.add("sourceUrl", SOURCE_URL)
    sanction.add("recordId", group.record_id)
    for regime in group.values("regime"):
        party.add("program", regime)
        sanction.add("program", regime)
    listed = dated(builder, group.values("listedon"), "Listed On")
    if listed:
        party.add("createdAt", listed[0])
        sanction.add("listingDate", listed[0])
    updated = dated(builder, group.values("lastupdated"), "Last Updated")
    if updated:
        party.add("modifiedAt", updated[-1])
        sanction.add("modifiedAt", updated[-1])
    for designated in dated(builder, group.values("uksanctionslistdatedesignated"), "UK date"):
        sanction.add("startDate", designated)
    for text in group.values("otherinformation"):
        builder.note(text)
        sanction.add("unscId", [m.group(1) for m in _UN_REF.finditer(text)])
        if schema == "Vessel":
            for mmsi in _MMSI.findall(text):
                builder.add("mmsi", mmsi, "MMSI")
            for flag in _FLAG.findall(text):
                builder.add("flag", flag, "Flag")
            for former in _FORMER_NAME.findall(text):
                builder.add("previousName", former, "Former name")
    party.add("topics", "sanction")
    party.add("sourceUrl", SOURCE_URL)
    result.entities.extend(builder.entities())


def _add_row_details(builder: PartyBuilder, row: Row, unknown: list[str]) -> None:
    builder.add("title", row.get("title"), "Title")
    if row.get("dob"):
        builder.add_date("birthDate", row.get("dob"), "DOB")
    builder.add("birthPlace", row.get("townofbirth"), "Town of Birth")
    for country in split_numbered(row.get("countryofbirth")):
        builder.add("birthCountry", country, "Country of Birth")
    for nationality in split_numbered(row.get("nationality")):
        builder.add("nationality", nationality, "Nationality")
    builder.add("position", row.get("position"), "Position")
    passport_cells = [row.get("passportnumber"), row.get("passportdetails")]
    if passport_cells[0]:  # 2022 layout: the number, then the details about it
        add_documents(
            builder, "Passport", passport_cells[0], passport_cells[1], row.line, "Passport"
        )
    elif passport_cells[1]:
        add_documents(builder, "Passport", passport_cells[1], "", row.line, "Passport Details")
    id_cell = row.get("nationalidentificationnumber") or row.get("ninumber")
    if id_cell:
        details = row.get("nationalidentificationdetails")
        add_documents(builder, "Identification", id_cell, details, row.line, "NI Number")
    builder.add_address(
        [row.get(k) for k in _ADDRESS_KEYS], row.get("postzipcode"), row.get("country"), row.line
    )
    for column in unknown:
        if row.get(column):
            builder.note(f"{column}: {row.get(column)}")


FORMAT = ListFormat(
    name="uk_ofsi_csv",
    description="HM Treasury OFSI Consolidated List of Targets (CSV, legacy and 2022 layouts)",
    sniff=sniff,
    parse=parse,
)
