"""Risk on real traffic with no sanctioned ship in it: the Panama Canal hour
(`data/ais/aisparser_panama_20140405.nmea.gz`) and the Solent day
(`data/ais/solent_dstl_20160112.csv.gz`; provenance of both in data/ais/PROVENANCE.md),
detected, linked against the real OFAC SDN (2024-05-03) and UK (2018-04-13) lists and
scored: no vessel is "high". Four Panama craft share or nearly share a listed ship's name
(none broadcasts an IMO number); the two whose hulls cannot be the listed ship are not
linked at all, the other two stay below high.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.ais.vessels import vessel_histories
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.linking.links import link_vessels
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.risk.model import VesselRisk, score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.vessels import summaries_from_histories
from tests.conftest import OFAC_SDN_2024, UK_OFSI_2018

AIS = Path(__file__).resolve().parents[2] / "data" / "ais"
PANAMA = AIS / "aisparser_panama_20140405.nmea.gz"
SOLENT = AIS / "solent_dstl_20160112.csv.gz"


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ListStore]:
    with ListStore(tmp_path_factory.mktemp("lists") / "lists.sqlite") as store:
        load_lists(store, [OFAC_SDN_2024], workers=1)
        load_lists(store, [UK_OFSI_2018], workers=1)
        yield store


def _risks(lists: ListStore, home: Path, source: Path) -> list[VesselRisk]:
    with open_store(home) as store:
        ingest_file(store, Source(source))
        engine = DuckDBEngine(store)
        events = detect(engine, load_params(), None)
        engine.close()
        linked = link_vessels(store, lists)
        summaries = summaries_from_histories(vessel_histories(store))
    return score_vessels(summaries, events, linked.links, linked.flags, default_risk_params())


def test_no_vessel_in_the_panama_canal_hour_is_high(lists: ListStore, tmp_path: Path) -> None:
    risks = _risks(lists, tmp_path / "home", PANAMA)
    assert len(risks) >= 271
    assert [r.mmsi for r in risks if r.level == "high"] == []
    named = {r.mmsi: r for r in risks if r.links}
    # the pilot boat SIERRA and the dredger OCEANUS: name links, below high
    assert set(named) == {356049000, 370505000}
    assert all(r.score < default_risk_params()["levels"]["high"] for r in named.values())


def test_no_vessel_in_the_solent_day_is_high(lists: ListStore, tmp_path: Path) -> None:
    risks = _risks(lists, tmp_path / "home", SOLENT)
    assert len(risks) >= 90
    assert [r.mmsi for r in risks if r.level == "high"] == []
