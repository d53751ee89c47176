"""Parsed real OFAC files, shared by the OFAC parser tests (parsed once per module)."""

from __future__ import annotations

import pytest

from sanctionwatch.lists.formats import ofac_csv
from sanctionwatch.lists.model import ParseResult
from tests.lists.formats.ofac_support import AUX_2025, CONS, SDN_2024, SET_2021, one, set_files


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
