"""OFAC legacy CSV parser (``ofac_csv``): sniffing, grouping files into sets, the joins on
ent_num, real DPRK records, and bad input.

Real data: data/lists/ofac (sdn_2024-05-03.csv; the consistent 2021-07-07 four-file set;
auxiliary files of 2025-12-24 without their sdn.csv; the consolidated non-SDN set of
2025-12-19). Published counts are asserted as fixed numbers and re-derived with a plain
``csv`` pass over the same files. Fixture: tests/data/lists/ofac/broken_set (see its README).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from followthemoney.types import registry

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats import ofac_csv
from sanctionwatch.lists.model import ParseResult
from sanctionwatch.lists.reading import read_head

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


@pytest.fixture(scope="module")
def sdn_2024() -> ParseResult:
    return one(ofac_csv.parse([SDN_2024]))


@pytest.fixture(scope="module")
def set_2021() -> ParseResult:
    return one(ofac_csv.parse(set_files(SET_2021)))


@pytest.fixture(scope="module")
def sdn_2024_with_aux() -> ParseResult:
    return one(ofac_csv.parse([SDN_2024, *set_files(AUX_2025)]))


@pytest.fixture(scope="module")
def cons() -> ParseResult:
    return one(ofac_csv.parse(set_files(CONS)))


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


# --- the consistent 2021 set: joins on ent_num -----------------------------------------


def test_set_2021_joins_every_row(set_2021: ParseResult) -> None:
    assert set_2021.files == ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    assert set_2021.rejected == []
    assert len(parties(set_2021)) == len(plain_rows(SET_2021 / "sdn.csv")) == 8_976
    # Every address row with any content gives an Address (distinct texts per party).
    # (FtM normalises address text: runs of spaces, doubled commas.)
    expected = {
        (row[0], registry.address.clean(", ".join(c for c in row[2:5] if c.strip() != "-0-")))
        for row in plain_rows(SET_2021 / "add.csv")
        if any(c.strip() != "-0-" for c in row[2:6])
    }
    addresses = [e for e in set_2021.entities if e.proxy.schema.name == "Address"]
    assert len(addresses) == len(expected) == 11_440
    assert {(e.record_id, e.proxy.get("full")[0]) for e in addresses} == expected
    # Every alias row lands on its party, as alias (aka, nka) or previousName (fka).
    names = by_id(set_2021)
    for row in plain_rows(SET_2021 / "alt.csv"):
        prop = "previousName" if row[2] == "fka" else "alias"
        name = registry.name.clean(row[3])  # FtM collapses runs of spaces in names
        assert name in names[f"ofac-{row[0]}"].get(prop), row


def test_set_2021_reconnaissance_general_bureau(set_2021: ParseResult) -> None:
    record = of_record(set_2021, "12210")
    rgb = record["ofac-12210"]
    assert rgb.schema.name == "LegalEntity"
    assert sorted(rgb.get("alias")) == ["CHONGCH'AL CH'ONGGUK", "KPA UNIT 586"]
    assert rgb.get("weakAlias") == ["RGB"]  # "a.k.a. 'RGB'" in Remarks: OFAC's weak a.k.a.
    assert sorted(rgb.get("address")) == [
        "Hyongjesan-Guyok, Pyongyang, Korea, North",
        "Nungrado, Pyongyang, Korea, North",
    ]
    addresses = [p for p in record.values() if p.schema.name == "Address"]
    assert sorted(rgb.get("addressEntity")) == sorted(str(a.id) for a in addresses)
    nungrado = next(a for a in addresses if a.get("street") == ["Nungrado"])
    assert nungrado.get("city") == ["Pyongyang"]
    assert nungrado.get("country") == ["kp"]
    source = next(e.source for e in set_2021.entities if e.entity_id == nungrado.id)
    assert source == "add.csv:4887"


def test_set_2021_ocean_maritime_management(set_2021: ParseResult) -> None:
    omm = by_id(set_2021)["ofac-17068"]
    assert sorted(omm.get("alias")) == [
        "EAST SEA SHIPPING COMPANY",
        "HAEYANG CREW MANAGEMENT COMPANY",
        "KOREA MIRAE SHIPPING CO. LTD.",
    ]
    assert len(omm.get("addressEntity")) == 13
    assert "43-39 Lugovaya, Vladivostok, Russia" in omm.get("address")


def test_set_2021_remarks_overflow_is_joined(set_2021: ParseResult) -> None:
    # sdn.csv cuts TIAN Yinyin's Remarks at "a.k.a. 'snowsjo"; sdn_comments.csv goes on
    # with "hn'; Linked To: LAZARUS GROUP."
    cut = next(r for r in plain_rows(SET_2021 / "sdn.csv") if r[0] == "28263")[11]
    assert len(cut) == 1000
    assert cut.endswith("a.k.a. 'snowsjo")
    record = of_record(set_2021, "28263")
    tian = record["ofac-28263"]
    assert "snowsjohn" in tian.get("weakAlias")
    assert "snowsjo" not in tian.get("weakAlias")
    assert sorted(tian.get("program")) == ["CYBER2", "DPRK3"]
    assert tian.get("gender") == ["male"]
    assert tian.get("birthDate") == ["1986-07-12"]
    link = next(p for p in record.values() if p.schema.name == "UnknownLink")
    assert by_id(set_2021)[link.get("object")[0]].get("name") == ["LAZARUS GROUP"]
    # The four other overflow rows were joined too: no overflow text left unused.
    overflow_ids = {row[0] for row in plain_rows(SET_2021 / "sdn_comments.csv")}
    assert overflow_ids == {"12300", "28263", "28264", "29703", "30518"}
    cifuentes = by_id(set_2021)["ofac-12300"]  # its overflow is a run of "Linked To"s
    assert "Linked To: R D I S.A" not in cifuentes.get("notes")
    cifuentes_links = [
        p for p in of_record(set_2021, "12300").values() if p.schema.name == "UnknownLink"
    ]
    assert len(cifuentes_links) == cifuentes_remarks_link_count()


def cifuentes_remarks_link_count() -> int:
    """Linked To statements of ent_num 12300 in sdn.csv plus sdn_comments.csv."""
    cut = next(r for r in plain_rows(SET_2021 / "sdn.csv") if r[0] == "12300")[11]
    rest = next(r for r in plain_rows(SET_2021 / "sdn_comments.csv") if r[0] == "12300")[1]
    return (cut + rest).count("Linked To: ")


# --- the 2024 SDN file with newer auxiliary files --------------------------------------


def test_aux_2025_rows_without_a_primary_are_rejected(sdn_2024_with_aux: ParseResult) -> None:
    result = sdn_2024_with_aux
    assert result.files == ["sdn_2024-05-03.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    known = {row[0] for row in plain_rows(SDN_2024)}
    missing = {
        name: [r for r in plain_rows(AUX_2025 / name) if r[0] not in known]
        for name in ("add.csv", "alt.csv", "sdn_comments.csv")
    }
    rejected = Counter(
        r.file for r in result.rejected if r.reason.startswith("no primary record for ent_num")
    )
    assert rejected == {name: len(rows) for name, rows in missing.items()}
    assert rejected == {"add.csv": 4_893, "alt.csv": 2_460, "sdn_comments.csv": 6}
    # Aliases of ent_num above 48907 (the highest in the 2024 file) are newer than it:
    # 2,308 of the 2,460; the other 152 belong to parties delisted since.
    newer = [r for r in result.rejected if r.file == "alt.csv" and int(r.raw.split(",")[0]) > 48907]
    assert len(newer) == 2_308
    first = next(r for r in result.rejected if r.file == "alt.csv")
    assert first.reason == (
        f"no primary record for ent_num {first.raw.split(',')[0]} in sdn_2024-05-03.csv"
    )


def test_aux_2025_overflow_for_complete_remarks_is_rejected(
    sdn_2024_with_aux: ParseResult,
) -> None:
    # Five overflow rows continue Remarks that are whole (under 1000 characters) in the
    # 2024 file: they belong to the 2025 edition, and appending them would garble them.
    complete = [r for r in sdn_2024_with_aux.rejected if r.reason.startswith("overflow for")]
    assert sorted(r.raw.split(",")[0] for r in complete) == [
        "22985",
        "34682",
        "34741",
        "35163",
        "36025",
    ]
    assert all(r.file == "sdn_comments.csv" and r.line > 0 for r in complete)
    person = by_id(sdn_2024_with_aux)["ofac-22985"]
    assert person.get("previousName") == ["KYONGYONG CREDIT BANK"]
    assert len(sdn_2024_with_aux.rejected) == 4_893 + 2_460 + 6 + 5


def test_aux_2025_joins_aliases_of_parties_still_listed(sdn_2024_with_aux: ParseResult) -> None:
    rgb = by_id(sdn_2024_with_aux)["ofac-12210"]
    assert "KPA UNIT 586" in rgb.get("alias")
    assert len(parties(sdn_2024_with_aux)) == 14_965


# --- the consolidated non-SDN list -----------------------------------------------------


def test_consolidated_list(cons: ParseResult) -> None:
    assert cons.list_name == "ofac_cons"
    assert cons.files == ["cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"]
    assert cons.rejected == []
    rows = plain_rows(CONS / "cons_prim.csv")
    found = parties(cons)
    assert len(found) == len(rows) == 442
    assert Counter(p.schema.name for p in found) == {"Person": 79, "LegalEntity": 363}
    assert not any(c.startswith("DPRK") for p in found for c in p.get("program"))
    haniya = by_id(cons)["ofac-9639"]
    assert haniya.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert haniya.get("birthDate") == ["1962"]
    assert haniya.get("birthPlace") == ["Shati"]
    assert haniya.get("program") == ["NS-PLC"]
    assert {"HANIYA, Ismail", "HANIYYA, Ismaeel"} <= set(haniya.get("alias"))
    # cons_comments.csv: all ten overflow rows continue cut Remarks.
    assert len(plain_rows(CONS / "cons_comments.csv")) == 10


# --- several sets in one call, and bad input ---------------------------------------------


def test_one_call_with_two_lists_gives_two_results() -> None:
    results = ofac_csv.parse([*set_files(CONS), *set_files(BROKEN)])
    assert [r.list_name for r in results] == ["ofac_cons", "ofac_sdn"]
    assert results[1].files == ["sdn.csv", "alt.csv"]


def test_broken_rows_are_rejected_with_line_numbers_and_the_rest_loaded() -> None:
    result = one(ofac_csv.parse(set_files(BROKEN)))
    rejected = sorted((r.file, r.line, r.reason) for r in result.rejected)
    assert [(f, n) for f, n, _ in rejected] == [
        ("alt.csv", 3),
        ("alt.csv", 6),
        ("sdn.csv", 3),
        ("sdn.csv", 6),
        ("sdn.csv", 7),
    ]
    reasons = {(f, n): reason for f, n, reason in rejected}
    assert reasons[("sdn.csv", 3)].startswith("expected 12 columns")
    assert reasons[("sdn.csv", 3)].endswith("found 10")
    assert reasons[("sdn.csv", 7)].endswith("found 13")
    assert reasons[("sdn.csv", 6)] == "ent_num 'ABC' is not a number"
    assert reasons[("alt.csv", 3)].endswith("found 3")
    assert reasons[("alt.csv", 6)] == "no primary record for ent_num 99999 in sdn.csv"
    raw = next(r.raw for r in result.rejected if (r.file, r.line) == ("sdn.csv", 3))
    assert raw.startswith("17069,CHONG CHON GANG,vessel,DPRK")
    assert sorted(str(p.id) for p in parties(result)) == [
        "ofac-12210",
        "ofac-17068",
        "ofac-17614",
        "ofac-4238",
    ]
    omm = by_id(result)["ofac-17068"]
    assert sorted(omm.get("alias")) == [
        "HAEYANG CREW MANAGEMENT COMPANY",
        "KOREA MIRAE SHIPPING CO. LTD.",
    ]


def test_auxiliary_files_alone_are_refused() -> None:
    with pytest.raises(InputError, match=r"load it together with sdn\.csv"):
        ofac_csv.parse(set_files(AUX_2025))
    with pytest.raises(InputError, match=r"cons_prim\.csv"):
        ofac_csv.parse([SDN_2024, CONS / "cons_alt.csv"])


def test_auxiliary_files_with_two_primaries_elsewhere_are_ambiguous() -> None:
    with pytest.raises(InputError, match="several OFAC primary files"):
        ofac_csv.parse([SDN_2024, SET_2021 / "sdn.csv", AUX_2025 / "alt.csv"])


def test_auxiliary_file_joins_the_primary_in_its_folder() -> None:
    results = ofac_csv.parse([SET_2021 / "sdn.csv", BROKEN / "sdn.csv", BROKEN / "alt.csv"])
    assert [r.files for r in results] == [["sdn.csv"], ["sdn.csv", "alt.csv"]]


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "sdn.csv"
    other.write_text("name,country\nKIM Jong Un,KP\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"sdn\.csv:1: not an OFAC legacy CSV"):
        ofac_csv.parse([other])
