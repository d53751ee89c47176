"""EU Financial Sanctions Files XML export: the hand-written excerpt in tests/data/lists/eu
(see its README for provenance) plus small broken variants written per test."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import HostileInputError, InputError
from sanctionwatch.lists.formats.eu_xml import FORMAT, parse, parse_file, sniff
from sanctionwatch.lists.model import ListEntity, ParseResult, entity_data
from sanctionwatch.lists.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "lists"
FIXTURE = DATA / "eu" / "eu_fsf_excerpt.xml"
UN_FILE = (
    Path(__file__).resolve().parents[3] / "data" / "lists" / "un" / "un_consolidated_2018-10-29.xml"
)
FTM_FIXTURE = DATA / "ftm" / "opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json"
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-06-24T10:00:00+02:00"'
    ' globalFileId="1">\n'
)


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_file(FIXTURE)


@pytest.fixture(scope="module")
def entities(result: ParseResult) -> dict[str, ListEntity]:
    return {e.entity_id: e for e in result.entities}


def props(entities: dict[str, ListEntity], entity_id: str) -> dict[str, list[str]]:
    return entity_data(entities[entity_id].proxy)["properties"]


def write_export(tmp_path: Path, records: str, name: str = "eu.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + records + "</export>\n", encoding="utf-8")
    return path


def test_fixture_gives_every_record_with_version_and_no_problems(result: ParseResult) -> None:
    schemata = Counter(e.proxy.schema.name for e in result.entities)
    assert (result.list_name, result.format_name, result.files) == ("eu", "eu_xml", [FIXTURE.name])
    assert result.version == "2025-11-14"
    assert schemata == {
        "Person": 5,
        "Organization": 4,
        "Vessel": 1,
        "Sanction": 10,
        "Passport": 2,
        "Address": 5,
    }
    assert result.rejected == []
    assert result.warnings == []


def test_dprk_person_with_hangul_alias(entities: dict[str, ListEntity]) -> None:
    assert props(entities, "eu-13190") == {
        "alias": ["Ri Che-son", "리제선"],
        "birthDate": ["1938"],
        "createdAt": ["2017-08-31"],
        "firstName": ["Che-son", "Je-son"],
        "gender": ["male"],
        "lastName": ["Ri"],
        "modifiedAt": ["2017-09-01"],
        "name": ["Ri Je-son"],
        "nationality": ["kp"],
        "notes": [
            "Former Director of the General Bureau of Atomic Energy (GBAE), chief agency "
            "directing DPRK's nuclear program; facilitated several nuclear endeavors including "
            "GBAE's management of Yongbyon Nuclear Research Center and Namchongang Trading "
            "Corporation. Date of UN designation: 2009-07-16."
        ],
        "position": ["Former Minister of Atomic Energy Industry"],
        "program": ["PRK"],
        "sourceUrl": [
            "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32017R1509&from=EN"
        ],
        "topics": ["sanction"],
    }


def test_sanction_carries_eu_and_un_references(entities: dict[str, ListEntity]) -> None:
    assert props(entities, "eu-13190-sanction") == {
        "authority": ["European Union"],
        "authorityId": ["EU.4075.94"],
        "country": ["eu"],
        "entity": ["eu-13190"],
        "listingDate": ["2017-08-31"],
        "modifiedAt": ["2017-09-01"],
        "program": ["PRK"],
        "recordId": ["13190"],
        "sourceUrl": [
            "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32017R1509&from=EN"
        ],
        "startDate": ["2017-09-01"],
        "summary": ["Legal acts: 2017/1509 (OJ L224)"],
        "unscId": ["KPi.002"],
    }


def test_record_id_and_source_lines(entities: dict[str, ListEntity]) -> None:
    assert entities["eu-13190"].record_id == "13190"
    assert entities["eu-13190"].source == "eu_fsf_excerpt.xml:4-17"
    assert entities["eu-13190-sanction"].source == "eu_fsf_excerpt.xml:4-17"
    assert entities["eu-15604"].source == "eu_fsf_excerpt.xml:129-142"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert 'logicalId="15604"' in lines[128] and lines[141].strip() == "</sanctionEntity>"


def test_weak_alias_and_passport(entities: dict[str, ListEntity]) -> None:
    person = props(entities, "eu-13197")
    assert person["weakAlias"] == ["Chang Myong-Ho"]
    assert person["alias"] == ["Chang Myong Ho", "Ra Kyung-Su", "라경수"]
    assert person["passportNumber"] == ["645120196"]
    passports = [
        e for e in entities.values() if e.record_id == "13197" and e.proxy.schema.name == "Passport"
    ]
    assert [entity_data(p.proxy)["properties"] for p in passports] == [
        {
            "country": ["kp"],
            "holder": ["eu-13197"],
            "number": ["645120196"],
            "type": ["National passport"],
        }
    ]


def test_birth_year_range_spelled_out(entities: dict[str, ListEntity]) -> None:
    person = props(entities, "eu-13468")
    assert person["birthDate"] == ["1967", "1968", "1969"]
    assert "date of birth between 1967 and 1969" in person["notes"]


def test_dprk_entity_with_address(entities: dict[str, ListEntity]) -> None:
    komid = props(entities, "eu-13240")
    assert entities["eu-13240"].proxy.schema.name == "Organization"
    assert komid["name"] == ["Korea Mining Development Trading Corporation"]
    assert "KOMID" in komid["alias"] and "조선광업개발무역회사" in komid["alias"]
    assert komid["country"] == ["kp"]
    (address_id,) = komid["addressEntity"]
    assert props(entities, address_id) == {
        "city": ["Pyongyang"],
        "country": ["kp"],
        "full": [
            "Central District, Pyongyang, KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF (NORTH KOREA)"
        ],
        "street": ["Central District"],
    }
    assert komid["address"] == props(entities, address_id)["full"]


def test_company_imo_numbers_stay_on_organisations(entities: dict[str, ListEntity]) -> None:
    # OMM's company number 1790183 also passes the ship check digit: still a company.
    assert entities["eu-13255"].proxy.schema.name == "Organization"
    assert props(entities, "eu-13255")["imoNumber"] == ["IMO1790183"]
    assert props(entities, "eu-13255")["address"][1].startswith(
        "Donghung Dong, Central District, PO Box 120"
    )
    # Korea Samjong Shipping's number is cited only in its remark.
    assert entities["eu-13613"].proxy.schema.name == "Organization"
    assert props(entities, "eu-13613")["imoNumber"] == ["IMO5954061"]


def test_ship_listed_as_enterprise_becomes_vessel(entities: dict[str, ListEntity]) -> None:
    vessel = props(entities, "eu-13618")
    assert entities["eu-13618"].proxy.schema.name == "Vessel"
    assert vessel["name"] == ["CHON MA SAN"]
    assert vessel["imoNumber"] == ["IMO8660313"]
    assert vessel["flag"] == ["kp"]
    assert props(entities, "eu-13618-sanction")["program"] == ["PRK"]
    assert "unscId" not in props(entities, "eu-13618-sanction")


def test_russian_person(entities: dict[str, ListEntity]) -> None:
    person = props(entities, "eu-139128")
    assert person["name"] == ["Sergei Kuzhugetovich SHOIGU"]
    assert person["alias"] == ["Sergey Shoygu", "Сергей Кужугетович ШОЙГУ"]
    assert person["birthDate"] == ["1955-05-21"]
    assert person["birthPlace"] == ["Chadan, Tuva, RUSSIAN FEDERATION"]
    assert person["birthCountry"] == ["ru"]
    assert person["position"] == [
        "Secretary of the Security Council of the Russian Federation",
        "former Minister of Defence of the Russian Federation",
    ]
    assert person["program"] == ["UKR"]
    assert (person["createdAt"], person["modifiedAt"]) == (["2022-02-23"], ["2024-09-13"])
    sanction = props(entities, "eu-139128-sanction")
    assert sanction["listingDate"] == ["2022-02-23"]
    assert sanction["summary"] == ["Legal acts: 2022/260 (OJ L42I); 2024/2455 (OJ L)"]
    assert len(sanction["sourceUrl"]) == 2


def test_russian_company(entities: dict[str, ListEntity]) -> None:
    company = props(entities, "eu-15604")
    assert company["name"] == ["Joint Stock Company Concern of Air Defence 'Almaz-Antey'"]
    assert company["weakAlias"] == ["Almaz-Antey JSC"]
    assert company["website"] == ["http://www.almaz-antey.ru/"]
    assert company["address"] == ["41 ul. Vereiskaya, 121471, Moscow, RUSSIAN FEDERATION"]
    assert "modifiedAt" not in company  # one regulation: listed and never amended


def test_sniff() -> None:
    assert sniff(read_head(FIXTURE), FIXTURE)
    assert not sniff(read_head(UN_FILE), UN_FILE)
    assert not sniff(read_head(FTM_FIXTURE), FTM_FIXTURE)
    assert sniff(b"<?xml version='1.0'?><export><sanctionEntity logicalId='1'>", Path("x.xml"))
    assert FORMAT.name == "eu_xml" and FORMAT.parse([FIXTURE])[0].version == "2025-11-14"


def test_parse_gives_one_result_per_file(tmp_path: Path) -> None:
    empty = write_export(tmp_path, "")
    results = parse([FIXTURE, empty])
    assert [(r.files, r.version, len(r.entities)) for r in results] == [
        ([FIXTURE.name], "2025-11-14", 27),
        (["eu.xml"], "2024-06-24", 0),
    ]


def test_truncated_file_raises_input_error_with_line(tmp_path: Path) -> None:
    truncated = tmp_path / "eu_truncated.xml"
    truncated.write_bytes(FIXTURE.read_bytes()[:9000])
    with pytest.raises(InputError, match=r"eu_truncated\.xml:\d+: invalid XML"):
        parse_file(truncated)


def test_record_without_name_is_rejected_rest_parsed(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    first, rest = text.split('logicalId="13190">', 1)
    record, after = rest.split("</sanctionEntity>", 1)
    record = re.sub(r"<nameAlias\b[^>]*[^/]>.*?</nameAlias>", "", record, flags=re.DOTALL)
    record = re.sub(r"<nameAlias\b[^>]*/>", "", record)
    broken = tmp_path / "eu_noname.xml"
    broken.write_text(first + 'logicalId="13190">' + record + "</sanctionEntity>" + after)
    result = parse_file(broken)
    assert [(r.file, r.line, r.reason) for r in result.rejected] == [
        ("eu_noname.xml", 4, "logicalId 13190: no nameAlias with a name")
    ]
    assert result.rejected[0].raw.startswith("<sanctionEntity")
    assert "eu-13190" not in {e.entity_id for e in result.entities}
    assert len(result.entities) == 27 - 2


def test_record_without_logical_id_is_rejected(tmp_path: Path) -> None:
    path = write_export(
        tmp_path,
        '<sanctionEntity euReferenceNumber="EU.1.1"><subjectType code="person"/>'
        '<nameAlias wholeName="Kim Il" strong="true"/></sanctionEntity>\n'
        '<sanctionEntity logicalId="7"><subjectType code="person"/>'
        '<nameAlias wholeName="Pak Il" strong="true"/></sanctionEntity>\n',
    )
    result = parse_file(path)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "sanctionEntity without logicalId")
    ]
    assert [e.entity_id for e in result.entities] == ["eu-7", "eu-7-sanction"]


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "eu_laughs.xml"
    hostile.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        + FIXTURE.read_text(encoding="utf-8").split("\n", 1)[1].replace("CHON MA SAN", "&lol2;")
    )
    with pytest.raises(HostileInputError):
        parse_file(hostile)


def test_other_xml_is_not_an_export() -> None:
    with pytest.raises(InputError, match="not an EU financial sanctions export"):
        parse_file(UN_FILE)


def test_unconvertible_values_kept_in_notes_with_warnings(tmp_path: Path) -> None:
    path = write_export(
        tmp_path,
        '<sanctionEntity logicalId="42" euReferenceNumber="EU.42.1">\n'
        '  <subjectType code="body" classificationCode=""/>\n'
        '  <nameAlias wholeName="Example Body" strong="true"/>\n'
        '  <birthdate birthdate="1954-13-45"/>\n'
        '  <citizenship countryDescription="Atlantis"/>\n'
        "</sanctionEntity>\n",
    )
    result = parse_file(path)
    party = entity_data(result.entities[0].proxy)
    assert party["schema"] == "LegalEntity"
    assert party["properties"]["notes"] == [
        "birthdate as listed: 1954-13-45",
        "citizenship as listed: Atlantis",
        "subjectType as listed: body",
    ]
    assert result.warnings == [
        "eu.xml:3: eu 42: subjectType 'body' could not be converted; kept in notes",
        "eu.xml:3: eu 42: citizenship 'Atlantis' could not be converted; kept in notes",
        "eu.xml:3: eu 42: birthdate '1954-13-45' could not be converted; kept in notes",
    ]


def test_documents_circa_dates_and_contacts(tmp_path: Path) -> None:
    path = write_export(
        tmp_path,
        '<sanctionEntity logicalId="43">\n'
        '  <subjectType code="person" classificationCode="P"/>\n'
        '  <nameAlias wholeName="Kim Su Il" title="(a) Dr (b) Prof" strong="true"/>\n'
        '  <birthdate circa="true" year="1950" monthOfYear="0" dayOfMonth="0">'
        "<remark>as per passport</remark></birthdate>\n"
        '  <identification identificationTypeCode="id" identificationTypeDescription="National'
        ' identification card" number="108410159" countryIso2Code="KP" knownExpired="true">'
        "<remark>issued in Pyongyang</remark></identification>\n"
        '  <address city="Beijing" countryIso2Code="CN"><contactInfo key="PHONE"'
        ' value="+86 10 6532 1234, +86 10 6532 5678"/></address>\n'
        "</sanctionEntity>\n",
    )
    result = parse_file(path)
    found = {e.proxy.schema.name: entity_data(e.proxy)["properties"] for e in result.entities}
    assert found["Person"]["birthDate"] == ["1950"]
    assert found["Person"]["notes"] == [
        "date of birth circa 1950",
        "date of birth: as per passport",
    ]
    assert found["Person"]["title"] == ["Dr", "Prof"]
    assert found["Person"]["idNumber"] == ["108410159"]
    assert found["Person"]["phone"] == ["+861065321234", "+861065325678"]
    assert found["Identification"] == {
        "country": ["kp"],
        "holder": ["eu-43"],
        "number": ["108410159"],
        "summary": ["issued in Pyongyang; known to be expired"],
        "type": ["National identification card"],
    }
    assert result.warnings == []
