"""The records and pairs of the DPRK/Russia pair generator (bench/screening_pairs.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    """The main entity of one list record."""

    source: str  # "UN KPi.033", "OFAC 20157", "UK 13454"
    schema: str
    name: str
    aliases: tuple[str, ...]
    imo: str
    years: frozenset[str]  # birth years
    dprk: bool  # on a DPRK programme, or a DPRK national
    russia: bool  # on a RUSSIA programme
    foreign: bool  # a national of a country whose names are not Korean
    russian: bool  # a Russian national


@dataclass(frozen=True)
class Pair:
    schema: str
    name1: str
    name2: str
    is_match: bool
    category: str
    source: str
    imo1: str = ""
    imo2: str = ""

    def row(self) -> list[str]:
        label = "true" if self.is_match else "false"
        fields = [self.schema, self.name1, self.name2, label, self.category, self.source]
        return [*fields, self.imo1, self.imo2]
