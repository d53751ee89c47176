"""What the store holds: per list, its versions, counts by schema and programme, and the
entries of the North Korea (DPRK) regimes, which this project watches most closely."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sanctionwatch.lists.model import PARTY_SCHEMATA
from sanctionwatch.lists.store import ListStore, ListVersion

# Programme names of the DPRK regimes as each publisher writes them: UN "DPRK", OFAC "DPRK",
# "DPRK2".."DPRK4" and "DPRK-NKSPEA", EU "PRK", UK "Democratic People's Republic of Korea".
DPRK_PROGRAMME = re.compile(
    r"DPRK|NKSPEA|^PRK$|North Korea|Democratic People.s Republic of Korea", re.IGNORECASE
)


ORGANISATION_SCHEMATA = ("Organization", "Company", "LegalEntity", "PublicBody")


def is_dprk(programs: list[str]) -> bool:
    return any(DPRK_PROGRAMME.search(p) for p in programs)


@dataclass
class ListSummary:
    list_name: str
    latest: ListVersion
    versions: list[str]
    schemata: dict[str, int]
    programmes: Counter[str] = field(default_factory=Counter)
    dprk: dict[str, int] = field(default_factory=dict)  # by schema
    dprk_vessels_with_imo: int = 0
    dprk_ids: set[str] = field(default_factory=set)  # ids of the DPRK parties

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list_name,
            "version": self.latest.version,
            "version_source": self.latest.version_source,
            "versions": self.versions,
            "loaded_at": self.latest.loaded_at,
            "entities": self.latest.entity_count,
            "rejected": self.latest.rejected_count,
            "warnings": len(self.latest.warnings),
            "schemata": self.schemata,
            "programmes": dict(self.programmes.most_common()),
            "dprk": self.dprk,
            "dprk_vessels_with_imo": self.dprk_vessels_with_imo,
        }


def summarise(store: ListStore, list_name: str, version: str | None = None) -> ListSummary:
    """Counts for one list's version (the latest unless ``version`` is given)."""
    chosen = store.find_version(list_name, version)
    summary = ListSummary(
        list_name=list_name,
        latest=chosen,
        versions=[v.version for v in store.versions(list_name)],
        schemata=store.schema_counts(chosen.id),
    )
    dprk: Counter[str] = Counter()
    for entity in store.iter_entities(chosen.id):
        if entity.schema not in PARTY_SCHEMATA:
            continue
        programs = entity.data["properties"].get("program", [])
        summary.programmes.update(programs)
        if is_dprk(programs):
            dprk[entity.schema] += 1
            summary.dprk_ids.add(entity.entity_id)
            if entity.schema == "Vessel" and entity.data["properties"].get("imoNumber"):
                summary.dprk_vessels_with_imo += 1
    summary.dprk = dict(sorted(dprk.items()))
    return summary
