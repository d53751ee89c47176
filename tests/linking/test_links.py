"""link_vessels on small AIS stores (DMA CSV rows) against real OFAC SDN rows (2024-05-03,
tests/linking/data) and the UN DPRK excerpt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.linking.links import LinkStats, link_vessels
from sanctionwatch.linking.listed import load_listed
from sanctionwatch.linking.model import LinkResult
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write
from tests.conftest import FIXTURES

OFAC_EXCERPT = Path(__file__).parent / "data" / "sdn_2024-05-03.csv"
UN_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"
FTM_EXCERPT = "opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json"
DAY = "01/03/2024"


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ListStore]:
    with ListStore(tmp_path_factory.mktemp("lists") / "lists.sqlite") as store:
        load_lists(store, [OFAC_EXCERPT], workers=1)
        load_lists(store, [UN_EXCERPT], workers=1)
        yield store


def ais(tmp_path: Path, rows: list[str]) -> PositionStore:
    store = open_store(tmp_path / "home")
    if rows:
        ingest_file(store, Source(write(tmp_path / "in.csv", [DMA_HEADER, *rows])))
    return store


def row(hour: int, mmsi: int, **identity: str) -> str:
    return dma_row(f"{DAY} {hour:02d}:00:00", str(mmsi), "38.70", "125.10", **identity)


def run(tmp_path: Path, lists: ListStore, rows: list[str]) -> tuple[LinkResult, LinkStats]:
    stats = LinkStats()
    with ais(tmp_path, rows) as store:
        return link_vessels(store, lists, stats=stats), stats


def by_mmsi(result: LinkResult, mmsi: int) -> list[tuple[str, str, str, float]]:
    return [
        (link.entity_id, link.list, link.via, round(link.confidence, 3))
        for link in result.links
        if link.mmsi == mmsi
    ]


def test_a_listed_imo_under_another_name_and_flag_is_the_listed_ship(
    tmp_path: Path, lists: ListStore
) -> None:
    # CHONG CHON GANG (OFAC 17069, IMO 7937317, DPRK flag) as "SUNNY BAY" from a Panama MMSI
    rows = [row(h, 352001234, imo="7937317", name="SUNNY BAY", type="Cargo") for h in (1, 5)]
    result, _ = run(tmp_path, lists, rows)
    link, *owners = result.links
    assert (link.mmsi, link.entity_id, link.list, link.record) == (
        352001234,
        "ofac-17069",
        "ofac_sdn",
        "17069",
    )
    assert link.via == "imo" and link.confidence == 1.0
    assert link.laundering == (
        "name SUNNY BAY (listed: CHONG CHON GANG); flag PA by MID 352 (listed: KP)"
    )
    assert "IMO 7937317 (check digit valid)" in link.reason
    identity, record = link.evidence
    assert identity["kind"] == "identity" and identity["field"] == "imo"
    assert identity["value"] == 7937317 and identity["mmsi"] == 352001234
    assert identity["source"] == f"{tmp_path / 'in.csv'}:2"  # the first of the two rows
    # Times as the events give theirs: ISO 8601, UTC (DMA's 01/03/2024 is 1 March).
    assert (identity["first_seen"], identity["last_seen"]) == (
        "2024-03-01T01:00:00Z",
        "2024-03-01T05:00:00Z",
    )
    assert record == {
        "kind": "list_record",
        "list": "ofac_sdn",
        "record": "17069",
        "entity_id": "ofac-17069",
        "version": "2024-05-03",
        "source": "sdn_2024-05-03.csv:5",
    }
    assert result.flags == ()  # a cargo type for a general cargo ship: no contradiction
    # The UN record of OMM says it is "the operator/manager of the vessel Chong Chon Gang";
    # OFAC lists OMM too, under the same name.
    assert [(o.entity_id, o.via, o.confidence) for o in owners] == [
        ("ofac-17068", "owner", 0.8),
        ("un-kpe-020", "owner", 0.8),
    ]
    assert "'operator (the text of un record KPe.020)'" in owners[1].reason


def test_a_listed_ship_by_name_only_is_a_weak_name_link(tmp_path: Path, lists: ListStore) -> None:
    result, _ = run(tmp_path, lists, [row(1, 457000001, name="DAWNLIGHT")])
    [link] = result.links
    assert (link.entity_id, link.via, link.laundering) == ("ofac-18346", "name", None)
    # exact name: 1.0, times 0.85 for a ship named without IMO (engine), times 0.7 (linking)
    assert link.confidence == pytest.approx(0.85 * 0.7)
    kinds = [e["kind"] for e in link.evidence]
    assert kinds == ["identity", "list_record", "screening"]
    assert link.evidence[0]["field"] == "name" and link.evidence[0]["value"] == "DAWNLIGHT"
    assert link.evidence[2]["explanation"]["matched_name"] == "DAWNLIGHT"


def test_an_earlier_broadcast_name_and_a_listed_former_name_are_former_name_links(
    tmp_path: Path, lists: ListStore
) -> None:
    rows = [
        row(1, 574000001, name="STAR 18"),  # STAR 18 (OFAC 28716) earlier ...
        row(9, 574000001, name="OCEAN PEARL"),  # ... then a new name
        row(2, 574000002, name="SAM 5"),  # STAR 18's former name on the list (f.k.a.)
    ]
    result, _ = run(tmp_path, lists, rows)
    # each STAR 18 link brings its "Linked To" company, THINH CUONG COMPANY LIMITED, at 0.7
    # times the ship link's confidence
    assert by_mmsi(result, 574000001) == [
        ("ofac-28716", "ofac_sdn", "former_name", 0.595),
        ("ofac-27688", "ofac_sdn", "owner", round(0.7 * 0.595, 3)),
    ]
    [(entity, _, via, confidence), owner] = by_mmsi(result, 574000002)
    assert (entity, via) == ("ofac-28716", "former_name")
    assert confidence == pytest.approx(0.95 * 0.85 * 0.7, abs=1e-3)  # previousName weighs 0.95
    assert owner[:3] == ("ofac-27688", "ofac_sdn", "owner")


def test_the_same_name_with_another_valid_imo_is_a_namesake_not_a_link(
    tmp_path: Path, lists: ListStore
) -> None:
    # DAWNLIGHT is listed with IMO 9110236; this one broadcasts its own valid IMO 9300001
    result, stats = run(tmp_path, lists, [row(1, 219000001, name="DAWNLIGHT", imo="9300001")])
    assert result.links == ()
    assert stats.homonyms == 1


def test_an_unlisted_vessel_and_one_without_identity_get_nothing(
    tmp_path: Path, lists: ListStore
) -> None:
    rows = [
        row(1, 219000002, name="ELBE TRADER", imo="9300013", type="Cargo"),
        row(2, 219000003),  # positions only: no name, IMO, call sign or type
    ]
    result, stats = run(tmp_path, lists, rows)
    assert result == LinkResult((), ())
    assert stats.vessels == 1  # only the first has an identity history


def test_an_empty_ais_store_links_nothing(tmp_path: Path, lists: ListStore) -> None:
    result, stats = run(tmp_path, lists, [])
    assert result == LinkResult((), ()) and stats.vessels == 0


def test_two_mmsis_broadcasting_one_listed_imo_at_once_are_borrowed_identities(
    tmp_path: Path, lists: ListStore
) -> None:
    # DINO I (OFAC 15904, IMO 9569671): MMSI 1 from 01:00 to 05:00, MMSI 2 from 03:00 to 07:00
    rows = [
        row(1, 422000001, imo="9569671", name="DINO I"),
        row(5, 422000001, imo="9569671", name="DINO I"),
        row(3, 667000001, imo="9569671", name="DINO"),
        row(7, 667000001, imo="9569671", name="DINO"),
        row(8, 422000002, imo="9569671", name="DINO I"),  # after both: a later, separate use
    ]
    result, _ = run(tmp_path, lists, rows)
    borrowed = [f for f in result.flags if f.kind == "borrowed_identity"]
    assert [f.mmsi for f in borrowed] == [422000001, 667000001]
    assert "broadcast at the same time by MMSI 667000001" in borrowed[0].reason
    sources = sorted(e["source"] for e in borrowed[0].evidence if e["kind"] == "identity")
    assert sources == [f"{tmp_path / 'in.csv'}:{line}" for line in (2, 4)]
    # all three are the listed ship by IMO; DINO I's "Linked To" company comes with each
    assert {(k.mmsi, k.entity_id, k.via) for k in result.links if k.via == "imo"} == {
        (422000001, "ofac-15904", "imo"),
        (667000001, "ofac-15904", "imo"),
        (422000002, "ofac-15904", "imo"),
    }
    assert ("ofac-15117", "ofac_sdn", "owner", 0.7) in by_mmsi(result, 422000001)


def test_a_listed_mmsi_links_and_brings_the_listed_owner(tmp_path: Path, lists: ListStore) -> None:
    # ST. VITAMIN (OFAC 27200): no IMO on the list, MMSI 375311000, owner Beratex Group Limited
    result, _ = run(tmp_path, lists, [row(1, 375311000, name="VITAMIN")])
    assert by_mmsi(result, 375311000) == [
        ("ofac-27200", "ofac_sdn", "mmsi", 0.9),
        ("ofac-27194", "ofac_sdn", "owner", 0.72),  # 0.8 (named owner) x 0.9 (the ship link)
    ]
    owner = result.links[1]
    assert "BERATEX GROUP LIMITED" in owner.reason and "'owner'" in owner.reason
    records = [e["record"] for e in owner.evidence if e["kind"] == "list_record"]
    assert records == ["27200", "27194"]


def test_a_linked_to_operator_listed_twice_is_linked_on_both_lists(
    tmp_path: Path, lists: ListStore
) -> None:
    # EVER BRIGHT 88 (IMO 8914934) is "Linked To" OMM, which the UN lists too (KPe.020)
    result, _ = run(tmp_path, lists, [row(1, 352001235, imo="8914934", name="EVER BRIGHT 88")])
    assert by_mmsi(result, 352001235) == [
        ("ofac-19570", "ofac_sdn", "imo", 1.0),
        ("ofac-17068", "ofac_sdn", "owner", 0.7),
        ("un-kpe-020", "un", "owner", 0.7),
    ]


def test_a_hull_too_small_for_the_listed_tanker_is_a_zombie(
    tmp_path: Path, lists: ListStore
) -> None:
    # ARTAVIL (OFAC 15036): crude tanker of 56,068 GRT; here a 40 m pleasure craft
    rows = [row(1, 422000009, imo="9187629", name="ARTAVIL", type="Pleasure", length="40")]
    result, _ = run(tmp_path, lists, rows)
    [flag] = result.flags
    assert flag.kind == "zombie_identity" and flag.mmsi == 422000009
    assert "broadcast length 40 m" in flag.reason and "56,068 gross tons" in flag.reason
    assert "ship type 37 (pleasure)" in flag.reason
    link = result.links[0]  # still the listed ship, by its IMO, from another MMSI
    assert (link.entity_id, link.via) == ("ofac-15036", "imo")
    assert link.laundering == "MMSI 422000009 (listed: 572469210)"


def test_the_saved_lists_are_read_again_when_a_list_version_changes(tmp_path: Path) -> None:
    rows = [row(1, 352001235, imo="8914934", name="EVER BRIGHT 88")]
    with ais(tmp_path / "ais", rows) as store, ListStore(tmp_path / "lists.sqlite") as lists:
        load_lists(lists, [OFAC_EXCERPT], workers=1)
        before = link_vessels(store, lists)
        assert (tmp_path / "linking-lists.pickle").exists()
        load_lists(lists, [UN_EXCERPT], workers=1)  # the UN lists OMM too
        after = link_vessels(store, lists)
    owners = [[k.entity_id for k in r.links if k.via == "owner"] for r in (before, after)]
    assert owners == [["ofac-17068"], ["ofac-17068", "un-kpe-020"]]


def test_owners_named_only_in_list_text_are_read_both_ways(tmp_path: Path) -> None:
    with ListStore(tmp_path / "lists.sqlite") as lists:
        for path in (FIXTURES / "eu" / "eu_fsf_excerpt.xml", FIXTURES / "ftm" / FTM_EXCERPT):
            load_lists(lists, [path], workers=1)
        data = load_listed(lists)
    # EU CHON MA SAN: "Registered owner: Korea Achim Shipping Co." in its remark
    [owner] = data.by_entity["eu-13618"].owners
    assert owner.names == ("Korea Achim Shipping Co",)
    assert owner.role == "registered owner (the text of eu record 13618)"
    assert owner.listed is None  # a name; the OFAC (FtM) company of that name is found by it
    assert data.companies["korea achim shipping co"][0].entity_id == "ofac-23707"
    # EU Korea Samjong Shipping: "Registered owner of DPRK tankers SAM JONG 1 and SAM JONG 2";
    # the FtM excerpt lists SAM JONG 1 (with its "Linked To" company, KOREA SAMJONG SHIPPING CO)
    owners = data.by_entity["ofac-23733"].owners
    assert [(o.entity_id, o.role) for o in owners] == [
        ("ofac-23712", "Linked To"),
        ("eu-13613", "registered owner (the text of eu record 13613)"),
    ]


def test_a_length_or_type_against_the_length_and_type_a_list_gives(tmp_path: Path) -> None:
    # UK sample ANGARA (RUS1790, IMO 9179842): "Length of ship: 133m", type "General cargo"
    rows = [
        row(1, 273000001, imo="9179842", name="ANGARA", type="Cargo", length="130"),
        row(2, 273000002, imo="9179842", name="ANGARA", type="Cargo", length="60"),
        row(3, 273000003, imo="9179842", name="ANGARA", type="Tanker", length="133"),
    ]
    with ListStore(tmp_path / "lists.sqlite") as lists:
        load_lists(lists, [FIXTURES / "uk" / "uk_sanctions_list_sample.csv"], workers=1)
        result, _ = run(tmp_path, lists, rows)
    zombies = {f.mmsi: f.reason for f in result.flags if f.kind == "zombie_identity"}
    assert sorted(zombies) == [273000002, 273000003]  # 130 m of cargo is the listed ship
    assert "broadcast length 60 m but the list gives 133 m" in zombies[273000002]
    assert "ship type 80 (tanker) but the list gives General cargo" in zombies[273000003]
    # single reports at 01:00, 02:00 and 03:00 do not overlap: no borrowed identity
    assert [f for f in result.flags if f.kind == "borrowed_identity"] == []
