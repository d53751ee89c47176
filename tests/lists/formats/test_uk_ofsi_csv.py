"""The legacy HM Treasury OFSI consolidated list CSV, read from the real 2018-04-13 file."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats import uk_ofsi_csv
from sanctionwatch.lists.model import ParseResult, entity_data, short_hash
from sanctionwatch.lists.reading import read_head

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "data" / "lists" / "uk" / "ofsi_conlist_2018-04-13.csv"
UK_SAMPLE = ROOT / "tests" / "data" / "lists" / "uk" / "uk_sanctions_list_sample.csv"
DPRK = "North Korea (Democratic People's Republic of Korea)"
PARTIES = {"Person", "Vessel", "LegalEntity", "Company", "Organization"}


@pytest.fixture(scope="module")
def real() -> ParseResult:
    return uk_ofsi_csv.parse([REAL])[0]


def entity(result: ParseResult, entity_id: str) -> dict[str, object]:
    [found] = [e for e in result.entities if e.entity_id == entity_id]
    return entity_data(found.proxy)


def props(result: ParseResult, entity_id: str) -> dict[str, list[str]]:
    data = entity(result, entity_id)["properties"]
    assert isinstance(data, dict)
    return data


def dprk_parties(result: ParseResult) -> list[dict[str, object]]:
    return [
        entity_data(e.proxy)
        for e in result.entities
        if e.proxy.schema.name in PARTIES and DPRK in e.proxy.get("program")
    ]


def test_version_comes_from_the_last_updated_line(real: ParseResult) -> None:
    assert real.version == "2018-04-13"
    assert real.list_name == "uk_ofsi"
    assert real.format_name == "uk_ofsi_csv"
    assert real.files == ["ofsi_conlist_2018-04-13.csv"]


def test_one_party_and_one_sanction_per_group_id(real: ParseResult) -> None:
    schemata = Counter(e.proxy.schema.name for e in real.entities)
    assert schemata["Sanction"] == 2106
    assert sum(schemata[s] for s in PARTIES) == 2106
    assert schemata["Person"] == 1426
    assert schemata["Vessel"] == 25
    assert schemata["Company"] == 2
    assert schemata["LegalEntity"] == 653
    assert real.rejected == []


def test_dprk_regime_has_242_groups(real: ParseResult) -> None:
    parties = dprk_parties(real)
    assert len(parties) == 242
    assert Counter(p["schema"] for p in parties) == {
        "Person": 135,
        "LegalEntity": 82,
        "Vessel": 23,
        "Company": 2,
    }


def test_dprk_imo_numbers_split_between_ships_and_shipping_companies(real: ParseResult) -> None:
    with_imo = {
        p["properties"]["name"][0]: (p["schema"], p["properties"]["imoNumber"])  # type: ignore[index]
        for p in dprk_parties(real)
        if "imoNumber" in p["properties"]  # type: ignore[operator]
    }
    assert len(with_imo) == 25
    assert with_imo["CHON MA SAN"] == ("Vessel", ["IMO8660313"])
    assert with_imo["TONG SAN 2"] == ("Vessel", ["IMO8937675"])
    assert with_imo["CHONG-CHONGANG SHIPPING COMPANY"] == ("Company", ["IMO5342883"])
    assert with_imo["KOREA YUJONG SHIPPING CO LTD"] == ("Company", ["IMO5434358"])
    # OMM's Other Information lists the IMO numbers of the ships it manages: not its own.
    omm = props(real, "uk-ofsi-13143")
    assert entity(real, "uk-ofsi-13143")["schema"] == "LegalEntity"
    assert "IMO Number: ((a) Chol Ryong" in omm["notes"][0]


def test_person_with_two_dates_of_birth_and_aliases(real: ParseResult) -> None:
    assert entity(real, "uk-ofsi-13327")["schema"] == "Person"
    assert props(real, "uk-ofsi-13327") == {
        "alias": ["Hyon U JANG", "Pom Su JANG"],
        "birthDate": ["1957-04-15", "1958-02-22"],
        "createdAt": ["2016-03-05"],
        "firstName": ["Bom Su"],
        "lastName": ["JANG"],
        "modifiedAt": ["2017-09-15"],
        "name": ["Bom Su JANG"],
        "nationality": ["kp"],
        "notes": ["Annex VIII. UN listing."],
        "passportNumber": ["836110034"],
        "position": ["Tanchon Commercial Bank Representative in Syria"],
        "program": [DPRK],
        "sourceUrl": [uk_ofsi_csv.SOURCE_URL],
        "topics": ["sanction"],
    }
    assert props(real, "uk-ofsi-13327-passport-" + short_hash("836110034")) == {
        "holder": ["uk-ofsi-13327"],
        "number": ["836110034"],
        "summary": ["836110034 (diplomatic). Passport date of expiration: 1.1.2020"],
        "type": ["passport"],
    }


def test_party_provenance_names_the_group_rows(real: ParseResult) -> None:
    [party] = [e for e in real.entities if e.entity_id == "uk-ofsi-13327"]
    assert party.record_id == "13327"
    assert party.source == "ofsi_conlist_2018-04-13.csv:5103-5113"
    assert all(e.record_id for e in real.entities)
    assert all(e.source.startswith("ofsi_conlist_2018-04-13.csv:") for e in real.entities)


def test_ship_with_imo_and_mmsi(real: ParseResult) -> None:
    assert entity(real, "uk-ofsi-13556")["schema"] == "Vessel"
    tong_san = props(real, "uk-ofsi-13556")
    assert tong_san["name"] == ["TONG SAN 2"]
    assert tong_san["imoNumber"] == ["IMO8937675"]
    assert tong_san["mmsi"] == ["445539000"]
    assert tong_san["createdAt"] == ["2017-10-19"]
    chon_ma_san = props(real, "uk-ofsi-13656")
    assert chon_ma_san["name"] == ["CHON MA SAN"]
    assert chon_ma_san["imoNumber"] == ["IMO8660313"]


def test_flag_and_former_name_are_read_from_other_information(real: ParseResult) -> None:
    nadine = props(real, "uk-ofsi-13519")
    assert nadine["flag"] == ["pw"]
    assert nadine["previousName"] == ["Capricorn"]
    assert nadine["program"] == ["Libya"]


def test_sanction_carries_regime_dates_and_un_reference(real: ParseResult) -> None:
    assert props(real, "uk-ofsi-13340-sanction") == {
        "authority": ["HM Treasury OFSI"],
        "country": ["gb"],
        "entity": ["uk-ofsi-13340"],
        "listingDate": ["2016-03-05"],
        "modifiedAt": ["2017-09-15"],
        "program": [DPRK],
        "recordId": ["13340"],
        "sourceUrl": [uk_ofsi_csv.SOURCE_URL],
        "unscId": ["KPe.022"],
    }
    assert props(real, "uk-ofsi-13562-sanction")["unscId"] == ["KPI.067"]


def test_addresses_become_entities(real: ParseResult) -> None:
    company = props(real, "uk-ofsi-13340")
    assert company["address"] == [
        "817 Haeun, Donghung-dong, Central District, Pyongyang, DPRK",
        "817, Haeum, Tonghun-dong, Chung-gu, Pyongyang, DPRK",
    ]
    assert company["country"] == ["kp"]
    address_id = "uk-ofsi-13340-address-" + short_hash(company["address"][1])
    assert address_id in company["addressEntity"]
    assert props(real, address_id) == {
        "country": ["kp"],
        "full": ["817, Haeum, Tonghun-dong, Chung-gu, Pyongyang, DPRK"],
        "street": ["817"],
    }


def test_unconvertible_values_are_kept_in_notes_with_a_warning(real: ParseResult) -> None:
    assert "Nationality as listed: Iranian citizenship" in props(real, "uk-ofsi-12205")["notes"]
    assert any("12205: Nationality 'Iranian citizenship'" in w for w in real.warnings)


def test_sniff_recognises_only_this_layout() -> None:
    assert uk_ofsi_csv.sniff(read_head(REAL), REAL)
    assert not uk_ofsi_csv.sniff(read_head(UK_SAMPLE), UK_SAMPLE)
    sdn = ROOT / "data" / "lists" / "ofac" / "sdn_2024-05-03.csv"
    assert not uk_ofsi_csv.sniff(read_head(sdn), sdn)
    assert not uk_ofsi_csv.sniff(b"Last Updated,13/04/2018\nName,Alias\n", REAL)
    assert not uk_ofsi_csv.sniff(b"", REAL)


# --- bad input, on small files written from the real header ------------------------------


def _header() -> list[str]:
    with REAL.open(encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return next(reader)


def _row(**cells: str) -> list[str]:
    header = _header()
    row = {name: "" for name in header}
    row.update({"Regime": DPRK, "Listed On": "01/02/2017", "Last Updated": "01/03/2017"})
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    assert set(row) == set(header)
    return [row[name] for name in header]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["Last Updated", "13/04/2018"] + [""] * 27)
        writer.writerow(_header())
        writer.writerows(rows)
    return path


def test_rows_with_a_wrong_column_count_are_rejected_with_their_lines(tmp_path: Path) -> None:
    good = _row(Name_6="KIM", Name_1="Il", Group_Type="Individual", Alias_Type="Prime Alias")
    alias = _row(Name_6="KIM", Name_1="Ill", Group_Type="Individual", Alias_Type="AKA")
    for row in (good, alias):
        row[-1] = "900"
    path = _write(tmp_path / "broken.csv", [good, good[:-1], alias, [*alias, "extra"]])
    result = uk_ofsi_csv.parse([path])[0]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (4, "expected 29 columns, found 28"),
        (6, "expected 29 columns, found 30"),
    ]
    assert result.rejected[0].file == "broken.csv"
    assert result.rejected[0].raw.startswith("KIM,Il,")
    assert props(result, "uk-ofsi-900")["name"] == ["Il KIM"]
    assert props(result, "uk-ofsi-900")["alias"] == ["Ill KIM"]


def test_rows_without_group_id_or_any_name_are_rejected(tmp_path: Path) -> None:
    no_id = _row(Name_6="NO ID", Group_Type="Entity", Alias_Type="Prime Alias")
    no_name = _row(Group_Type="Entity", Alias_Type="Prime Alias", Group_ID="901")
    result = uk_ofsi_csv.parse([_write(tmp_path / "l.csv", [no_id, no_name])])[0]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "no Group ID"),
        (4, "no name in any row of Group ID 901"),
    ]
    assert result.entities == []


def test_partial_and_unreadable_dates_of_birth(tmp_path: Path) -> None:
    rows = [
        _row(Name_6="A", DOB=dob, Group_Type="Individual", Alias_Type="Prime Alias", Group_ID="7")
        for dob in ("00/00/1980", "00/05/1981", "12/03/1982", "circa 1950", "31/02/1983")
    ]
    result = uk_ofsi_csv.parse([_write(tmp_path / "dob.csv", rows)])[0]
    person = props(result, "uk-ofsi-7")
    assert person["birthDate"] == ["1980", "1981-05", "1982-03-12"]
    assert "DOB as listed: circa 1950" in person["notes"]
    assert "DOB as listed: 31/02/1983" in person["notes"]
    assert sum("DOB" in w for w in result.warnings) == 2


def test_group_whose_rows_disagree_on_type_is_read_the_same_in_any_order(tmp_path: Path) -> None:
    rows = [
        _row(Name_6="X", Group_Type="Entity", Alias_Type="Prime Alias", Group_ID="8"),
        _row(Name_6="Y", Group_Type="Individual", Alias_Type="AKA", Group_ID="8"),
    ]
    forward = uk_ofsi_csv.parse([_write(tmp_path / "a.csv", rows)])[0]
    backward = uk_ofsi_csv.parse([_write(tmp_path / "b.csv", rows[::-1])])[0]
    # A tie: the fixed precedence (individual, ship, entity) decides, not row order.
    assert entity(forward, "uk-ofsi-8")["schema"] == "Person"
    assert entity(forward, "uk-ofsi-8") == entity(backward, "uk-ofsi-8")
    assert "a.csv 8: rows disagree on grouptype (entity, individual); used 'individual'" in (
        forward.warnings
    )
    majority = uk_ofsi_csv.parse([_write(tmp_path / "c.csv", [rows[0], rows[0], rows[1]])])[0]
    assert entity(majority, "uk-ofsi-8")["schema"] == "LegalEntity"


def test_a_file_of_another_format_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,schema\nKIM Jong Un,Person\n", encoding="utf-8")
    assert not uk_ofsi_csv.sniff(read_head(path), path)
    with pytest.raises(InputError, match=r"other\.csv:1: not an OFSI consolidated list"):
        uk_ofsi_csv.parse([path])
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("Last Updated,13/04/2018\nGroup ID,Name\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"headerless\.csv:2: .*'Name 6,Name 1'"):
        uk_ofsi_csv.parse([headerless])
