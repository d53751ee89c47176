"""The FCDO UK Sanctions List CSV, read from a small fixture written from the published
column list (see tests/data/lists/uk/README.md)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats import uk_sanctions_list_csv
from sanctionwatch.lists.model import ParseResult, entity_data, short_hash
from sanctionwatch.lists.reading import read_head

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "data" / "lists" / "uk" / "uk_sanctions_list_sample.csv"
OFSI = ROOT / "data" / "lists" / "uk" / "ofsi_conlist_2018-04-13.csv"
DPRK = "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019"
RUSSIA = "The Russia (Sanctions) (EU Exit) Regulations 2019"
PARTIES = {"Person", "Vessel", "LegalEntity", "Company", "Organization"}


@pytest.fixture(scope="module")
def sample() -> ParseResult:
    return uk_sanctions_list_csv.parse([SAMPLE])[0]


def props(result: ParseResult, entity_id: str) -> dict[str, list[str]]:
    [found] = [e for e in result.entities if e.entity_id == entity_id]
    data = entity_data(found.proxy)["properties"]
    assert isinstance(data, dict)
    return data


def schema(result: ParseResult, entity_id: str) -> str:
    [found] = [e for e in result.entities if e.entity_id == entity_id]
    return str(found.proxy.schema.name)


def parties(result: ParseResult) -> dict[str, str]:
    return {
        e.entity_id: e.proxy.schema.name
        for e in result.entities
        if e.proxy.schema.name in PARTIES and e.proxy.has("topics")
    }


def sample_table() -> tuple[str, list[list[str]]]:
    """The fixture's report-date line and its CSV records (header first)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return lines[0], list(csv.reader(lines[1:]))


def write(path: Path, rows: list[list[str]], first_line: str | None = None) -> Path:
    buffer = io.StringIO()
    if first_line is not None:
        buffer.write(first_line + "\r\n")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_version_comes_from_the_report_date(sample: ParseResult) -> None:
    assert sample.version == "2026-02-13"
    assert sample.list_name == "uk_sanctions_list"
    assert sample.format_name == "uk_sanctions_list_csv"
    assert sample.rejected == []
    assert sample.warnings == []


def test_one_party_per_unique_id(sample: ParseResult) -> None:
    assert parties(sample) == {
        "uk-dpr0012": "Person",
        "uk-dpr0020": "Person",
        "uk-dpr0001": "LegalEntity",  # no "Type of entity": the list gives no clue
        "uk-dpr0027": "Organization",  # "Government ministry"
        "uk-dpr0076": "Vessel",
        "uk-rus0254": "Person",
        "uk-rus1789": "Company",  # "Limited Liability Company"
        "uk-rus1790": "Vessel",
    }
    assert Counter(e.proxy.schema.name for e in sample.entities)["Sanction"] == 8


def test_person_with_aliases_and_a_non_latin_name(sample: ParseResult) -> None:
    assert props(sample, "uk-dpr0012") == {
        "alias": ["Hyon U JANG", "Pom Su JANG", "장범수"],
        "birthDate": ["1957-04-15", "1958-02-22"],
        "createdAt": ["2016-03-05"],
        "firstName": ["Bom"],
        "gender": ["male"],
        "lastName": ["JANG"],
        "middleName": ["Su"],
        "modifiedAt": ["2022-03-01"],
        "name": ["Bom Su JANG"],
        "nationality": ["kp"],
        "notes": [
            "Non-latin script language: Korean",
            "Non-latin script type: Hangul",
            "Tanchon Commercial Bank representative in Syria.",
        ],
        "passportNumber": ["836110034"],
        "position": ["Tanchon Commercial Bank Representative in Syria"],
        "program": [DPRK],
        "sourceUrl": [uk_sanctions_list_csv.SOURCE_URL],
        "topics": ["sanction"],
    }
    assert props(sample, "uk-dpr0012-passport-" + short_hash("836110034")) == {
        "holder": ["uk-dpr0012"],
        "number": ["836110034"],
        "summary": ["836110034 Diplomatic passport, expires 01/01/2020"],
        "type": ["passport"],
    }


