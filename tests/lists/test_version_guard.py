"""A new list version that empties the list is refused; one that removes more than half of
the previous version's entities needs ``force`` (``--force``), and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sanctionwatch.cli import cli
from sanctionwatch.errors import ListShrinkError
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from tests.conftest import FIXTURES, UN_2018, UN_2026, store_state

UN_EMPTY = FIXTURES / "un" / "un_empty_2026-03-01.xml"
UN_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"  # 3 records of UN 2026-02-27
UN_2026_ENTITIES = 3108


@pytest.fixture
def un_2026(store: ListStore) -> ListStore:
    load_lists(store, [UN_2026])
    return store


def test_a_version_without_any_entity_is_refused(un_2026: ListStore) -> None:
    before = store_state(un_2026)
    with pytest.raises(ListShrinkError) as error:
        load_lists(un_2026, [UN_EMPTY])
    message = error.value.message
    assert "un 2026-03-01" in message and "no usable entity" in message
    assert "un_empty_2026-03-01.xml" in message
    assert store_state(un_2026) == before
    with pytest.raises(ListShrinkError):
        load_lists(un_2026, [UN_EMPTY], force=True)  # never a list, even when forced
    assert store_state(un_2026) == before
    latest = un_2026.find_version("un")
    assert (latest.version, latest.entity_count) == ("2026-02-27", UN_2026_ENTITIES)


def test_an_empty_first_version_is_refused_too(store: ListStore) -> None:
    with pytest.raises(ListShrinkError, match="no usable entity"):
        load_lists(store, [UN_EMPTY])
    assert store.list_names() == []


def test_removing_more_than_half_needs_force(un_2026: ListStore) -> None:
    before = store_state(un_2026)
    with pytest.raises(ListShrinkError) as error:
        load_lists(un_2026, [UN_EXCERPT], version="2026-03-01")
    message = error.value.message
    removed = UN_2026_ENTITIES - 9  # the excerpt's three records make 9 entities
    assert f"would remove {removed} of the {UN_2026_ENTITIES} entities" in message
    assert "previous version (2026-02-27)" in message and "--force" in message
    assert store_state(un_2026) == before
    [outcome] = load_lists(un_2026, [UN_EXCERPT], version="2026-03-01", force=True)
    assert outcome.created and outcome.version.version == "2026-03-01"
    assert outcome.changes is not None and outcome.changes.removed == removed


def test_ordinary_updates_pass(store: ListStore) -> None:
    load_lists(store, [UN_2018])
    [outcome] = load_lists(store, [UN_2026])  # 724 of 3408 removed: a real update
    assert outcome.created and outcome.changes is not None and outcome.changes.removed == 724


def test_lists_load_force_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["--home", str(home), "lists", "load", *args])
        return result.exit_code, result.output

    assert run(str(UN_2026))[0] == 0
    code, out = run(str(UN_EMPTY))
    assert code == 2 and "no usable entity" in out and "Traceback" not in out
    code, out = run(str(UN_EXCERPT), "--list-version", "2026-03-01")
    assert code == 2 and "more than half" in out and "--force" in out
    code, out = run(str(UN_EXCERPT), "--list-version", "2026-03-01", "--force")
    assert code == 0, out
    assert "2026-03-01" in out
