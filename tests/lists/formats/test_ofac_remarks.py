"""Reading OFAC's Remarks field (``ofac_remarks``): pure functions on real remark strings.

Every remark string below is copied verbatim from the bundled data/lists/ofac/
sdn_2024-05-03.csv (the ent_num is named beside it); a test at the end checks that they
still are.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sanctionwatch.lists.formats.ofac_remarks import (
    Fact,
    IdentityDocument,
    Remarks,
    parse_date,
    parse_dob,
    parse_remarks,
    split_remarks,
)

SDN_2024 = Path(__file__).resolve().parents[3] / "data" / "lists" / "ofac" / "sdn_2024-05-03.csv"

SECONDARY = (
    "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"
)
PROHIBITED = (
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: "
    "North Korea Sanctions Regulations section 510.214"
)
REAL = {
    # RYU, Jin (DPRK2)
    "17616": f"DOB 07 Aug 1965; nationality Korea, North; {SECONDARY}; {PROHIBITED}; "
    "Passport 563410081; KOMID official in Syria.",
    # KIM, Yong Chol (DPRK)
    "12211": f"DOB circa 1947; alt. DOB circa 1946; POB Pyongan-Pukto, North Korea; "
    f"{SECONDARY}; {PROHIBITED}.",
    # RYONG GUN BONG (DPRK vessel): the one DPRK vessel without "IMO" before its number
    "17104": f"{SECONDARY}; {PROHIBITED}; Vessel Registration Identification 8606173.",
    # ARTAVIL (IRAN vessel)
    "15036": "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel "
    "Flag None Identified; alt. Former Vessel Flag Tanzania; Additional Sanctions Information"
    " - Subject to Secondary Sanctions; Vessel Registration Identification IMO 9187629; MMSI "
    "572469210; f.k.a. 'ALPHA'; Linked To: NATIONAL IRANIAN TANKER COMPANY.",
    # AL-SHARIF, Sa'd Abdullah Hussein (SDGT)
    "6944": "DOB 1969; alt. DOB 1963; alt. DOB 11 Feb 1964; POB Al-Medinah, Saudi Arabia; "
    "nationality Saudi Arabia; Passport B 960789; alt. Passport G 649385 issued 08 Sep 2006 "
    "expires 17 Jul 2011.",
    # SELEK, Atilla (SDGT): a sentence that starts like a passport statement
    "11968": "DOB 28 Feb 1985; POB Ulm, Germany; nationality Germany; Passport 702142921 "
    "(Germany) expires 03 Dec 2011; National ID No. 702092811 (Germany) expires 06 Apr 2010; "
    "Passport and National ID were issued in Ulm, Germany.  Currently incarcerated at JVA "
    "Bruchsal prison.; a.k.a. 'MUAZ'.",
    # LEBEDINSKIY GORNO OBOGATITELNIY KOMBINAT JOINT STOCK COMPANY (RUSSIA-EO14024)
    "41920": "Organization Established Date 1971; Organization Type: Mining of iron ores; Tax "
    "ID No. 3127000014 (Russia); Registration Number 1023102257914 (Russia); n.k.a. 'LGOK'; "
    "Linked To: HOLDINGOVAYA KOMPANIYA METALLOINVEST AO.",
    # WANG, Guoying (SDNTK)
    "16819": "DOB 19 Mar 1950; nationality China; citizen China; Gender Female; Passport "
    "G41966371 (China); Chinese Commercial Code 3769 0948 5391; Linked To: CEC LIMITED.",
    # NIKOUSOKHAN, Mahmoud (IRAN)
    "15962": "DOB 01 Jan 1961 to 31 Dec 1962; nationality Iran; Additional Sanctions "
    "Information - Subject to Secondary Sanctions; Passport U14624657 (Iran); Finance Director,"
    " National Iranian Oil Company; Director, Hong Kong Intertrade Company; Director, Petro "
    "Suisse Intertrade Company.",
    # NISHIGUCHI, Shigeo (TCO)
    "15496": "DOB 1929 to 1930; Linked To: SUMIYOSHI-KAI.",
    # HAMIEH, Jamiel (SDNTK)
    "6862": "DOB Sep 1938.",
    # MAHAMOUD, Bashir Mohamed (SOMALIA)
    "11748": "nationality Somalia; DOB circa 1979-1982; alt. DOB 1982; a.k.a. 'MUSCAB, Abu'; "
    "a.k.a. 'QORGAB'.",
    # RAMAK (SYRIA)
    "10933": "Website www.ramakdutyfree.net; Email Address dam.d.free@net.sy.",
    # EP-GOM (aircraft, SDGT)
    "15431": "Aircraft Construction Number (also called L/N or S/N or F/N) 8401; Aircraft "
    "Manufacture Date 1992; Aircraft Model IL76-TD; Aircraft Operator YAS AIR; Aircraft "
    "Manufacturer's Serial Number (MSN) 1023409321; Linked To: POUYA AIR.",
    # CHONGBONG SHIPPING CO LTD (DPRK3): a company IMO number under the vessel label
    "19569": f"{SECONDARY}; {PROHIBITED}; Vessel Registration Identification IMO 5878589.",
}


def facts(remarks: Remarks, prop: str) -> list[str]:
    return [fact.value for fact in remarks.facts if fact.prop == prop]


def test_the_remark_strings_are_verbatim_from_the_bundled_list() -> None:
    with SDN_2024.open(encoding="utf-8", newline="") as handle:
        remarks = {row[0]: row[11] for row in csv.reader(handle) if len(row) == 12}
    for ent_num, text in REAL.items():
        assert remarks[ent_num] == text, ent_num


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("15 Jun 1962", "1962-06-15"),
        ("07 Aug 1965", "1965-08-07"),
        ("5 Jun 1962", "1962-06-05"),
        ("Jun 1962", "1962-06"),
        ("Sep 1938.", "1938-09"),
        ("15 October 1950", "1950-10-15"),
        ("1962", "1962"),
        ("31 Feb 1962", None),
        ("15 Foo 1962", None),
        ("15 1962", None),
        ("circa 1962", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 Jun 1962", (["1962-06-15"], True)),
        ("1962", (["1962"], True)),
        ("Jun 1962", (["1962-06"], True)),
        ("circa 1960", (["1960"], False)),
        ("circa 01 Jan 1960", (["1960-01-01"], False)),
        ("1960 to 1962", (["1960", "1961", "1962"], False)),
        ("01 Jan 1961 to 31 Dec 1962", (["1961", "1962"], False)),
        ("circa 1979-1982", (["1979", "1980", "1981", "1982"], False)),
        ("10 Mar 1960 to 20 Apr 1961", (["1960-03-10", "1961-04-20"], False)),
        ("1900 to 1950", (["1900", "1950"], False)),  # too wide to list every year
        ("1962 to 1960", None),
        ("circa 1950s", None),
        ("unknown", None),
    ],
)
def test_parse_dob(text: str, expected: tuple[list[str], bool] | None) -> None:
    assert parse_dob(text) == expected


def test_split_remarks_drops_only_the_final_period() -> None:
    assert split_remarks("DOB 1962; POB Shati.") == ["DOB 1962", "POB Shati"]
    assert split_remarks("a.k.a. 'RGB'.") == ["a.k.a. 'RGB'"]
    assert split_remarks("Linked To: PETROLEOS DE VENEZUELA, S.A.") == [
        "Linked To: PETROLEOS DE VENEZUELA, S.A"
    ]
    assert split_remarks("nationality possibly Palestinian;arrested 23 Apr 2002") == [
        "nationality possibly Palestinian",
        "arrested 23 Apr 2002",
    ]


def test_empty_remarks() -> None:
    assert parse_remarks(None) == Remarks()
    assert parse_remarks("-0- ") == Remarks()


def test_dprk_person_remarks() -> None:
    remarks = parse_remarks(REAL["17616"])
    assert facts(remarks, "birthDate") == ["1965-08-07"]
    assert remarks.facts[1] == Fact("nationality", "Korea, North", "nationality", "country")
    assert remarks.documents == [
        IdentityDocument(
            "passport", "Passport", "563410081", None, None, None, "Passport 563410081"
        )
    ]
    assert remarks.provisions == [SECONDARY, PROHIBITED]
    assert remarks.notes == [SECONDARY, PROHIBITED, "KOMID official in Syria"]
    assert remarks.linked_to == []
    assert remarks.warnings == []


def test_several_approximate_dobs_and_place_of_birth() -> None:
    remarks = parse_remarks(REAL["12211"])
    assert facts(remarks, "birthDate") == ["1947", "1946"]
    assert facts(remarks, "birthPlace") == ["Pyongan-Pukto, North Korea"]
    assert "DOB as listed: circa 1947" in remarks.notes
    assert "DOB as listed: circa 1946" in remarks.notes


def test_several_exact_dobs_and_passports_with_dates() -> None:
    remarks = parse_remarks(REAL["6944"])
    assert facts(remarks, "birthDate") == ["1969", "1963", "1964-02-11"]
    assert facts(remarks, "nationality") == ["Saudi Arabia"]
    assert [(d.number, d.issued, d.expires) for d in remarks.documents] == [
        ("B 960789", None, None),
        ("G 649385", "2006-09-08", "2011-07-17"),
    ]
    assert remarks.notes == []


def test_dob_ranges_and_month() -> None:
    assert facts(parse_remarks(REAL["15962"]), "birthDate") == ["1961", "1962"]
    assert facts(parse_remarks(REAL["15496"]), "birthDate") == ["1929", "1930"]
    assert "DOB as listed: 1929 to 1930" in parse_remarks(REAL["15496"]).notes
    assert facts(parse_remarks(REAL["6862"]), "birthDate") == ["1938-09"]
    mahamoud = parse_remarks(REAL["11748"])
    assert facts(mahamoud, "birthDate") == ["1979", "1980", "1981", "1982", "1982"]
    assert facts(mahamoud, "weakAlias") == ["MUSCAB, Abu", "QORGAB"]


def test_prose_that_starts_like_a_document_is_kept_as_a_note() -> None:
    remarks = parse_remarks(REAL["11968"])
    assert [(d.kind, d.number, d.country, d.expires) for d in remarks.documents] == [
        ("passport", "702142921", "Germany", "2011-12-03"),
        ("id", "702092811", "Germany", "2010-04-06"),
    ]
    assert remarks.notes == [
        "Passport and National ID were issued in Ulm, Germany.  Currently incarcerated at JVA "
        "Bruchsal prison."
    ]
    assert facts(remarks, "weakAlias") == ["MUAZ"]


def test_vessel_remarks() -> None:
    remarks = parse_remarks(REAL["15036"])
    assert facts(remarks, "pastFlags") == ["Malta", "Tuvalu", "None Identified", "Tanzania"]
    assert facts(remarks, "imoNumber") == ["IMO9187629"]
    assert facts(remarks, "mmsi") == ["572469210"]
    assert facts(remarks, "previousName") == ["ALPHA"]
    assert remarks.linked_to == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert remarks.provisions == [
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    ]


def test_vessel_registration_without_imo_word() -> None:
    remarks = parse_remarks(REAL["17104"])
    assert facts(remarks, "imoNumber") == ["IMO8606173"]
    assert len(remarks.warnings) == 1
    assert "8606173" in remarks.warnings[0]
    # An invalid check digit is not taken for an IMO number: the statement stays a note.
    bad = parse_remarks("Vessel Registration Identification 8606174.")
    assert facts(bad, "imoNumber") == []
    assert bad.notes == ["Vessel Registration Identification 8606174"]


def test_company_imo_number() -> None:
    assert facts(parse_remarks(REAL["19569"]), "imoNumber") == ["IMO5878589"]
    assert facts(parse_remarks("Company Number IMO 5055293."), "imoNumber") == ["IMO5055293"]


def test_company_remarks() -> None:
    remarks = parse_remarks(REAL["41920"])
    assert facts(remarks, "incorporationDate") == ["1971"]
    assert facts(remarks, "sector") == ["Mining of iron ores"]
    assert facts(remarks, "alias") == ["LGOK"]  # n.k.a.: the name it is now known by
    assert [(d.kind, d.label, d.number, d.country) for d in remarks.documents] == [
        ("tax", "Tax ID No.", "3127000014", "Russia"),
        ("registration", "Registration Number", "1023102257914", "Russia"),
    ]
    assert remarks.linked_to == ["HOLDINGOVAYA KOMPANIYA METALLOINVEST AO"]


def test_person_gender_citizenship_and_unknown_statements() -> None:
    remarks = parse_remarks(REAL["16819"])
    assert facts(remarks, "gender") == ["female"]
    assert facts(remarks, "citizenship") == ["China"]
    assert facts(remarks, "nationality") == ["China"]
    assert remarks.notes == ["Chinese Commercial Code 3769 0948 5391"]
    assert remarks.linked_to == ["CEC LIMITED"]


def test_contact_details_and_aircraft() -> None:
    ramak = parse_remarks(REAL["10933"])
    assert facts(ramak, "website") == ["www.ramakdutyfree.net"]
    assert facts(ramak, "email") == ["dam.d.free@net.sy"]
    plane = parse_remarks(REAL["15431"])
    assert facts(plane, "serialNumber") == ["8401", "1023409321"]
    assert facts(plane, "buildDate") == ["1992"]
    assert facts(plane, "model") == ["IL76-TD"]
    assert plane.notes == ["Aircraft Operator YAS AIR"]


def test_statements_that_only_look_like_fields_stay_notes() -> None:
    remarks = parse_remarks("Gender and Culture; DOB sometime in the 1950s; Passport.")
    assert facts(remarks, "gender") == []
    assert facts(remarks, "birthDate") == []
    assert remarks.notes == [
        "Gender and Culture",
        "DOB as listed: sometime in the 1950s",
        "Passport",
    ]
    assert remarks.warnings == ["unreadable date in 'DOB sometime in the 1950s'"]


def test_every_statement_of_the_whole_list_is_used_or_kept() -> None:
    """No statement vanishes: each gives a fact, a document, a link or a note."""
    with SDN_2024.open(encoding="utf-8", newline="") as handle:
        texts = [row[11] for row in csv.reader(handle) if len(row) == 12]
    lost = []
    for text in texts:
        if text.strip() == "-0-":
            continue
        for statement in split_remarks(text):
            single = parse_remarks(statement)
            if not (single.facts or single.documents or single.linked_to or single.notes):
                lost.append(statement)
    assert lost == []
