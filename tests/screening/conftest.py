"""A home directory with real lists loaded, shared by the screening tests of one session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from tests.conftest import OFAC_SDN_2024, UK_OFSI_2018, UN_2026


@pytest.fixture(scope="session")
def screening_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("screening-home")
    with ListStore(home / "lists.sqlite") as store:
        load_batches(store, [[UN_2026], [OFAC_SDN_2024], [UK_OFSI_2018]])
    return home