def test_cyrillic_name_is_an_alias(sample: ParseResult) -> None:
    shoigu = props(sample, "uk-rus0254")
    assert shoigu["name"] == ["Sergei Kuzhugetovich SHOIGU"]
    assert shoigu["alias"] == ["Sergey Kuzhugetovich SHOYGU", "Шойгу Сергей Кужугетович"]
    assert shoigu["birthPlace"] == ["Chadan"]
    assert shoigu["birthCountry"] == ["ru"]
    assert shoigu["title"] == ["General"]
    assert props(sample, "uk-rus1789")["alias"] == ["ООО М ЛИЗИНГ"]


def test_low_quality_alias_is_weak_and_partial_birth_date(sample: ParseResult) -> None:
    kim = props(sample, "uk-dpr0020")
    assert kim["alias"] == ["Chin-So'k KIM"]
    assert kim["weakAlias"] == ["Hyok-Chol KIM"]
    assert kim["birthDate"] == ["1962-08-28", "1964"]  # "dd/mm/1964": year only
    assert props(sample, "uk-dpr0001")["weakAlias"] == ["KOMID"]


def test_ship_with_imo_flag_and_owner(sample: ParseResult) -> None:
    owner_id = "uk-dpr0076-owner-" + short_hash("KOREA ACHIM SHIPPING CO")
    assert props(sample, "uk-dpr0076") == {
        "createdAt": ["2018-04-03"],
        "flag": ["kp"],
        "imoNumber": ["IMO8660313"],
        "modifiedAt": ["2022-03-01"],
        "name": ["CHON MA SAN"],
        "notes": ["Prepared for likely ship-to-ship transfer operations in late January 2018."],
        "owner": [owner_id],
        "program": [DPRK],
        "sourceUrl": [uk_sanctions_list_csv.SOURCE_URL],
        "topics": ["sanction"],
        "type": ["Oil tanker"],
    }
    assert schema(sample, owner_id) == "LegalEntity"
    assert props(sample, owner_id) == {"name": ["KOREA ACHIM SHIPPING CO"]}


def test_russian_ship_past_flags_and_build_year(sample: ParseResult) -> None:
    angara = props(sample, "uk-rus1790")
    assert angara["imoNumber"] == ["IMO9179842"]
    assert angara["flag"] == ["ru"]
    assert angara["pastFlags"] == ["mt", "sl"]
    assert angara["buildDate"] == ["1999"]
    assert angara["tonnage"] == ["6397"]
    assert "Previous owner/operator (s): LABIRINT-VOLGA LLC" in angara["notes"]
    assert "Length of ship: 133m" in angara["notes"]


def test_sanction_entity(sample: ParseResult) -> None:
    assert props(sample, "uk-dpr0012-sanction") == {
        "authority": ["UK Foreign, Commonwealth & Development Office"],
        "authorityId": ["13327"],
        "country": ["gb"],
        "entity": ["uk-dpr0012"],
        "listingDate": ["2016-03-05"],
        "modifiedAt": ["2022-03-01"],
        "program": [DPRK],
        "provisions": ["Asset freeze", "Travel Ban"],
        "recordId": ["DPR0012"],
        "sourceUrl": [uk_sanctions_list_csv.SOURCE_URL],
        "summary": ["Designation source: UN"],
        "unscId": ["KPi.016"],
    }
    assert props(sample, "uk-rus1789-sanction")["reason"] == [
        "Owner of the vessel ANGARA, involved in the transport of munitions from the DPRK "
        "to Russia."
    ]
    assert props(sample, "uk-rus1789-sanction")["program"] == [RUSSIA]


def test_provenance(sample: ParseResult) -> None:
    found = {e.entity_id: (e.record_id, e.source) for e in sample.entities}
    assert found["uk-dpr0012"] == ("DPR0012", "uk_sanctions_list_sample.csv:3-5")
    assert found["uk-dpr0076"] == ("DPR0076", "uk_sanctions_list_sample.csv:16")
    address_id = "uk-rus1789-address-" + short_hash(
        "Ulitsa Bolshaya Ordynka 40, Moscow, 119017, Russia"
    )
    assert found[address_id] == ("RUS1789", "uk_sanctions_list_sample.csv:19")
    assert props(sample, address_id)["postalCode"] == ["119017"]


def test_sniff() -> None:
    assert uk_sanctions_list_csv.sniff(read_head(SAMPLE), SAMPLE)
    _first, table = sample_table()
    headerless_buffer = io.StringIO()
    csv.writer(headerless_buffer).writerows(table)
    assert uk_sanctions_list_csv.sniff(headerless_buffer.getvalue().encode(), SAMPLE)
    assert not uk_sanctions_list_csv.sniff(read_head(OFSI), OFSI)
    assert not uk_sanctions_list_csv.sniff(b"Unique ID,Name\nX1,Y\n", SAMPLE)
    assert not uk_sanctions_list_csv.sniff(b"", SAMPLE)


