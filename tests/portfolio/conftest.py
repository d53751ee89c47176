"""Fixtures of the portfolio tests: a home with the bundled real lists (UN 2026, OFAC SDN
2024, OFAC non-SDN 2025, UK OFSI 2018) and a screener over them, both made once per session
(loading the lists and building the index take seconds); tests that write get a fresh home
of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import load_index
from tests.conftest import OFAC_CONS_2025, OFAC_SDN_2024, UK_OFSI_2018, UN_2026


@pytest.fixture(scope="session")
def lists_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the real lists loaded and its screening index saved (never written by
    a test: copy what you change into ``tmp_path``)."""
    home = tmp_path_factory.mktemp("portfolio-lists")
    with ListStore(home / "lists.sqlite") as store:
        load_batches(store, [[UN_2026], [OFAC_SDN_2024], [OFAC_CONS_2025], [UK_OFSI_2018]])
        load_index(store, home / "screening-index.pickle")
    return home


@pytest.fixture(scope="session")
def screener(lists_home: Path) -> Screener:
    with ListStore(lists_home / "lists.sqlite", writable=False) as store:
        return Screener(load_index(store, lists_home / "screening-index.pickle"))


@pytest.fixture
def portfolio(tmp_path: Path) -> Iterator[PortfolioStore]:
    """An empty portfolio in a fresh home."""
    home = tmp_path / "home"
    home.mkdir()
    with PortfolioStore(home) as store:
        yield store


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
