"""The UN Security Council consolidated list parser (``un_xml``).

Real data: the two bundled publications in data/lists/un (2026-02-27 and 2018-10-29).
Small fixtures (tests/data/lists/un, provenance in each file's first line): a verbatim
excerpt, a truncated copy, hostile DTD files, and records made to be rejected or odd.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from followthemoney import EntityProxy
from lxml import etree

from sanctionwatch.errors import HostileInputError, InputError
from sanctionwatch.lists.formats import un_xml
from sanctionwatch.lists.formats.un_xml_fields import (
    iso_date,
    month_year,
    read_birth_date,
)
from sanctionwatch.lists.model import ParseResult, entity_data
from sanctionwatch.lists.reading import read_head

HERE = Path(__file__).resolve()
REAL = HERE.parents[3] / "data" / "lists" / "un"
FIXTURES = HERE.parents[2] / "data" / "lists" / "un"
LIST_2026 = REAL / "un_consolidated_2026-02-27.xml"
LIST_2018 = REAL / "un_consolidated_2018-10-29.xml"


@pytest.fixture(scope="module")
def lists() -> dict[str, ParseResult]:
    """Both real publications, parsed once for the module."""
    return {"2026": un_xml.parse_file(LIST_2026), "2018": un_xml.parse_file(LIST_2018)}


def parties(result: ParseResult) -> dict[str, EntityProxy]:
    """Record id -> the listed party (Person or Organization)."""
    return {
        e.record_id: e.proxy
        for e in result.entities
        if e.proxy.schema.name in ("Person", "Organization")
    }


def of_record(result: ParseResult, record_id: str, schema: str) -> list[EntityProxy]:
    return [
        e.proxy
        for e in result.entities
        if e.record_id == record_id and e.proxy.schema.name == schema
    ]


def props(proxy: EntityProxy) -> dict[str, Any]:
    return dict(entity_data(proxy)["properties"])


# --- recognising the format -------------------------------------------------------------


def test_sniff_recognises_the_consolidated_list_by_its_root_element() -> None:
    assert un_xml.sniff(read_head(LIST_2026), LIST_2026) is True
    assert un_xml.sniff(read_head(LIST_2018), LIST_2018) is True
    assert un_xml.sniff(b'<?xml version="1.0"?><export><sanctionEntity/>', Path("x.xml")) is False
    assert un_xml.sniff(b"36,AEROCARIBBEAN AIRLINES,-0- ,CUBA", Path("sdn.csv")) is False
    assert un_xml.FORMAT.name == "un_xml"


def test_an_xml_file_of_another_list_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    other = tmp_path / "export.xml"
    other.write_text('<?xml version="1.0"?>\n<export><sanctionEntity/></export>\n')
    with pytest.raises(InputError, match=r"export\.xml:1: not a UN Security Council"):
        un_xml.parse([other])


# --- the real lists: counts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "version", "persons", "organizations", "with_imo"),
    [
        ("2026", "2026-02-27", 730, 273, 16),
        ("2018", "2018-10-29", 703, 390, 3),
    ],
)
def test_real_list_counts(
    lists: dict[str, ParseResult],
    year: str,
    version: str,
    persons: int,
    organizations: int,
    with_imo: int,
) -> None:
    result = lists[year]
    listed = parties(result).values()
    dprk = [p for p in listed if p.get("program") == ["DPRK"]]
    assert result.list_name == "un"
    assert result.format_name == "un_xml"
    assert result.version == version
    assert result.rejected == []
    assert len({e.entity_id for e in result.entities}) == len(result.entities)
    assert sum(p.schema.name == "Person" for p in listed) == persons
    assert sum(p.schema.name == "Organization" for p in listed) == organizations
    assert sum(p.schema.name == "Person" for p in dprk) == 80
    assert sum(p.schema.name == "Organization" for p in dprk) == 75
    assert sum(bool(p.get("imoNumber", quiet=True)) for p in dprk) == with_imo
    assert {e.proxy.schema.name for e in result.entities} == {
        "Person",
        "Organization",
        "Sanction",
        "Address",
        "Passport",
        "Identification",
    }


def test_both_publications_list_the_same_155_dprk_reference_numbers(
    lists: dict[str, ParseResult],
) -> None:
    def dprk(result: ParseResult) -> set[str]:
        return {ref for ref, p in parties(result).items() if p.get("program") == ["DPRK"]}

    assert dprk(lists["2026"]) == dprk(lists["2018"])
    assert len(dprk(lists["2026"])) == 155
    assert sum(ref.startswith("KPi.") for ref in dprk(lists["2026"])) == 80
    assert sum(ref.startswith("KPe.") for ref in dprk(lists["2026"])) == 75


def test_every_party_has_exactly_one_sanction_naming_it(lists: dict[str, ParseResult]) -> None:
    for result in lists.values():
        sanctions = {
            e.record_id: e.proxy for e in result.entities if e.proxy.schema.name == "Sanction"
        }
        assert len(sanctions) == len(parties(result))
        for ref, party in parties(result).items():
            assert sanctions[ref].get("entity") == [party.id]
            assert sanctions[ref].get("unscId") == [ref]
            assert sanctions[ref].get("authority") == ["United Nations Security Council"]


def test_company_imo_numbers_cited_in_2026_dprk_comments(lists: dict[str, ParseResult]) -> None:
    cited = {
        ref: p.get("imoNumber")
        for ref, p in parties(lists["2026"]).items()
        if p.get("imoNumber", quiet=True)
    }
    assert cited == {
        "KPe.020": ["IMO1790183"],
        "KPe.022": ["IMO5342883"],
        "KPe.056": ["IMO5571322"],
        "KPe.057": ["IMO5963351"],
        "KPe.058": ["IMO5787684"],
        "KPe.061": ["IMO5936312"],
        "KPe.062": ["IMO5676084"],
        "KPe.063": ["IMO5985863"],
        "KPe.064": ["IMO5954061"],
        "KPe.065": ["IMO5145892"],
        "KPe.066": ["IMO5434358"],
        "KPe.067": ["IMO5982254"],
        "KPe.068": ["IMO5988369"],
        "KPe.070": ["IMO5878561"],
        "KPe.074": ["IMO5905801"],
        "KPe.075": ["IMO5987860"],
    }
    # None of them is a ship: the list has no vessel records, and no Vessel is invented.
    assert not any(e.proxy.schema.name == "Vessel" for e in lists["2026"].entities)


# --- the real lists: exact records ------------------------------------------------------

KPI_033 = {
    "birthDate": ["1964-07-17"],
    "createdAt": ["2016-11-30"],
    "firstName": ["RI"],
    "name": ["RI WON HO"],
    "nationality": ["kp"],
    "notes": [
        "Ri Won Ho is a DPRK Ministry of State Security Official stationed in Syria "
        "supporting KOMID."
    ],
    "passportNumber": ["381310014"],
    "position": ["DPRK Ministry of State Security Official"],
    "program": ["DPRK"],
    "secondName": ["WON HO"],
    "topics": ["sanction"],
}


@pytest.mark.parametrize(
    ("year", "source"),
    [
        ("2026", "un_consolidated_2026-02-27.xml:10351-10392"),
        # One line per record in 2018; the comment holds two line breaks.
        ("2018", "un_consolidated_2018-10-29.xml:3-5"),
    ],
)
def test_kpi_033_ri_won_ho(lists: dict[str, ParseResult], year: str, source: str) -> None:
    result = lists[year]
    [person] = of_record(result, "KPi.033", "Person")
    [sanction] = of_record(result, "KPi.033", "Sanction")
    [passport] = of_record(result, "KPi.033", "Passport")
    assert person.id == "un-kpi-033"
    assert props(person) == KPI_033  # 2018 writes " RI ": whitespace does not count
    assert props(sanction) == {
        "authority": ["United Nations Security Council"],
        "authorityId": ["6908555"],
        "entity": ["un-kpi-033"],
        "listingDate": ["2016-11-30"],
        "program": ["DPRK"],
        "reason": KPI_033["notes"],
        "recordId": ["KPi.033"],
        "unscId": ["KPi.033"],
    }
    assert sanction.id == "un-kpi-033-sanction"
    assert passport.get("number") == ["381310014"]
    assert passport.get("type") == ["Passport"]
    assert passport.get("holder") == ["un-kpi-033"]
    assert {e.source for e in result.entities if e.record_id == "KPi.033"} == {source}


def test_kpi_066_birth_year_range_is_spelled_out(lists: dict[str, ParseResult]) -> None:
    [person] = of_record(lists["2026"], "KPi.066", "Person")
    assert person.get("name") == ["KIM JONG SIK"]
    assert sorted(person.get("birthDate")) == ["1967", "1968", "1969"]
    assert "date of birth between 1967 and 1969" in person.get("notes")
    assert person.get("alias") == ["Kim Cho’ng-sik"]
    assert person.get("nationality") == ["kp"]
    assert person.get("country") == ["kp"]


def test_kpe_020_ocean_maritime_management(lists: dict[str, ParseResult]) -> None:
    [org] = of_record(lists["2026"], "KPe.020", "Organization")
    [sanction] = of_record(lists["2026"], "KPe.020", "Sanction")
    addresses = of_record(lists["2026"], "KPe.020", "Address")
    assert org.get("name") == ["OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)"]
    assert sorted(org.get("alias")) == [
        "East Sea Shipping Company",
        "Haeyang Crew Management Company",
        "Korea Mirae Shipping Co. Ltd",
    ]
    assert org.get("imoNumber") == ["IMO1790183"]
    assert org.get("program") == ["DPRK"]
    assert org.get("createdAt") == ["2014-07-28"]
    assert org.get("modifiedAt") == ["2022-07-26"]
    assert org.get("country") == ["kp"]
    assert org.get("notes")[0].endswith(
        "International Maritime Organization (IMO) Number: 1790183."
    )
    assert sanction.get("listingDate") == ["2014-07-28"]
    assert sanction.get("modifiedAt") == ["2022-07-26"]
    assert sanction.get("reason") == org.get("notes")
    assert sorted(a.get("full")[0] for a in addresses) == [
        "Dongheung-dong Changgwang Street, Chung-Ku, PO Box 125, Pyongyang, "
        "Democratic People's Republic of Korea",
        "Donghung Dong, Central District, PO Box 120, Pyongyang, "
        "Democratic People's Republic of Korea",
    ]
    assert sorted(org.get("addressEntity")) == sorted(str(a.id) for a in addresses)
    assert {a.get("city")[0] for a in addresses} == {"Pyongyang"}
    # In 2018 the record had the IMO number but not yet its aliases (added in 2022).
    [org_2018] = of_record(lists["2018"], "KPe.020", "Organization")
    assert org_2018.get("imoNumber") == ["IMO1790183"]
    assert org_2018.get("alias") == []


def test_kpe_066_company_number_and_stripped_reference(lists: dict[str, ParseResult]) -> None:
    for year in ("2026", "2018"):
        [org] = of_record(lists[year], "KPe.066", "Organization")
        assert org.get("name") == ["KOREA YUJONG SHIPPING CO LTD"]
        assert org.get("imoNumber") == ["IMO5434358"]
    # "KPe.056 " is written with a trailing space; the id is the trimmed reference.
    assert parties(lists["2026"])["KPe.056"].id == "un-kpe-056"


def test_kpe_029_formerly_known_as_becomes_previous_name(lists: dict[str, ParseResult]) -> None:
    [org] = of_record(lists["2026"], "KPe.029", "Organization")
    assert org.get("name") == ["NATIONAL AEROSPACE TECHNOLOGY ADMINISTRATION"]
    assert org.get("alias") == ["NATA"]
    assert sorted(org.get("previousName")) == [
        "NADA",
        "NATIONAL AEROSPACE DEVELOPMENT ADMINISTRATION",
    ]
    assert org.get("modifiedAt") == ["2024-04-15"]
    # A country-only address is the party's country, not an Address entity.
    assert org.get("country") == ["kp"]
    assert of_record(lists["2026"], "KPe.029", "Address") == []


def test_kpi_008_passport_listed_in_three_languages_is_one_document(
    lists: dict[str, ParseResult],
) -> None:
    [passport] = of_record(lists["2026"], "KPi.008", "Passport")
    assert passport.get("number") == ["645120196"]
    assert passport.get("country") == ["kp"]
    assert sorted(passport.get("type")) == [
        "Numéro de passeport",
        "Número de pasaporte",
        "Passport",
    ]
    [person] = of_record(lists["2026"], "KPi.008", "Person")
    assert person.get("passportNumber") == ["645120196"]
    assert len(person.get("alias")) == 5


def test_original_script_name_and_low_quality_aliases(lists: dict[str, ParseResult]) -> None:
    [person] = of_record(lists["2026"], "QDi.306", "Person")
    assert "مصطفى حجي محمد خان" in person.get("alias")
    assert "Abu Gharib al-Madani" in person.get("weakAlias")
    assert person.get("middleName") == ["MUHAMMAD", "KHAN"]


def test_listing_date_with_time_zone_suffix_is_kept_as_its_date(
    lists: dict[str, ParseResult],
) -> None:
    # The file writes <LISTED_ON>2015-07-01-04:00</LISTED_ON> for SSi.001.
    assert parties(lists["2026"])["SSi.001"].get("createdAt") == ["2015-07-01"]


def test_unconvertible_values_stay_in_notes_with_a_warning(lists: dict[str, ParseResult]) -> None:
    result = lists["2026"]
    assert len(result.warnings) == 3
    assert result.warnings[1] == (
        "un_consolidated_2026-02-27.xml:22549: QDi.291: date of birth "
        "'24/06/1402 (Hijri Calendar)' could not be converted; kept in notes"
    )
    hijri = "date of birth as listed: 24/06/1402 (Hijri Calendar)"
    assert hijri in parties(result)["QDi.291"].get("notes")
    old = parties(lists["2018"])["QDi.391"]
    assert old.get("nationality") == []
    assert "nationality as listed: Bahrain (citizenship revoked in Jan. 2015)" in old.get("notes")
    assert len(lists["2018"].warnings) == 25


# --- value conversions ------------------------------------------------------------------


def _birth(xml: str) -> tuple[list[str], list[str], list[str]]:
    birth = read_birth_date(
        etree.fromstring(f"<INDIVIDUAL_DATE_OF_BIRTH>{xml}</INDIVIDUAL_DATE_OF_BIRTH>")
    )
    return birth.dates, birth.notes, birth.unconverted


def test_birth_date_variants() -> None:
    exact = "<TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
    approx = "<TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>"
    between = "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>"
    assert _birth(exact + "<DATE>1964-07-17</DATE>") == (["1964-07-17"], [], [])
    assert _birth(exact + "<YEAR>1971</YEAR>") == (["1971"], [], [])
    assert _birth(exact + "<DATE>1960-01-01-05:00</DATE>") == (["1960-01-01"], [], [])
    assert _birth(approx + "<YEAR>1958</YEAR>") == (
        ["1958"],
        ["date of birth approximately 1958"],
        [],
    )
    assert _birth(between + "<FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR>") == (
        ["1960", "1961", "1962"],
        ["date of birth between 1960 and 1962"],
        [],
    )
    assert _birth(
        between + "<FROM_YEAR>1955</FROM_YEAR><TO_YEAR>1956</TO_YEAR><NOTE>Approximately</NOTE>"
    ) == (["1955", "1956"], ["date of birth approximately between 1955 and 1956"], [])
    assert _birth(between + "<FROM_YEAR>1900</FROM_YEAR><TO_YEAR>1950</TO_YEAR>")[0] == [
        "1900",
        "1950",
    ]
    assert _birth(between + "<FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1960</TO_YEAR>") == (
        [],
        [],
        ["between 1970 and 1960"],
    )
    assert _birth(exact + "<NOTE>Nov. 1973 </NOTE>") == (["1973-11"], [], [])
    assert _birth(exact + "<YEAR>1958</YEAR><NOTE>Sep.</NOTE>") == (["1958-09"], [], [])
    assert _birth(exact + "<DATE>1979-03-03</DATE><NOTE>from false passport</NOTE>") == (
        ["1979-03-03"],
        ["date of birth 1979-03-03: from false passport"],
        [],
    )
    assert _birth(exact + "<NOTE>30-35 years old</NOTE>") == ([], [], ["30-35 years old"])
    assert _birth("<TYPE_OF_DATE/>") == ([], [], [])


def test_date_helpers() -> None:
    assert iso_date("2016-11-30") == "2016-11-30"
    assert iso_date("2015-07-01-04:00") == "2015-07-01"
    assert iso_date("2015-07-01Z") == "2015-07-01"
    assert iso_date("1971") == "1971"
    assert iso_date("2015-02-30") is None
    assert iso_date("12 Mar 1945") is None
    assert month_year("August 1961") == "1961-08"
    assert month_year("Nov. 1973") == "1973-11"
    assert month_year("Between Aug. and Sep. 1977") is None


def test_a_vessel_imo_number_cited_for_a_company_is_not_its_own(tmp_path: Path) -> None:
    text = (FIXTURES / "un_dprk_excerpt.xml").read_text(encoding="utf-8")
    changed = tmp_path / "vessel_imo.xml"
    changed.write_text(text.replace("(IMO) Number: 1790183", "(IMO) Number: 9179842"))
    [result] = un_xml.parse([changed])
    [org] = of_record(result, "KPe.020", "Organization")
    assert org.get("imoNumber") == []
    assert "9179842" in org.get("notes")[0]
    assert result.warnings == [
        "vessel_imo.xml:88: KPe.020: comments cite IMO 9179842 (vessel check digit), "
        "not this Organization's own number; kept in notes only"
    ]


# --- bad input --------------------------------------------------------------------------


def test_excerpt_fixture_parses_like_the_full_list() -> None:
    [result] = un_xml.parse([FIXTURES / "un_dprk_excerpt.xml"])
    assert result.version == "2026-02-27"
    assert sorted(parties(result)) == ["KPe.020", "KPi.033", "KPi.066"]
    assert props(parties(result)["KPi.033"]) == KPI_033
    assert result.warnings == []


def test_truncated_file_raises_input_error_with_file_and_line() -> None:
    with pytest.raises(InputError, match=r"un_truncated\.xml:104: invalid XML"):
        un_xml.parse([FIXTURES / "un_truncated.xml"])


@pytest.mark.parametrize("name", ["un_billion_laughs.xml", "un_external_entity.xml"])
def test_entity_declarations_are_refused_unexpanded(name: str) -> None:
    with pytest.raises(HostileInputError, match=r"declares a DTD or entities") as caught:
        un_xml.parse([FIXTURES / name])
    assert name in caught.value.message
    assert "lollol" not in caught.value.message
    assert "root:" not in caught.value.message


def test_records_without_name_or_with_a_repeated_reference_are_rejected() -> None:
    [result] = un_xml.parse([FIXTURES / "un_edge_records.xml"])
    assert [(r.file, r.line, r.reason) for r in result.rejected] == [
        (
            "un_edge_records.xml",
            46,
            "KPi.034: no name (FIRST_NAME to FOURTH_NAME are all empty)",
        ),
        (
            "un_edge_records.xml",
            85,
            "reference number KPi.033 already used by the record at line 4",
        ),
    ]
    assert "<REFERENCE_NUMBER>KPi.034</REFERENCE_NUMBER>" in result.rejected[0].raw
    # The rest is parsed: KPi.033, and a record without reference number under its DATAID.
    assert sorted(parties(result)) == ["9000002", "KPi.033"]
    assert props(parties(result)["KPi.033"]) == KPI_033


def test_record_with_odd_values_keeps_every_one() -> None:
    [result] = un_xml.parse([FIXTURES / "un_edge_records.xml"])
    person = parties(result)["9000002"]
    [sanction] = of_record(result, "9000002", "Sanction")
    assert person.id == "un-9000002"
    assert sanction.get("unscId") == []  # a DATAID is no UN reference number
    assert person.get("createdAt") == ["2015-07-01"]
    assert sorted(person.get("birthDate")) == ["1958-09", "1973-11"]
    assert sorted(person.get("notes")) == [
        "FIFTH_NAME as listed: EXTRA",
        "date of birth as listed: 24/06/1402 (Hijri Calendar)",
        "gender as listed: Unknown",
        "nationality as listed: Possibly Ethiopian",
    ]
    assert len(result.warnings) == 5
    assert result.warnings[0] == (
        "un_edge_records.xml:91: 9000002: no REFERENCE_NUMBER; its DATAID is used as the record id"
    )


def test_each_file_is_its_own_result() -> None:
    results = un_xml.parse([FIXTURES / "un_dprk_excerpt.xml", FIXTURES / "un_edge_records.xml"])
    assert [r.files for r in results] == [["un_dprk_excerpt.xml"], ["un_edge_records.xml"]]