def test_without_report_date_the_newest_last_updated_is_the_version(tmp_path: Path) -> None:
    _first, table = sample_table()
    result = uk_sanctions_list_csv.parse([write(tmp_path / "no_date.csv", table)])[0]
    assert result.version == "2024-05-15"
    assert len(parties(result)) == 8


def test_columns_are_found_by_name_in_any_order(sample: ParseResult, tmp_path: Path) -> None:
    first, table = sample_table()
    order = list(range(len(table[0])))[::-1]
    shuffled = [[row[i] for i in order] for row in table]
    shuffled[0][shuffled[0].index("Designation Type")] = "Individual, Entity, Ship"
    result = uk_sanctions_list_csv.parse([write(tmp_path / "r.csv", shuffled, first)])[0]
    assert [entity_data(e.proxy) for e in result.entities] == [
        entity_data(e.proxy) for e in sample.entities
    ]


def test_unknown_columns_are_reported_once_and_kept(tmp_path: Path) -> None:
    first, table = sample_table()
    widened = [[*table[0], "Vessel history"]] + [[*row, ""] for row in table[1:]]
    widened[-1][-1] = "Renamed in 2023"
    result = uk_sanctions_list_csv.parse([write(tmp_path / "w.csv", widened, first)])[0]
    assert result.warnings == ["w.csv: unknown columns kept in notes: Vessel history"]
    assert "Vessel history: Renamed in 2023" in props(result, "uk-rus1790")["notes"]


def test_rows_with_a_wrong_column_count_are_rejected(tmp_path: Path) -> None:
    first, table = sample_table()
    broken = [table[0], table[1][:-2], *table[2:], [*table[-1], "x"]]
    result = uk_sanctions_list_csv.parse([write(tmp_path / "b.csv", broken, first)])[0]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "expected 58 columns, found 56"),
        (21, "expected 58 columns, found 59"),
    ]
    assert result.rejected[0].raw.startswith("01/03/2022,DPR0012,13327,KPi.016,JANG,Bom,Su")
    assert props(result, "uk-dpr0012")["name"] == ["Pom Su JANG"]  # variation stands in
    assert any("DPR0012: no primary name" in w for w in result.warnings)
    assert len(parties(result)) == 8


def test_designation_whose_rows_disagree_on_type(tmp_path: Path) -> None:
    first, table = sample_table()
    kind = table[0].index("Designation Type")
    rows = [table[0], *(r for r in table[1:] if r[1] == "DPR0012")]
    rows[2] = [*rows[2]]
    rows[2][kind] = "Entity"
    forward = uk_sanctions_list_csv.parse([write(tmp_path / "f.csv", rows, first)])[0]
    backward = [rows[0], *rows[:0:-1]]
    reverse = uk_sanctions_list_csv.parse([write(tmp_path / "r.csv", backward, first)])[0]
    assert schema(forward, "uk-dpr0012") == "Person"  # two rows of three say Individual
    assert props(forward, "uk-dpr0012") == props(reverse, "uk-dpr0012")
    assert (
        "f.csv DPR0012: rows disagree on designationtype (entity, individual); used 'individual'"
        in (forward.warnings)
    )


def test_rows_without_unique_id_are_rejected(tmp_path: Path) -> None:
    first, table = sample_table()
    table[1] = [*table[1]]
    table[1][1] = ""
    result = uk_sanctions_list_csv.parse([write(tmp_path / "u.csv", table, first)])[0]
    assert [(r.line, r.reason) for r in result.rejected] == [(3, "no Unique ID")]


def test_a_file_of_another_format_raises_input_error(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Report Date: 13-Feb-2026\nname,schema\nKIM,Person\n", encoding="utf-8")
    assert not uk_sanctions_list_csv.sniff(read_head(other), other)
    with pytest.raises(InputError, match=r"other\.csv:2: not a UK Sanctions List CSV"):
        uk_sanctions_list_csv.parse([other])
    with pytest.raises(InputError, match=r"not a UK Sanctions List CSV"):
        uk_sanctions_list_csv.parse([OFSI])
