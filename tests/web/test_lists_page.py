"""The lists page without a browser: each list's versions, what its last update changed (as
``lists diff`` computes it), the portfolio hits that update brought, and list data escaped.

The home holds two real versions of the UN list (2018-10-29, 2026-02-27) and two versions
of an OFAC excerpt in FtM, the second adding a party named like an XSS attempt; its
portfolio was screened after each UN version, as ``sanctionwatch run`` does."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionwatch.cases import accounts
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.portfolio.screen import screen_portfolio, signature_text
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.service import open_screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.cases.conftest import FTM_EXCERPT
from tests.conftest import UN_2018, UN_2026

XSS = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>'
PORTFOLIO_CSV = (
    "id,name,schema\n"
    "c-new,Seka Baluku,Person\n"  # listed by the UN in the 2026 version only
    "c-old,Sylvestre Mudacumura,Person\n"  # listed in both versions, unchanged
    "c-none,Jane Nobody Smithfield,Person\n"
)


def settings_for(home: Path) -> Settings:
    return Settings(
        home=home,
        cookie_secure="never",
        password_time_cost=1,
        password_memory_kib=8,
        password_parallelism=1,
    )


def screen_the_portfolio(settings: Settings) -> None:
    screener = open_screener(settings)
    with PortfolioStore(settings.home) as portfolio:
        screen_portfolio(portfolio, screener, signature_text(screener.index.signature))


@pytest.fixture(scope="module")
def lists_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lists-page")
    home = root / "home"
    settings = settings_for(home)
    second = root / "excerpt-2.ftm.json"
    party = {
        "id": "ofac-xss-1",
        "caption": XSS,
        "schema": "Person",
        "properties": {"name": [XSS]},
        "datasets": ["us_ofac_sdn"],
        "target": True,
    }
    second.write_text(
        FTM_EXCERPT.read_text(encoding="utf-8") + json.dumps(party) + "\n", encoding="utf-8"
    )
    counterparties = root / "portfolio.csv"
    counterparties.write_text(PORTFOLIO_CSV, encoding="utf-8")
    with ListStore(settings.store_path) as store:
        load_lists(store, [UN_2018])
        load_lists(store, [FTM_EXCERPT], version="2024-05-03")
        load_lists(store, [second], version="2024-06-01")
    with PortfolioStore(home) as portfolio:
        portfolio.add(counterparties)
    screen_the_portfolio(settings)
    with ListStore(settings.store_path) as store:
        load_lists(store, [UN_2026])
    screen_the_portfolio(settings)
    return home


@contextmanager
def signed_in_viewer(home: Path) -> Iterator[TestClient]:
    settings = settings_for(home)
    app: FastAPI = create_app(settings, auth=ApiKeyAuth.from_key("k"))
    with app.state.cases.begin() as session:
        if accounts.find_user(session, "l-viewer") is None:
            accounts.add_user(session, settings, cli_principal(), "l-viewer", "viewer", "pw-v")
    with TestClient(app) as client:
        answer = client.post("/api/login", json={"username": "l-viewer", "password": "pw-v"})
        assert answer.status_code == 200, answer.text
        yield client


@pytest.fixture(scope="module")
def page(lists_home: Path) -> str:
    with signed_in_viewer(lists_home) as client:
        answer = client.get("/lists")
    assert answer.status_code == 200
    return str(answer.text)


def list_section(html: str, name: str) -> str:
    found = re.search(
        rf'<section class="card list-card" aria-labelledby="list-{name}">(.*?)</section>',
        html,
        re.S,
    )
    assert found, f"no section for {name}"
    return found.group(1)


def test_each_list_shows_its_versions_newest_first(page: str, lists_home: Path) -> None:
    un = list_section(page, "un")
    with ListStore(settings_for(lists_home).store_path, writable=False) as store:
        old, new = store.versions("un")
    assert un.index("<td>2026-02-27</td>") < un.index("<td>2018-10-29</td>")
    for version in (old, new):
        assert f">{version.content_digest[:12]}</abbr>" in un
        assert f"{version.entity_count:,}" in un
    assert "latest 2026-02-27" in un


def test_the_last_update_is_summarised_as_lists_diff_computes_it(page: str) -> None:
    un = list_section(page, "un")
    assert "From 2018-10-29 to 2026-02-27" in un
    assert '<span class="count-added">111 added</span>' in un
    assert '<span class="count-changed">649 changed</span>' in un
    assert '<span class="count-removed">201 removed</span>' in un
    assert "424 added, 1292 changed, 724 removed" in un  # every entity
    assert "SEKA BALUKU" in un  # a sample of the names added
    assert "(first 8 of 111)" in un


def test_the_portfolio_hits_the_update_brought_are_shown(page: str) -> None:
    assert "3 counterparties; last screened" in page
    assert re.search(r"<strong>1 new</strong>", page)
    un = list_section(page, "un")
    hits = un.split("Portfolio hits from this update", 1)[1]
    assert "Seka Baluku" in hits and "SEKA BALUKU" in hits
    assert "Sylvestre Mudacumura" not in hits  # unchanged party: not this update's


def test_a_list_with_data_from_outside_is_escaped(page: str) -> None:
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_home_without_a_portfolio_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with ListStore(home / "lists.sqlite") as store:
        load_lists(store, [FTM_EXCERPT], version="2024-05-03")
    with signed_in_viewer(home) as client:
        text = client.get("/lists").text
    assert "This home has no portfolio" in text
    assert "Only one version is loaded" in text
