"""IMO numbers: check digits of ships and companies, and citations in list remarks."""

from __future__ import annotations

from sanctionwatch.lists.identifiers import (
    cited_imo_numbers,
    imo_kind,
    is_company_imo,
    is_ship_imo,
)


def test_ship_check_digit() -> None:
    assert is_ship_imo("7937317")  # CHONG CHON GANG (OFAC)
    assert is_ship_imo("8606173")  # RYONG GUN BONG (OFAC)
    assert is_ship_imo("9179842")
    assert not is_ship_imo("8606174")
    assert not is_ship_imo("860617")
    assert not is_ship_imo("IMO8606173")


def test_company_check_digit_and_kind() -> None:
    assert is_company_imo("5342883")  # Chongchongang Shipping Company (UN KPe.022)
    assert imo_kind("5342883") == "company"
    assert imo_kind("9179842") == "vessel"
    assert imo_kind("1234568") == "invalid"
    # Ocean Maritime Management's number passes both checks: a company's, as cited.
    assert is_company_imo("1790183") and is_ship_imo("1790183")
    assert imo_kind("1790183") == "company"


def test_cited_numbers() -> None:
    assert cited_imo_numbers("IMO Number: 5342883. The Chongchongang Shipping") == ["5342883"]
    assert cited_imo_numbers("operation. Company Number IMO 5434358.") == ["5434358"]
    assert cited_imo_numbers("Organization (IMO) Number: 1790183.") == ["1790183"]
    assert cited_imo_numbers("for oil. IMO number: 5676084") == ["5676084"]
    assert cited_imo_numbers("IMO 1790183; IMO: 1790183", "IMO 9179842") == ["1790183", "9179842"]
    assert cited_imo_numbers("Jaish-IMohammed (QDe.019)") == []
    assert cited_imo_numbers("IMO 12345678") == []
