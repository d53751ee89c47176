"""What a list parser produces: FollowTheMoney entities with their provenance.

Every parser (one module per format in ``lists/formats``) turns one or more files into a
:class:`ParseResult`. Each :class:`ListEntity` wraps one FtM entity and says where it came
from: the list's own record id (UN reference number, OFAC ent_num, UK group id, EU logical
id) and the file and line range it was read from. Every value of the entity comes from that
one source record, so the record provenance is the provenance of each value; the store adds
the list name and version.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model, registry

# Schemata that stand for a listed party (as opposed to Sanction, Address, Identification
# and link entities that hang off one).
PARTY_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
)


@dataclass(frozen=True)
class Rejected:
    """A row or record that could not be used, kept with its reason (nothing vanishes)."""

    file: str
    line: int
    reason: str
    raw: str = ""


@dataclass
class ListEntity:
    """One FtM entity and the source record it came from."""

    proxy: EntityProxy
    record_id: str
    source: str  # "file-name:first_line-last_line" (or "file-name" where lines are unknown)

    @property
    def entity_id(self) -> str:
        return str(self.proxy.id)


@dataclass
class ParseResult:
    """What one parse of one list (one file, or one set of files such as OFAC's four CSVs) gave."""

    list_name: str  # "un", "ofac_sdn", "ofac_cons", "uk_ofsi", "uk_sanctions_list", "eu", "ftm"
    format_name: str  # the format module's name, e.g. "un_xml"
    files: list[str]
    version: str | None = None  # the list's own publication date (ISO), when the content has it
    entities: list[ListEntity] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ListFormat:
    """A supported list format: how to recognise it and how to read it.

    ``sniff`` gets the first bytes of a file (up to 64 KiB) and its path, and answers whether
    this format can read it. The decision must rest on content; the path may only break a tie
    that content cannot (OFAC SDN versus consolidated non-SDN files share one layout).
    ``parse`` gets every path the user named in this format (already grouped) and returns
    one :class:`ParseResult` per list read.
    """

    name: str
    description: str
    sniff: Callable[[bytes, Path], bool]
    parse: Callable[[Sequence[Path]], list[ParseResult]]


def make_entity(schema: str, *id_parts: str) -> EntityProxy:
    """A new FtM entity with a deterministic id built from ``id_parts``.

    Ids read like ``un-kpi-033`` or ``ofac-12345-address-3f2a9c1b``: the first parts are
    slugs, so that an analyst can tell the list and record from the id alone.
    """
    proxy = model.make_entity(schema)
    proxy.id = "-".join(slug(p) for p in id_parts if p)
    return proxy


@lru_cache(maxsize=1 << 16)  # ids repeat their list prefix and record id for every sub-entity
def slug(text: str) -> str:
    """Lower-case ASCII slug; non-ASCII text (names in other scripts) becomes a short hash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-").replace(".", "-")
    if not value:
        return short_hash(text)
    return value


def short_hash(*parts: Any) -> str:
    """A short, stable hash of the given values (for ids of addresses and documents)."""
    data = "\x1f".join(str(part) for part in parts)  # unit separator: cannot occur in list text
    return hashlib.sha1(data.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


@lru_cache(maxsize=1 << 13)
def country_code(text: str, fuzzy: bool = False) -> str | None:
    """FtM's country cleaning (name or code -> ISO code), memoised: lists repeat a few hundred
    country names tens of thousands of times, and each uncached lookup is slow."""
    code = registry.country.clean(text, fuzzy=fuzzy)
    return str(code) if code else None


def warm_up() -> None:
    """Build FollowTheMoney's country tables now (the first country lookup takes a second or
    more), so that worker processes forked afterwards share them."""
    country_code("Korea, North")


def entity_data(proxy: EntityProxy) -> dict[str, Any]:
    """The entity as a plain dict with sorted property values, so equal entities hash equal."""
    # FtM keeps each property's values unique already; sorting makes the order canonical.
    props = {k: sorted(v) for k, v in sorted(proxy.properties.items()) if v}
    return {"id": proxy.id, "schema": proxy.schema.name, "properties": props}
