"""What both UK list CSVs (the legacy OFSI consolidated list and the FCDO UK Sanctions List)
need beyond reading values (``uk_text``): rows grouped by record id, the name types, and a
builder that turns the rows of one designation into one party with its sub-entities.

Both lists publish one row per name (and often one per name x address x date of birth), all
sharing one record id (OFSI "Group ID", FCDO "Unique ID"); :func:`group_rows` gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy

from sanctionwatch.lists.formats.uk_text import (
    clean,
    document_numbers,
    header_key,
    parse_uk_date,
    raw_row,
    split_numbered,
)
from sanctionwatch.lists.model import (
    ListEntity,
    ParseResult,
    Rejected,
    country_code,
    make_entity,
    short_hash,
)


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
        first, last = min(row.line for row in self.rows), max(row.line for row in self.rows)
        return f"{path.name}:{first}" if first == last else f"{path.name}:{first}-{last}"


def group_rows(
    rows: Iterable[Row], id_key: str, id_label: str, path: Path, result: ParseResult
) -> list[RowGroup]:
    """Rows grouped by record id in order of first appearance; rows without an id are rejected."""
    groups: dict[str, RowGroup] = {}
    for row in rows:
        record_id = row.get(id_key)
        if not record_id:
            result.rejected.append(
                Rejected(path.name, row.line, f"no {id_label}", raw_row(row.raw))
            )
            continue
        groups.setdefault(record_id, RowGroup(record_id)).rows.append(row)
    return list(groups.values())


def choose_type(
    group: RowGroup, key: str, precedence: Sequence[str], path: Path, result: ParseResult
) -> str:
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
            f"{path.name} {group.record_id}: rows disagree on {key} "
            f"({', '.join(sorted(counts))}); "
            f"used {chosen!r}"
        )
    return chosen


class PartyBuilder:
    """Builds one listed party and the entities that hang off it (addresses, documents,
    owners, the sanction) from the values of one record, keeping every value it cannot
    convert in the party's notes and warning about it."""

    def __init__(
        self,
        schema: str,
        prefix: str,
        group: RowGroup,
        path: Path,
        result: ParseResult,
        country_codes: dict[str, str | None],
    ) -> None:
        self.prefix = prefix
        self.group = group
        self.path = path
        self.result = result
        self.party = make_entity(schema, prefix, group.record_id)
        self._subs: dict[str, tuple[EntityProxy, int]] = {}
        self._notes: dict[str, None] = {}
        self._warned: set[tuple[str, str]] = set()
        # Shared by all builders of one file: country lookups are slow and repeat a lot.
        self.country_codes = country_codes

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

    def add_document(self, schema: str, number: str, summary: str, line: int) -> None:
        """A Passport or Identification entity, with the number also on the party."""
        document = self._sub(
            schema, "passport" if schema == "Passport" else "id", number, line=line
        )
        document.add("holder", self.party.id)
        document.add("number", number)
        document.add("type", "passport" if schema == "Passport" else "national identifier")
        if summary and summary != number:
            document.add("summary", summary)
        is_passport = schema == "Passport" and "passportNumber" in self.party.schema.properties
        self.add("passportNumber" if is_passport else "idNumber", number, "Document number")

    def add_owner(self, name: str, line: int) -> None:
        """A LegalEntity for a vessel's owner or operator as the list names it."""
        if "owner" not in self.party.schema.properties:  # an owner named on a non-vessel row
            self.keep_raw("Owner", name)
            return
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
        if prop.type.name == "country":
            value = self._country(text)
        else:
            value = prop.type.clean(text, format=prop.format, proxy=proxy)
        if value is None:
            if proxy is self.party:
                self.keep_raw(label, text)
            else:
                self.note(f"{label} as listed: {text}")
            return False
        proxy.add(prop_name, value, cleaned=True)
        return True

    def _country(self, text: str) -> str | None:
        """ISO code for a country as the UK lists write it ("Afghanistan (since 2009)"):
        as written, then without the parenthetical (the full text stays elsewhere). No fuzzy
        matching: a near miss ("Niger" for "Nigeria") would be a wrong fact in evidence."""
        if text not in self.country_codes:
            code = country_code(text)
            bare = clean(re.sub(r"\([^)]*\)", " ", text))
            if code is None and bare and bare != text:
                code = country_code(bare)
            self.country_codes[text] = code
        return self.country_codes[text]


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
    items = [(item, document_numbers(item)) for item in split_numbered(cell)]
    any_number = any(numbers for _item, numbers in items)
    for item, numbers in items:
        if not numbers and any_number:
            # A label before numbered items ("Passport No: (a) ... (b) ..."): noted, no warning.
            builder.note(f"{label} as listed: {item}")
        elif not numbers:
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
