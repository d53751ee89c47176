"""A name match is a namesake, not the listed ship, when the broadcast hull cannot be the
listed ship (its AIS type is of another kind, or its length is out of proportion to the
listed tonnage): the rule linking already applies to a listed IMO number (a zombie identity).

Found on real traffic: in the Panama Canal hour (`data/ais/aisparser_panama_20140405.nmea.gz`,
provenance in data/ais/PROVENANCE.md), the canal tug ESPERANZA (AIS type 52, 30 m) was linked
by name to OFAC's crude oil tanker ESPERANZA (ent_num 26704) and the 13 m sailing yacht MARIDA
to the general cargo ship MARIA (46773), each then scoring "medium" through the listed ships'
owners; in generated Yellow Sea traffic, fishing boats and small craft named FU FORTUNE or
GOLDEN PHOENIX crowded name-only evaders in the risk ranking the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.linking.links import LinkStats, link_vessels
from sanctionwatch.linking.model import LinkResult
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write
from tests.conftest import OFAC_SDN_2024

ROOT = Path(__file__).resolve().parents[2]
PANAMA = ROOT / "data" / "ais" / "aisparser_panama_20140405.nmea.gz"
ESPERANZA_TUG = 372914000  # AIS type 52 (tug), 30 m
MARIDA_YACHT = 244070612  # AIS type 36 (sailing), 13 m
SIERRA_PILOT = 356049000  # AIS type 50 (pilot vessel), 10 m: nothing the list says contradicts it
FORTUNE_TANKER = 636000101
FORTUNE_TRAWLER = 412000102
FORTUNE_SMALL = 412000103


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ListStore]:
    with ListStore(tmp_path_factory.mktemp("lists") / "lists.sqlite") as store:
        load_lists(store, [OFAC_SDN_2024], workers=1)
        yield store


def _linked(lists: ListStore, home: Path, source: Path) -> tuple[LinkResult, LinkStats]:
    stats = LinkStats()
    with open_store(home) as store:
        ingest_file(store, Source(source))
        return link_vessels(store, lists, stats=stats), stats


def _names(result: LinkResult, mmsi: int) -> set[tuple[str, str]]:
    return {(link.via, link.record) for link in result.links if link.mmsi == mmsi}


def test_canal_craft_are_not_the_listed_tanker_or_cargo_ship_they_are_named_like(
    lists: ListStore, tmp_path: Path
) -> None:
    result, stats = _linked(lists, tmp_path / "home", PANAMA)
    assert _names(result, ESPERANZA_TUG) == set()
    assert _names(result, MARIDA_YACHT) == set()
    assert stats.homonyms >= 2
    # A pilot boat's type says nothing against a tanker, and OFAC gives SIERRA no tonnage:
    # the name link stays (weak, and not enough for "high").
    assert ("name", "29487") in _names(result, SIERRA_PILOT)


def test_a_name_link_stands_when_the_hull_fits_and_falls_when_it_cannot(
    lists: ListStore, tmp_path: Path
) -> None:
    # OFAC 15068 FORTUNE: Chemical/Products Tanker, 25,214 GRT (so 73-352 m long).
    rows = [
        dma_row("01/03/2024 01:00:00", str(mmsi), "38.70", "125.10", name="FORTUNE", **hull)
        for mmsi, hull in (
            (FORTUNE_TANKER, {"type": "Tanker", "length": "175"}),
            (FORTUNE_TRAWLER, {"type": "Fishing", "length": "38"}),
            (FORTUNE_SMALL, {"type": "Cargo", "length": "24"}),  # a cargo type, too small
        )
    ]
    source = write(tmp_path / "in.csv", [DMA_HEADER, *rows])
    result, _ = _linked(lists, tmp_path / "home", source)
    assert ("name", "15068") in _names(result, FORTUNE_TANKER)
    assert not any(record == "15068" for _, record in _names(result, FORTUNE_TRAWLER))
    assert not any(record == "15068" for _, record in _names(result, FORTUNE_SMALL))
