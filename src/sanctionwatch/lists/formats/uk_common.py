"""What both UK list CSVs (the legacy OFSI consolidated list and the FCDO UK Sanctions List)
need: their date conventions, their numbered lists, reading rows by header name, and a builder
that turns the rows of one designation into one party with its sub-entities.

Both lists publish one row per name (and often one per name x address x date of birth), all
sharing one record id (OFSI "Group ID", FCDO "Unique ID"); :func:`group_rows` gathers them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney import EntityProxy

from sanctionwatch.lists.model import ListEntity, ParseResult, Rejected, make_entity, short_hash

RAW_LIMIT = 2000
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# dd/mm/yyyy where unknown parts are "00" (OFSI) or the letters "dd"/"mm" (FCDO).
_DMY = re.compile(r"^(\d{1,2}|dd|00)[/.-](\d{1,2}|mm|00)[/.-](\d{4})$", re.IGNORECASE)
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ](\d{4})$")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# "1) Saudi Arabia 2) Qatar", "(1) x (2) y", "a) x b) y": the markers, not their content.
_NUMBERED = re.compile(r"(?:^|\s|(?<=[.,;]))\(?(?:\d{1,2}|[a-h])\)\s*")
# Document numbers inside free text: at least four digits, optionally after a short
# upper-case series ("PS 563410163", "SE 012820", "A-333602"); never part of a date.
_DOC_NUMBER = re.compile(r"(?<![\w./-])((?:[A-Z]{1,4}[ -]?)?\d[\dA-Z-]{3,})(?![\w/]|\.\d)")
_YEAR = re.compile(r"^(19|20)\d\d$")


def clean(text: str | None) -> str:
    """Text with runs of whitespace collapsed and the ends stripped ('' for None)."""
    return " ".join(text.split()) if text else ""


def parse_uk_date(raw: str) -> str | None:
    """An ISO date (possibly partial) from the UK lists' formats, or None when not understood.

    ``"12/03/1980"`` -> ``"1980-03-12"``; ``"00/00/1980"`` and ``"dd/mm/1980"`` -> ``"1980"``;
    ``"00/05/1980"`` -> ``"1980-05"``; ``"13-Feb-2026"`` -> ``"2026-02-13"``; ISO passes through.
    """
    text = clean(raw)
    if _ISO.match(text):
        return text
    match = _DMY.match(text)
    if match:
        day_text, month_text, year_text = match.groups()
        day = int(day_text) if day_text.isdigit() else 0
        month = int(month_text) if month_text.isdigit() else 0
        year = int(year_text)
    else:
        match = _D_MON_Y.match(text)
        if not match or match.group(2).lower() not in _MONTHS:
            return None
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
    if month == 0:
        return f"{year:04d}" if day == 0 else None
    if day == 0:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 31/02/1980: the list says something impossible; keep it raw
        return None


def split_numbered(text: str) -> list[str]:
    """Items of a numbered list such as ``"1) Saudi Arabia 2) Qatar"``; one item if unnumbered."""
    text = clean(text)
    if not _NUMBERED.search(text):
        return [text] if text else []
    items = (clean(part).strip(" ,;") for part in _NUMBERED.split(text))
    return [item for item in items if item]


def document_numbers(text: str) -> list[str]:
    """Document numbers found in free text such as ``"836110034 (diplomatic). Expires ..."``.

    Years and dates are skipped; a bare short number ("7190") is taken when it is all there is.
    """
    found = [m.strip(" -") for m in _DOC_NUMBER.findall(text) if not _YEAR.match(m)]
    if not found and re.fullmatch(r"[A-Z]{0,3}\s?\d{2,}", clean(text)):
        found = [clean(text)]
    return list(dict.fromkeys(found))


def join_name(parts: Iterable[str]) -> str:
    """A whole name from its parts (given names first, as both UK lists order Name 1 .. 6)."""
    return " ".join(p for p in (clean(part) for part in parts) if p)


def raw_row(cells: Sequence[str]) -> str:
    """A row serialised back to one CSV line, trimmed for a :class:`Rejected` record."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()[:RAW_LIMIT]


def sniff_lines(head: bytes, count: int) -> list[list[str]]:
    """The first ``count`` CSV records of a file head (decoded leniently), for sniffing."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:count]
    try:
        return [[clean(cell) for cell in row] for row in csv.reader(lines)]
    except csv.Error:
        return []


def header_key(name: str) -> str:
    """Header names compared without case or spacing: ``"Regime Name"`` == ``"regime name"``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Row:
    """One CSV data row: its physical line and its cells keyed by the parser's field names."""

    line: int
    cells: dict[str, str]
    raw: list[str]

    def get(self, key: str) -> str:
        return clean(self.cells.get(key))


@dataclass
class RowGroup:
    """All rows that share one record id, in file order."""

    record_id: str
    rows: list[Row] = field(default_factory=list)

    def values(self, key: str) -> list[str]:
        """The distinct non-empty values of one field across the rows, in file order."""
        return list(dict.fromkeys(v for v in (row.get(key) for row in self.rows) if v))

    def source(self, path: Path) -> str:
        lines = [row.line for row in self.rows]
        return f"{path.name}:{min(lines)}-{max(lines)}"


