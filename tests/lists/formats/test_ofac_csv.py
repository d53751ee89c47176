"""OFAC legacy CSV parser (``ofac_csv``): sniffing, grouping files into sets, the joins on
ent_num, real DPRK records, and bad input.

Real data: data/lists/ofac (sdn_2024-05-03.csv; the consistent 2021-07-07 four-file set;
auxiliary files of 2025-12-24 without their sdn.csv; the consolidated non-SDN set of
2025-12-19). Published counts are asserted as fixed numbers and re-derived with a plain
``csv`` pass over the same files. Fixture: tests/data/lists/ofac/broken_set (see its README).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.lists.formats import ofac_csv
from sanctionwatch.lists.model import ParseResult
from sanctionwatch.lists.reading import read_head
from tests.lists.formats.ofac_support import (
    AUX_2025,
    BROKEN,
    CONS,
    SDN_2024,
    SET_2021,
    by_id,
    of_record,
    parties,
    plain_rows,
)

# --- sniffing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "columns"),
    [
        (SDN_2024, 12),
        (SET_2021 / "sdn.csv", 12),
        (SET_2021 / "add.csv", 6),
        (SET_2021 / "alt.csv", 5),
        (SET_2021 / "sdn_comments.csv", 2),
        (AUX_2025 / "sdn_comments.csv", 2),
        (CONS / "cons_prim.csv", 12),
        (CONS / "cons_add.csv", 6),
        (CONS / "cons_alt.csv", 5),
        (CONS / "cons_comments.csv", 2),
        (BROKEN / "sdn.csv", 12),  # two broken rows among seven still read as a primary file
    ],
)
def test_sniff_recognises_every_real_file_and_its_role(path: Path, columns: int) -> None:
    head = read_head(path)
    assert ofac_csv.sniff(head, path)
    assert ofac_csv.sniff_layout(head) == columns


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27">\n',
        b'{"id": "ofac-36", "schema": "Organization", "properties": {}}\n',
        b"Name 6,Name 1,Name 2,Group ID,Regime\r\nKIM,Jong Un,,1234,DPRK\r\n",
        b"36,AEROCARIBBEAN AIRLINES,company,CUBA,x,x,x,x,x,x,x,x\r\n",  # no -0- and no SDN_Type
        b'36,12,"alias","AERO-CARIBBEAN",-0- \r\n',  # alt_type must be aka/fka/nka
    ],
)
def test_sniff_rejects_other_content(head: bytes) -> None:
    assert not ofac_csv.sniff(head, Path("sdn.csv"))


def test_sniff_ignores_a_record_cut_by_the_end_of_the_head() -> None:
    head = SDN_2024.read_bytes()[:5000]  # ends inside a record
    assert not head.endswith(b"\n")
    assert ofac_csv.sniff_layout(head) == 12


def test_list_kind_comes_from_the_cons_prefix() -> None:
    assert ofac_csv.list_kind(Path("cons_prim.csv")) == "ofac_cons"
    assert ofac_csv.list_kind(Path("CONS_ALT.CSV")) == "ofac_cons"
    assert ofac_csv.list_kind(Path("sdn.csv")) == "ofac_sdn"
    assert ofac_csv.list_kind(Path("sdn_2024-05-03.csv")) == "ofac_sdn"
    assert ofac_csv.FORMAT.name == "ofac_csv"


# --- the 2024 SDN file on its own ------------------------------------------------------


def test_sdn_2024_published_counts(sdn_2024: ParseResult) -> None:
    rows = plain_rows(SDN_2024)
    assert len(rows) == 14_965
    assert sdn_2024.list_name == "ofac_sdn"
    assert sdn_2024.format_name == "ofac_csv"
    assert sdn_2024.version is None  # the CSV states no publication date
    assert sdn_2024.files == ["sdn_2024-05-03.csv"]
    assert sdn_2024.rejected == []
    found = parties(sdn_2024)
    assert len(found) == 14_965
    assert {p.id for p in found} == {f"ofac-{row[0]}" for row in rows}
    assert Counter(p.schema.name for p in found) == {
        "Person": 6_854,
        "LegalEntity": 6_748,
        "Company": 136,  # entities with a company IMO number
        "Vessel": 851,
        "Airplane": 376,
    }
    types = Counter(row[2].strip() for row in rows)
    assert types == {"individual": 6_854, "-0-": 6_884, "vessel": 851, "aircraft": 376}
    sanctions = [e for e in sdn_2024.entities if e.proxy.schema.name == "Sanction"]
    assert len(sanctions) == 14_965


def test_sdn_2024_programmes(sdn_2024: ParseResult) -> None:
    rows = plain_rows(SDN_2024)
    dprk_rows = [r for r in rows if any(c.startswith("DPRK") for c in r[3].split("] ["))]
    assert len(dprk_rows) == 484
    dprk = [p for p in parties(sdn_2024) if any(c.startswith("DPRK") for c in p.get("program"))]
    assert len(dprk) == 484
    russia = [p for p in parties(sdn_2024) if "RUSSIA-EO14024" in p.get("program")]
    assert len(russia) == 4_439
    assert len(russia) == sum(1 for r in rows if "RUSSIA-EO14024" in r[3].split("] ["))
    rgb = by_id(sdn_2024)["ofac-12210"]
    assert sorted(rgb.get("program")) == ["DPRK", "DPRK2"]  # "DPRK] [DPRK2" split, no brackets


def test_sdn_2024_dprk_vessels_and_imo_numbers(sdn_2024: ParseResult) -> None:
    rows = plain_rows(SDN_2024)
    dprk_vessel_rows = [r for r in rows if r[2].strip() == "vessel" and r[3].startswith("DPRK")]
    assert len(dprk_vessel_rows) == 105
    with_imo = [r for r in dprk_vessel_rows if re.search(r"IMO \d{7}", r[11])]
    assert len(with_imo) == 104
    vessels = [
        p
        for p in parties(sdn_2024)
        if p.schema.name == "Vessel" and any(c.startswith("DPRK") for c in p.get("program"))
    ]
    assert len(vessels) == 105
    # The 105th, RYONG GUN BONG, states "Vessel Registration Identification 8606173" without
    # the word IMO; its check digit is valid, so it is read as an IMO number, with a warning.
    assert sum(1 for v in vessels if v.get("imoNumber")) == 105
    for row in with_imo:
        imo = re.search(r"IMO (\d{7})", row[11])
        assert imo is not None
        assert by_id(sdn_2024)[f"ofac-{row[0]}"].get("imoNumber") == [f"IMO{imo.group(1)}"]
    assert any("ent_num 17104" in w and "IMO8606173" in w for w in sdn_2024.warnings)


def test_dprk_vessel_chong_chon_gang(sdn_2024: ParseResult) -> None:
    record = of_record(sdn_2024, "17069")
    vessel = record["ofac-17069"]
    assert vessel.schema.name == "Vessel"
    assert vessel.get("name") == ["CHONG CHON GANG"]
    assert vessel.get("imoNumber") == ["IMO7937317"]
    assert vessel.get("flag") == ["kp"]  # "Democratic People's Republic of Korea"
    assert vessel.get("type") == ["General Cargo"]
    assert vessel.get("program") == ["DPRK"]
    assert vessel.get("topics") == ["sanction"]
    assert (
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and "
        "510.210" in vessel.get("notes")
    )
    sanction = record["ofac-17069-sanction"]
    assert sanction.get("entity") == ["ofac-17069"]
    assert sanction.get("authority") == ["US Treasury OFAC"]
    assert sanction.get("program") == ["DPRK"]
    assert sanction.get("recordId") == ["17069"]
    assert len(sanction.get("provisions")) == 2
    assert set(record) == {"ofac-17069", "ofac-17069-sanction"}
    source = next(e.source for e in sdn_2024.entities if e.entity_id == "ofac-17069")
    assert source == "sdn_2024-05-03.csv:3370"


def test_dprk_vessel_star_18_previous_names_flag_and_link(sdn_2024: ParseResult) -> None:
    record = of_record(sdn_2024, "28716")
    vessel = record["ofac-28716"]
    assert vessel.get("name") == ["STAR 18"]
    assert vessel.get("imoNumber") == ["IMO9020015"]
    assert vessel.get("flag") == ["vn"]
    assert sorted(vessel.get("previousName")) == ["SAM 5", "THINH CUONG"]
    assert vessel.get("program") == ["DPRK4"]
    links = [p for p in record.values() if p.schema.name == "UnknownLink"]
    assert len(links) == 1
    target = by_id(sdn_2024)[links[0].get("object")[0]]
    assert target.get("name") == ["THINH CUONG COMPANY LIMITED"]
    assert links[0].get("subject") == ["ofac-28716"]
    assert links[0].get("role") == ["Linked To"]


def test_dprk_vessel_linked_to_name_ending_the_remarks(sdn_2024: ParseResult) -> None:
    # "...; Linked To: OCEAN MARITIME MANAGEMENT COMPANY LIMITED." - the final period is
    # the end of the Remarks text, not part of the name.
    links = [p for p in of_record(sdn_2024, "19570").values() if p.schema.name == "UnknownLink"]
    assert [link.get("object") for link in links] == [["ofac-17068"]]
    assert by_id(sdn_2024)["ofac-19570"].get("flag") == ["sl"]
    # "...; Linked To: PETROLEOS DE VENEZUELA, S.A." - here the one period ends both the
    # Remarks and the name (ent_num 26367).
    tug = of_record(sdn_2024, "26623")
    assert [p.get("object") for p in tug.values() if p.schema.name == "UnknownLink"] == [
        ["ofac-26367"]
    ]


def test_dprk_person_with_passport(sdn_2024: ParseResult) -> None:
    record = of_record(sdn_2024, "17616")
    person = record["ofac-17616"]
    assert person.schema.name == "Person"
    assert person.get("name") == ["RYU, Jin"]
    assert person.get("lastName") == ["RYU"]
    assert person.get("firstName") == ["Jin"]
    assert person.get("birthDate") == ["1965-08-07"]
    assert person.get("nationality") == ["kp"]  # "Korea, North"
    assert person.get("position") == ["KOMID official in Syria"]  # the Title column
    assert person.get("passportNumber") == ["563410081"]
    assert person.get("program") == ["DPRK2"]
    passports = [p for p in record.values() if p.schema.name == "Passport"]
    assert len(passports) == 1
    assert passports[0].get("holder") == ["ofac-17616"]
    assert passports[0].get("number") == ["563410081"]


def test_dprk_person_with_approximate_birth_years(sdn_2024: ParseResult) -> None:
    person = by_id(sdn_2024)["ofac-12211"]  # "DOB circa 1947; alt. DOB circa 1946"
    assert sorted(person.get("birthDate")) == ["1946", "1947"]
    assert "DOB as listed: circa 1947" in person.get("notes")
    assert person.get("birthPlace") == ["Pyongan-Pukto, North Korea"]


def test_dprk_person_passport_with_country_and_expiry(sdn_2024: ParseResult) -> None:
    record = of_record(sdn_2024, "18344")  # "Passport E3251534E (Singapore) expires 20 Mar 2018"
    passport = next(p for p in record.values() if p.schema.name == "Passport")
    assert passport.get("number") == ["E3251534E"]
    assert passport.get("country") == ["sg"]
    assert passport.get("endDate") == ["2018-03-20"]


def test_company_imo_number_makes_a_company(sdn_2024: ParseResult) -> None:
    # "Vessel Registration Identification IMO 5878589" on an entity: a company IMO number.
    company = by_id(sdn_2024)["ofac-19569"]
    assert company.schema.name == "Company"
    assert company.get("name") == ["CHONGBONG SHIPPING CO LTD"]
    assert company.get("imoNumber") == ["IMO5878589"]
    assert company.get("program") == ["DPRK3"]


def test_vessel_owner_columns_and_past_flags(sdn_2024: ParseResult) -> None:
    record = of_record(sdn_2024, "4238")
    vessel = record["ofac-4238"]
    assert vessel.get("callSign") == ["CL2192"]
    assert vessel.get("type") == ["Tug"]
    assert vessel.get("grossRegisteredTonnage") == ["212"]
    assert vessel.get("flag") == ["cu"]
    owner = record[vessel.get("owner")[0]]
    assert owner.schema.name == "LegalEntity"
    assert owner.get("name") == ["Samir de Navegacion S.A."]
    artavil = by_id(sdn_2024)["ofac-15036"]
    assert sorted(artavil.get("pastFlags")) == ["mt", "tv", "tz"]
    assert "Former Vessel Flag as listed: None Identified" in artavil.get("notes")
    assert artavil.get("mmsi") == ["572469210"]
    assert artavil.get("tonnage") == ["99,144"]


def test_linked_to_without_a_single_match_stays_in_notes(sdn_2024: ParseResult) -> None:
    entity = by_id(sdn_2024)["ofac-19653"]
    assert "Linked To: PUBLIC JOINT STOCK COMPANY GAZPROM" in entity.get("notes")
    assert any("ent_num 19653" in w and "GAZPROM" in w for w in sdn_2024.warnings)
    # Two parties are called MINISTRY OF STATE SECURITY: no guess, a note and a warning.
    assert "Linked To: MINISTRY OF STATE SECURITY" in by_id(sdn_2024)["ofac-20130"].get("notes")
    assert any("ent_num 20130" in w and "2 parties" in w for w in sdn_2024.warnings)


def test_entity_ids_are_unique(sdn_2024: ParseResult) -> None:
    ids = [e.entity_id for e in sdn_2024.entities]
    assert len(ids) == len(set(ids))
    assert all(e.record_id for e in sdn_2024.entities)
