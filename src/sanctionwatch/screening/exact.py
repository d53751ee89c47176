"""Exact name lookup: a query matches a listed entity when one of its names (primary, alias,
previous or weak alias) is the same after normalisation (case, accents, punctuation, word
order). The fuzzy, cross-script screening engine builds on the same store; this is the
baseline it must beat, and what ``make demo`` shows until it lands.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from sanctionwatch.lists.model import PARTY_SCHEMATA
from sanctionwatch.lists.store import ListStore

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")


def normalise_name(name: str) -> str:
    """Case-folded, accent-free, punctuation-free, with its words sorted."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"\w+", stripped.casefold())
    return " ".join(sorted(words))


@dataclass(frozen=True)
class ExactMatch:
    list_name: str
    version: str
    entity_id: str
    record_id: str
    schema: str
    caption: str
    matched_name: str
    matched_property: str


class ExactIndex:
    """Normalised names of every party in the latest version of every list."""

    def __init__(self, store: ListStore) -> None:
        self._names: dict[str, list[ExactMatch]] = defaultdict(list)
        for list_name in store.list_names():
            version = store.find_version(list_name)
            for entity in store.iter_entities(version.id):
                if entity.schema not in PARTY_SCHEMATA:
                    continue
                for prop in NAME_PROPERTIES:
                    for name in entity.data["properties"].get(prop, []):
                        key = normalise_name(name)
                        if key:
                            self._names[key].append(
                                ExactMatch(
                                    list_name,
                                    version.version,
                                    entity.entity_id,
                                    entity.record_id,
                                    entity.schema,
                                    entity.caption,
                                    name,
                                    prop,
                                )
                            )

    def lookup(self, name: str) -> list[ExactMatch]:
        """Entities with a name equal to ``name`` after normalisation, one row per entity."""
        seen: set[str] = set()
        found = []
        for match in self._names.get(normalise_name(name), []):
            if match.entity_id not in seen:
                seen.add(match.entity_id)
                found.append(match)
        return found
