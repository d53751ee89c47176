"""Risk on what linking really produces: a small AIS store against real OFAC SDN rows
(2024-05-03, tests/linking/data) and the UN DPRK excerpt, with the vessel summaries made
from the store's identity histories."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.ais.vessels import vessel_histories
from sanctionwatch.linking.links import link_vessels
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.vessels import summaries_from_histories
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write
from tests.conftest import FIXTURES
from tests.risk.support import encounter

ROOT = Path(__file__).resolve().parents[2]
OFAC_EXCERPT = ROOT / "tests" / "linking" / "data" / "sdn_2024-05-03.csv"
UN_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"
LAUNDERED = 352001234  # CHONG CHON GANG's IMO 7937317 as "SUNNY BAY" from a Panama MMSI
CLEAN = 352009999


def test_a_laundered_listed_imo_is_high_and_a_ship_it_met_inherits(tmp_path: Path) -> None:
    rows = [
        dma_row(f"01/03/2024 {h:02d}:00:00", str(mmsi), "38.70", "125.10", **identity)
        for h in (1, 5)
        for mmsi, identity in (
            (LAUNDERED, {"imo": "7937317", "name": "SUNNY BAY", "type": "Cargo"}),
            (CLEAN, {"imo": "9179842", "name": "ANGARA", "type": "Cargo"}),
        )
    ]
    with ListStore(tmp_path / "lists.sqlite") as lists:
        load_lists(lists, [OFAC_EXCERPT], workers=1)
        load_lists(lists, [UN_EXCERPT], workers=1)
        with open_store(tmp_path / "home") as store:
            ingest_file(store, Source(write(tmp_path / "in.csv", [DMA_HEADER, *rows])))
            result = link_vessels(store, lists)
            summaries = summaries_from_histories(vessel_histories(store))
    params = default_risk_params()
    risks = score_vessels(
        summaries, [encounter(LAUNDERED, CLEAN, 10)], result.links, result.flags, params
    )
    laundered, clean = risks
    assert (laundered.mmsi, laundered.imo, laundered.name, laundered.flag) == (
        LAUNDERED,
        7937317,
        "SUNNY BAY",
        "pa",
    )
    assert laundered.level == "high"
    factors = {f.factor: f for f in laundered.factors}
    assert set(factors) == {"sanctioned_identity", "sanctioned_owner"}
    identity = factors["sanctioned_identity"]
    assert identity.points == 100.0
    assert "ofac_sdn record 17069" in identity.reason
    assert "SUNNY BAY (listed: CHONG CHON GANG)" in identity.reason
    assert identity.reason.count("SUNNY BAY") == 1  # the link's reason says it, once
    assert {
        "kind": "list_record",
        "list": "ofac_sdn",
        "record": "17069",
        "entity_id": "ofac-17069",
        "version": "2024-05-03",
        "source": "sdn_2024-05-03.csv:5",
    } in identity.evidence
    assert [e["kind"] for e in identity.evidence] == ["identity", "list_record"]
    assert laundered.to_dict()["links"] == [
        link.to_dict() for link in result.links if link.mmsi == LAUNDERED
    ]
    # The ship that met it: half the listed ship's own score, capped, and from whom.
    assert clean.mmsi == CLEAN and clean.links == ()
    [inherited] = clean.factors
    assert inherited.factor == "encounter" and str(LAUNDERED) in inherited.reason
    assert inherited.points == min(
        laundered.score * params["encounter"]["share"], params["encounter"]["max_points"]
    )
    assert clean.level == "medium"
