"""A home with real lists loaded (UN 2026-02-27, OFAC SDN 2024-05-03), and an API client on
it. Package-scoped: the lists load once (about ten seconds) for every web test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.config import Settings
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.service import open_screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.conftest import OFAC_SDN_2024, UN_2026

API_KEY = "test-key-not-secret"
AUTH = {"Authorization": f"ApiKey {API_KEY}"}


@pytest.fixture(scope="package")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-home")
    with ListStore(home / "lists.sqlite") as store:
        load_lists(store, [UN_2026, OFAC_SDN_2024])
    return home


@pytest.fixture(scope="package")
def screener(home: Path) -> Screener:
    return open_screener(Settings(home=home))  # also saves the index for `serve` to load


@pytest.fixture(scope="package")
def client(home: Path, screener: Screener) -> Iterator[TestClient]:
    app = create_app(Settings(home=home), auth=ApiKeyAuth.from_key(API_KEY), screener=screener)
    with TestClient(app) as opened:
        yield opened


def person(name: str | list[str], **properties: str | list[str]) -> dict[str, object]:
    """A yente query example for a Person."""
    return {"schema": "Person", "properties": {"name": name, **properties}}
