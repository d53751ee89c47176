"""Shared fixtures: paths to the bundled real lists and fresh stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.lists.store import ListStore

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "data" / "lists"  # the bundled real lists (provenance: data/lists/PROVENANCE.md)
FIXTURES = ROOT / "tests" / "data" / "lists"

UN_2018 = LISTS / "un" / "un_consolidated_2018-10-29.xml"
UN_2026 = LISTS / "un" / "un_consolidated_2026-02-27.xml"
OFAC_SDN_2024 = LISTS / "ofac" / "sdn_2024-05-03.csv"
OFAC_SET_2021 = LISTS / "ofac" / "sdn_set_2021-07-07"
OFAC_AUX_2025 = LISTS / "ofac" / "aux_2025-12-24"
OFAC_CONS_2025 = LISTS / "ofac" / "cons_nonsdn_2025-12-19"
UK_OFSI_2018 = LISTS / "uk" / "ofsi_conlist_2018-04-13.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ListStore]:
    with ListStore(tmp_path / "home" / "lists.sqlite") as opened:
        yield opened


def store_state(store: ListStore) -> list[tuple[str, str, str, int]]:
    """Everything that identifies what a store holds: each version's list, date, content."""
    return [
        (v.list_name, v.version, v.content_digest, v.entity_count)
        for name in store.list_names()
        for v in store.versions(name)
    ]
