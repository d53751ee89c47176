"""Paths and small helpers shared by the OFAC parser tests."""

from __future__ import annotations

import csv
from pathlib import Path

from followthemoney import EntityProxy

from sanctionwatch.lists.model import ParseResult

HERE = Path(__file__).resolve()
REAL = HERE.parents[3] / "data" / "lists" / "ofac"
FIXTURES = HERE.parents[2] / "data" / "lists" / "ofac"
SDN_2024 = REAL / "sdn_2024-05-03.csv"
SET_2021 = REAL / "sdn_set_2021-07-07"
AUX_2025 = REAL / "aux_2025-12-24"
CONS = REAL / "cons_nonsdn_2025-12-19"
BROKEN = FIXTURES / "broken_set"


def plain_rows(path: Path) -> list[list[str]]:
    """The file's records by a plain csv pass (the 0x1A end-of-file line left out)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if row != ["\x1a"]]


def set_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def one(results: list[ParseResult]) -> ParseResult:
    assert len(results) == 1
    return results[0]


def by_id(result: ParseResult) -> dict[str, EntityProxy]:
    return {entity.entity_id: entity.proxy for entity in result.entities}


def parties(result: ParseResult) -> list[EntityProxy]:
    """The listed parties (not the owner LegalEntities that vessels point to)."""
    return [e.proxy for e in result.entities if e.entity_id == f"ofac-{e.record_id}"]


def of_record(result: ParseResult, ent_num: str) -> dict[str, EntityProxy]:
    return {e.entity_id: e.proxy for e in result.entities if e.record_id == ent_num}