def group_rows(
    rows: Iterable[Row], id_key: str, path: Path, result: ParseResult
) -> list[RowGroup]:
    """Rows grouped by record id in order of first appearance; rows without an id are rejected."""
    groups: dict[str, RowGroup] = {}
    for row in rows:
        record_id = row.get(id_key)
        if not record_id:
            result.rejected.append(
                Rejected(path.name, row.line, f"no {id_key}", raw_row(row.raw))
            )
            continue
        groups.setdefault(record_id, RowGroup(record_id)).rows.append(row)
    return list(groups.values())


def choose_type(group: RowGroup, key: str, precedence: Sequence[str], result: ParseResult) -> str:
    """The group's type when its rows disagree: the type most rows give, ties broken by
    ``precedence`` (so the answer never depends on row order); a warning names the conflict."""
    counts: dict[str, int] = {}
    for row in group.rows:
        value = row.get(key).lower()
        if value:
            counts[value] = counts.get(value, 0) + 1
    if not counts:
        return ""
    rank = {name: i for i, name in enumerate(precedence)}
    chosen = min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), v))
    if len(counts) > 1:
        result.warnings.append(
            f"{group.record_id}: rows disagree on {key} ({', '.join(sorted(counts))}); "
            f"used {chosen!r}"
        )
    return chosen


class PartyBuilder:
    """Builds one listed party and the entities that hang off it (addresses, documents,
    owners, the sanction) from the values of one record, keeping every value it cannot
    convert in the party's notes and warning about it."""

    def __init__(
        self, schema: str, prefix: str, group: RowGroup, path: Path, result: ParseResult
    ) -> None:
        self.prefix = prefix
        self.group = group
        self.path = path
        self.result = result
        self.party = make_entity(schema, prefix, group.record_id)
        self._subs: dict[str, tuple[EntityProxy, int]] = {}
        self._notes: dict[str, None] = {}
        self._warned: set[tuple[str, str]] = set()

    def add(self, prop: str, raw: str, label: str) -> bool:
        """Add a raw value to a party property, converted by FtM; keep it raw if it cannot be."""
        return self._add_to(self.party, prop, raw, label)

    def add_date(self, prop: str, raw: str, label: str) -> None:
        """Add a date written in a UK format (see :func:`parse_uk_date`)."""
        text = clean(raw)
        if text:
            iso = parse_uk_date(text)
            if iso is None:
                self.keep_raw(label, text)
            else:
                self.add(prop, iso, label)

    def note(self, text: str) -> None:
        """Add a note to the party (kept once)."""
        text = clean(text)
        if text:
            self._notes.setdefault(text, None)

    def keep_raw(self, label: str, raw: str) -> None:
        """A value the parser could not convert: into the notes, with a warning."""
        self.note(f"{label} as listed: {raw}")
        if (label, raw) in self._warned:
            return
        self._warned.add((label, raw))
        self.result.warnings.append(
            f"{self.path.name} {self.group.record_id}: {label} {raw!r} not understood; "
            "kept in notes"
        )

    def add_address(self, parts: Sequence[str], postal_code: str, country: str, line: int) -> None:
        """An Address entity from address lines; the lines' meaning varies by record, so only
        the first becomes ``street``; the whole text is always kept in ``full``."""
        lines = [p for p in (clean(part) for part in parts) if p]
        postal_code, country = clean(postal_code), clean(country)
        full = ", ".join([*lines, postal_code, country] if postal_code else [*lines, country])
        full = full.strip(", ")
        if not full:
            return
        address = self._sub("Address", "address", full, line=line)
        address.add("full", full)
        if lines:
            address.add("street", lines[0])
        address.add("postalCode", postal_code or None)
        if country:
            self._add_to(address, "country", country, "Address country")
            self.add("country", country, "Address country")
        self.party.add("addressEntity", address.id)
        self.add("address", full, "Address")

    def add_document(
        self, schema: str, number: str, summary: str, line: int, authority: str = ""
    ) -> None:
        """A Passport or Identification entity, with the number also on the party."""
        document = self._sub(schema, "passport" if schema == "Passport" else "id", number, line=line)
        document.add("holder", self.party.id)
        document.add("number", number)
        document.add("type", "passport" if schema == "Passport" else "national identifier")
        document.add("authority", authority or None)
        if summary and summary != number:
            document.add("summary", summary)
        is_passport = schema == "Passport" and "passportNumber" in self.party.schema.properties
        self.add("passportNumber" if is_passport else "idNumber", number, "Document number")

    def add_owner(self, name: str, line: int) -> None:
        """A LegalEntity for a vessel's owner or operator as the list names it."""
        owner = self._sub("LegalEntity", "owner", name, line=line)
        owner.add("name", name)
        self.add("owner", str(owner.id), "Owner")

    def sanction(self) -> EntityProxy:
        """The one Sanction entity of this listing (created on first use)."""
        sanction = self._sub("Sanction", "sanction", None, line=self.group.rows[0].line)
        sanction.add("entity", self.party.id)
        return sanction

    def entities(self) -> list[ListEntity]:
        """The party (notes attached) and its sub-entities, wrapped with their provenance."""
        for text in self._notes:
            self.party.add("notes", text)
        record_id = self.group.record_id
        built = [ListEntity(self.party, record_id, self.group.source(self.path))]
        for proxy, line in self._subs.values():
            source = self.group.source(self.path) if proxy.schema.name == "Sanction" else None
            built.append(ListEntity(proxy, record_id, source or f"{self.path.name}:{line}"))
        return built

    def _sub(self, schema: str, kind: str, content: str | None, line: int) -> EntityProxy:
        parts = [self.prefix, self.group.record_id, kind]
        if content is not None:
            parts.append(short_hash(content))
        proxy = make_entity(schema, *parts)
        key = str(proxy.id)
        if key not in self._subs:
            self._subs[key] = (proxy, line)
        return self._subs[key][0]

    def _add_to(self, proxy: EntityProxy, prop_name: str, raw: str, label: str) -> bool:
        text = clean(raw)
        if not text:
            return False
        prop = proxy.schema.properties.get(prop_name)
        if prop is None:  # e.g. a Title on a row of an entity: not lost, but not a property
            self.keep_raw(label, text)
            return False
        value = prop.type.clean(text, format=prop.format, proxy=proxy)
        if value is None and prop.type.name == "country":
            value = prop.type.clean(text, fuzzy=True, proxy=proxy)
        if value is None:
            if proxy is self.party:
                self.keep_raw(label, text)
            else:
                self.note(f"{label} as listed: {text}")
            return False
        proxy.add(prop_name, value, cleaned=True)
        return True


