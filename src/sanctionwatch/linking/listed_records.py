"""The records linking reads from the lists: a listed entity's provenance, a listed ship
with what identifies it, and the parties named as its owners; and the name keys companies and
ships are looked up by."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rigour.text import ascii_text

_PARENTHESISED = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class ListedRecord:
    """Where a listed entity comes from: the list-record evidence of a link."""

    entity_id: str
    caption: str
    schema: str
    list_name: str
    version: str
    record_id: str
    source: str  # "file:first_line-last_line" as the store keeps it

    def evidence(self) -> dict[str, Any]:
        return {
            "kind": "list_record",
            "list": self.list_name,
            "record": self.record_id,
            "entity_id": self.entity_id,
            "version": self.version,
            "source": self.source,
        }


@dataclass(frozen=True)
class Owner:
    """A party a list names as a listed ship's owner, operator or manager (``role``)."""

    entity_id: str
    names: tuple[str, ...]
    role: str  # "owner", "operator", "Ownership", "Linked To", ...
    listed: ListedRecord | None  # the party itself, when it is listed


@dataclass
class ListedVessel:
    record: ListedRecord
    names: list[tuple[str, str]]  # (property, value): name, alias, weakAlias
    previous_names: list[str]
    imo_numbers: list[str]  # seven digits, ship check digit valid
    mmsis: list[int]
    flags: list[str]  # ISO 3166 alpha-2, lower case
    types: list[str]
    gross_tonnage: float | None
    length_m: float | None  # only where the list says it (UK notes)
    owners: list[Owner] = field(default_factory=list)


def name_key(name: str) -> str:
    """Lower-case ASCII words: "Ocean Maritime Management Company, Limited" and "OCEAN
    MARITIME MANAGEMENT COMPANY LIMITED" have one key."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text(name).lower()))


def company_keys(name: str) -> set[str]:
    """The name's key, and its key without parenthesised parts: the UN writes "OCEAN
    MARITIME MANAGEMENT COMPANY, LIMITED (OMM)" where OFAC has no "(OMM)"."""
    keys = {name_key(name), name_key(_PARENTHESISED.sub(" ", name))}
    return {key for key in keys if key}
