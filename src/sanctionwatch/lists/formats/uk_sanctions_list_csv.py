"""The UK Sanctions List CSV published by the FCDO (sanctionslist.fcdo.gov.uk), which replaced
OFSI's consolidated list as the one UK list.

Layout: an optional first line ``Report Date: 13-Feb-2026``; a header naming some 58 columns
(``Last Updated, Unique ID, OFSI Group ID, UN Reference Number, Name 6, Name 1 .. Name 5,
Name type, Alias strength, ..., Regime Name, Designation Type, ...``); then one row per name,
all rows of one designation sharing a ``Unique ID`` such as ``DPR0001``. Columns are found by
header name, never position; a few columns have had more than one published name (the
individual/entity/ship column is "Designation Type" in recent files, "Individual, Entity, Ship"
in older ones), so each field accepts its known names. Unknown columns are reported once and
their values kept in the party's notes.

Entities: "Company" when the list's "Type of entity" reads like a company, "Organization" when
it names another kind of body, "LegalEntity" when it is blank (the list gives no clue).
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

LIST_NAME = "uk_sanctions_list"
PREFIX = "uk"
AUTHORITY = "UK Foreign, Commonwealth & Development Office"
# The publication page of the list (also stated in the loader's source configuration).
SOURCE_URL = "https://sanctionslist.fcdo.gov.uk/"

# Field -> the header names it has been published under (compared with header_key).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "regime": ("Regime Name", "Regime"),
    "designationtype": ("Designation Type", "Individual, Entity, Ship", "Entity type"),
    "aliasstrength": ("Alias strength", "Alias quality"),
    "dob": ("D.O.B", "Date of birth", "DOB"),
    "nationality": ("Nationality(/ies)", "Nationality", "Nationalities"),
    "datedesignated": ("Date Designated",),
}
_PLAIN = (
    *("Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number"),
    *("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6", "Name type", "Title"),
    *("Name non-latin script", "Non-latin script type", "Non-latin script language"),
    *("Designation source", "Sanctions Imposed", "Other Information", "UK Statement of Reasons"),
    *("Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5"),
    *("Address Line 6", "Address Postal Code", "Address Country"),
    *("Phone number", "Website", "Email address"),
    *("National Identifier number", "National Identifier additional information"),
    *("Passport number", "Passport additional information"),
    *("Position", "Gender", "Town of birth", "Country of birth"),
    *("Type of entity", "Subsidiaries", "Parent company", "Business registration number (s)"),
    *("IMO number", "Current owner/operator (s)", "Previous owner/operator (s)"),
    *("Current believed flag of ship", "Previous flags", "Type of ship", "Tonnage of ship"),
    *("Length of ship", "Year Built", "Hull identification number (HIN)"),
)
_FIELD_BY_HEADER = {header_key(h): header_key(h) for h in _PLAIN} | {
    header_key(name): field for field, names in _SYNONYMS.items() for name in names
}
_NAME_KEYS = [f"name{i}" for i in range(1, 7)]
_ADDRESS_KEYS = [f"addressline{i}" for i in range(1, 7)]
_COMPANY_KINDS = re.compile(
    r"compan|corporat|enterprise|\b(llc|ltd|limited|jsc|pjsc|ojsc|cjsc|plc|gmbh|inc|fze|llp|bank)\b",
    re.IGNORECASE,
)
_DOCUMENT_COLUMNS = (
    ("Passport", "passportnumber", "Passport number"),
    ("Identification", "nationalidentifiernumber", "National Identifier number"),
)
# Free-text fields that have no FtM property: kept in the notes under their column name.
_NOTED = {
    "subsidiaries": "Subsidiaries",
    "parentcompany": "Parent company",
    "previousowneroperators": "Previous owner/operator (s)",
    "lengthofship": "Length of ship",
    "nonlatinscripttype": "Non-latin script type",
    "nonlatinscriptlanguage": "Non-latin script language",
}


def sniff(head: bytes, path: Path) -> bool:
    """True when one of the first two lines is a header with "Unique ID" and "Regime Name"."""
    for row in sniff_lines(head, 2):
        fields = {_FIELD_BY_HEADER.get(header_key(cell)) for cell in row}
        if {"uniqueid", "regime"} <= fields:
            return True
    return False


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """One :class:`ParseResult` per file; raises InputError for a file of another format."""
    return [parse_file(path) for path in paths]


def parse_file(path: Path) -> ParseResult:
    """Read one UK Sanctions List CSV: one party (plus sub-entities) per Unique ID."""
    result = ParseResult(
        list_name=LIST_NAME, format_name="uk_sanctions_list_csv", files=[path.name]
    )
    rows = iter_csv_rows(path)
    header_line = next(rows, None)
    report_date = ""
    if header_line and clean(header_line[1][0]).lower().startswith("report date"):
        report_date = clean(" ".join(header_line[1]).split(":", 1)[-1])
        header_line = next(rows, None)
    if header_line is None:
        raise InputError(f"{path}:1: empty file; not a UK Sanctions List CSV")
    header = [clean(cell) for cell in header_line[1]]
    keys, unknown = _column_keys(header)
    if "uniqueid" not in keys:
        raise InputError(f"{path}:{header_line[0]}: not a UK Sanctions List CSV (no 'Unique ID')")
    if unknown:
        result.warnings.append(f"{path.name}: unknown columns kept in notes: {', '.join(unknown)}")
    if report_date:
        result.version = parse_uk_date(report_date)
        if result.version is None:
            result.warnings.append(f"{path.name}:1: report date {report_date!r} not understood")
    country_codes: dict[str, str | None] = {}
    newest: list[str] = []
    for group in group_rows(
        _data_rows(rows, keys, path, result), "uniqueid", "Unique ID", path, result
    ):
        newest.extend(d for d in map(parse_uk_date, group.values("lastupdated")) if d)
        _build_party(group, path, result, unknown, country_codes)
    full_dates = [d for d in newest if len(d) == 10]
    if result.version is None and full_dates:  # no report date: the newest change stands in
        result.version = max(full_dates)
    return result


def _column_keys(header: list[str]) -> tuple[list[str], list[str]]:
    """Field key per column, and the unknown column names (kept under their own name)."""
    keys: list[str] = []
    unknown: list[str] = []
    for name in header:
        field = _FIELD_BY_HEADER.get(header_key(name))
        if field is None or field in keys:  # a second column for one field is not guessed at
            unknown.append(name)
            field = name
        keys.append(field)
    return keys, unknown


def _data_rows(
    rows: Iterator[tuple[int, list[str]]], keys: list[str], path: Path, result: ParseResult
) -> Iterator[Row]:
    for line, cells in rows:
        if len(cells) != len(keys):
            reason = f"expected {len(keys)} columns, found {len(cells)}"
            result.rejected.append(Rejected(path.name, line, reason, raw_row(cells)))
            continue
        yield Row(line, dict(zip(keys, cells, strict=True)), cells)


def _schema(group: RowGroup, path: Path, result: ParseResult) -> str:
    precedence = ("individual", "ship", "entity")
    kind = choose_type(group, "designationtype", precedence, path, result)
    if kind == "individual":
        return "Person"
    if kind == "ship" or (not kind and group.values("imonumber")):
        return "Vessel"
    if kind != "entity":
        result.warnings.append(
            f"{path.name} {group.record_id}: designation type {kind!r} unknown; read as an entity"
        )
    entity_kinds = group.values("typeofentity")
    if any(_COMPANY_KINDS.search(k) for k in entity_kinds):
        return "Company"
    return "Organization" if entity_kinds else "LegalEntity"


def _names(group: RowGroup, builder: PartyBuilder) -> list[ListedName]:
    names: list[ListedName] = []
    for row in group.rows:
        parts = tuple(row.get(k) for k in _NAME_KEYS)
        whole = join_name(parts)
        prop = name_property(row.get("nametype"), row.get("aliasstrength"))
        if prop is None:
            if row.get("nametype"):
                builder.keep_raw("Name type", row.get("nametype"))
            prop = "alias"
        if whole:
            names.append(ListedName(prop, whole, parts, row.line))
        if row.get("namenonlatinscript"):  # screened as an alias, in its own script
            names.append(ListedName("alias", row.get("namenonlatinscript"), (), row.line))
    return names


def _build_party(
    group: RowGroup,
    path: Path,
    result: ParseResult,
    unknown: list[str],
    country_codes: dict[str, str | None],
) -> None:
    builder = PartyBuilder(_schema(group, path, result), PREFIX, group, path, result, country_codes)
    if not apply_names(builder, _names(group, builder)):
        first = group.rows[0]
        reason = f"no name in any row of Unique ID {group.record_id}"
        result.rejected.append(Rejected(path.name, first.line, reason, raw_row(first.raw)))
        return
    for row in group.rows:
        _add_row_details(builder, row, unknown)
    party = builder.party
    sanction = builder.sanction()
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "gb")
    sanction.add("sourceUrl", SOURCE_URL)
    sanction.add("recordId", group.record_id)
    sanction.add("unscId", group.values("unreferencenumber"))
    # OFSI administers the asset freezes: its Group ID links this record to the OFSI list.
    sanction.add("authorityId", group.values("ofsigroupid"))
    for regime in group.values("regime"):
        party.add("program", regime)
        sanction.add("program", regime)
    for source in group.values("designationsource"):
        sanction.add("summary", f"Designation source: {source}")
    for imposed in group.values("sanctionsimposed"):
        sanction.add("provisions", [clean(p) for p in imposed.split("|") if clean(p)])
    sanction.add("reason", group.values("ukstatementofreasons"))
    designated = dated(builder, group.values("datedesignated"), "Date Designated")
    if designated:
        party.add("createdAt", designated[0])
        sanction.add("listingDate", designated[0])
    updated = dated(builder, group.values("lastupdated"), "Last Updated")
    if updated:
        party.add("modifiedAt", updated[-1])
        sanction.add("modifiedAt", updated[-1])
    for text in group.values("otherinformation"):
        builder.note(text)
    party.add("topics", "sanction")
    party.add("sourceUrl", SOURCE_URL)
    result.entities.extend(builder.entities())


def _add_row_details(builder: PartyBuilder, row: Row, unknown: list[str]) -> None:
    get = row.get
    builder.add("title", get("title"), "Title")
    for dob in split_numbered(get("dob")):
        builder.add_date("birthDate", dob, "D.O.B")
    for nationality in split_numbered(get("nationality")):
        builder.add("nationality", nationality, "Nationality")
    builder.add("position", get("position"), "Position")
    builder.add("gender", get("gender"), "Gender")
    builder.add("birthPlace", get("townofbirth"), "Town of birth")
    builder.add("birthCountry", get("countryofbirth"), "Country of birth")
    if get("passportnumber"):
        extra = get("passportadditionalinformation")
        add_documents(
            builder, "Passport", get("passportnumber"), extra, row.line, "Passport number"
        )
    if get("nationalidentifiernumber"):
        extra = get("nationalidentifieradditionalinformation")
        add_documents(
            builder,
            "Identification",
            get("nationalidentifiernumber"),
            extra,
            row.line,
            "National Identifier number",
        )
    builder.add_address(
        [get(k) for k in _ADDRESS_KEYS], get("addresspostalcode"), get("addresscountry"), row.line
    )
    builder.add("phone", get("phonenumber"), "Phone number")
    builder.add("website", get("website"), "Website")
    for email in re.split(r"[;,\s]+", get("emailaddress")):
        builder.add("email", email, "Email address")
    builder.add("legalForm", get("typeofentity"), "Type of entity")
    for number in split_numbered(get("businessregistrationnumbers")):
        builder.add("registrationNumber", number, "Business registration number (s)")
    _add_ship_details(builder, row)
    for key, label in _NOTED.items():
        if get(key):
            builder.note(f"{label}: {get(key)}")
    for column in unknown:
        if get(column):
            builder.note(f"{column}: {get(column)}")


def _add_ship_details(builder: PartyBuilder, row: Row) -> None:
    get = row.get
    for imo in split_numbered(get("imonumber")):
        builder.add("imoNumber", imo, "IMO number")
    for owner in split_numbered(get("currentowneroperators")):
        builder.add_owner(owner, row.line)
    builder.add("flag", get("currentbelievedflagofship"), "Current believed flag of ship")
    for flag in split_numbered(get("previousflags")):
        for part in flag.split(";"):
            builder.add("pastFlags", part, "Previous flags")
    builder.add("type", get("typeofship"), "Type of ship")
    builder.add("tonnage", get("tonnageofship"), "Tonnage of ship")
    if get("yearbuilt"):
        builder.add_date("buildDate", get("yearbuilt"), "Year Built")
    builder.add("registrationNumber", get("hullidentificationnumberhin"), "HIN")


FORMAT = ListFormat(
    name="uk_sanctions_list_csv",
    description="UK Sanctions List (FCDO) CSV",
    sniff=sniff,
    parse=parse,
)