# Name types of both lists (OFSI "Alias Type", FCDO "Name type"), compared by header_key.
_NAME_TYPES = {
    "primaryname": "name",
    "primealias": "name",
    "primarynamevariation": "alias",  # spelling variants of the primary name
    "alias": "alias",
    "aka": "alias",
    "fka": "previousName",
    "formerlyknownas": "previousName",
}


@dataclass(frozen=True)
class ListedName:
    """One name row: its whole name, its parts (Name 1 .. Name 6) and the property it feeds."""

    prop: str
    whole: str
    parts: tuple[str, ...]
    line: int


def name_property(name_type: str, strength: str) -> str | None:
    """``name``/``alias``/``weakAlias``/``previousName`` for a list's name type and alias
    strength (``"Low quality"`` or ``"weak"`` aliases are weak); None when the type is unknown."""
    prop = _NAME_TYPES.get(header_key(name_type))
    if prop == "alias" and re.search(r"\b(low|weak)\b", strength, re.IGNORECASE):
        return "weakAlias"
    return prop


def apply_names(builder: PartyBuilder, names: Sequence[ListedName]) -> bool:
    """Put a record's names on its party; False when it has none at all.

    With no primary name the first alias (in file order) becomes the name, with a warning,
    because screening needs a name; a name is never repeated as an alias of itself.
    """
    primary = [n for n in names if n.prop == "name"]
    if not primary:
        fallback = [n for n in names if n.prop in ("alias", "weakAlias", "previousName")]
        if not fallback:
            return False
        primary = [ListedName("name", fallback[0].whole, fallback[0].parts, fallback[0].line)]
        builder.result.warnings.append(
            f"{builder.path.name} {builder.group.record_id}: no primary name; "
            f"used {primary[0].whole!r}"
        )
    taken = {n.whole for n in primary}
    for entry in primary:
        builder.party.add("name", entry.whole)
        if builder.party.schema.name == "Person" and any(entry.parts):
            first, *middle, last = entry.parts
            builder.party.add("firstName", clean(first) or None)
            builder.party.add("middleName", [clean(m) for m in middle if clean(m)])
            builder.party.add("lastName", clean(last) or None)
    for prop in ("alias", "weakAlias", "previousName"):
        for entry in names:
            if entry.prop == prop and entry.whole not in taken:
                builder.party.add(prop, entry.whole)
                taken.add(entry.whole)
    return True


def add_documents(
    builder: PartyBuilder, schema: str, cell: str, extra: str, line: int, label: str
) -> None:
    """Passport or Identification entities from a free-text cell (numbered lists allowed);
    ``extra`` (the list's additional information) joins each document's summary."""
    for item in split_numbered(cell):
        numbers = document_numbers(item)
        if not numbers and len(item) <= 25 and re.search(r"\d", item):
            numbers = [item]
        if not numbers:
            builder.keep_raw(label, item)
        summary = clean(f"{item} {extra}")
        for number in numbers:
            builder.add_document(schema, number, summary, line)


def dated(builder: PartyBuilder, values: Iterable[str], label: str) -> list[str]:
    """The ISO dates among ``values``, sorted; the others are kept raw with a warning."""
    found = []
    for value in values:
        iso = parse_uk_date(value)
        if iso is None:
            builder.keep_raw(label, value)
        else:
            found.append(iso)
    return sorted(set(found))
