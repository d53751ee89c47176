"""lists diff on the two real UN versions (2018-10-29 and 2026-02-27), checked against an
independent reading of both XML files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sanctionwatch.lists.diff import diff_versions, from_first_difference
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.model import PARTY_SCHEMATA, slug
from sanctionwatch.lists.store import ListStore
from tests.conftest import UN_2018, UN_2026


def _records(path: Path) -> dict[str, dict[str, str]]:
    """Reference number -> a few raw fields, read with the standard library."""
    tree = ET.parse(path)
    out = {}
    for record in [*tree.iter("INDIVIDUAL"), *tree.iter("ENTITY")]:
        ref = (record.findtext("REFERENCE_NUMBER") or "").strip()
        out[ref] = {"comments": " ".join((record.findtext("COMMENTS1") or "").split())}
    return out


@pytest.fixture(scope="module")
def un_diff(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with ListStore(tmp_path_factory.mktemp("diff") / "lists.sqlite") as store:
        load_lists(store, [UN_2018])
        load_lists(store, [UN_2026])
        old, new = store.versions("un")
        yield diff_versions(store, old, new)


def test_added_and_removed_parties_match_the_files(un_diff) -> None:  # type: ignore[no-untyped-def]
    before, after = _records(UN_2018), _records(UN_2026)
    expected_added = {f"un-{slug(r)}" for r in after.keys() - before.keys()}
    expected_removed = {f"un-{slug(r)}" for r in before.keys() - after.keys()}
    added = {c.entity_id for c in un_diff.added if c.schema in PARTY_SCHEMATA}
    removed = {c.entity_id for c in un_diff.removed if c.schema in PARTY_SCHEMATA}
    assert added == expected_added
    assert removed == expected_removed
    assert len(added) > 50  # the list grew between 2018 and 2026
    assert un_diff.from_version == "2018-10-29"
    assert un_diff.to_version == "2026-02-27"


def test_dprk_records_are_all_kept_and_changed_comments_show_old_and_new(un_diff) -> None:  # type: ignore[no-untyped-def]
    before, after = _records(UN_2018), _records(UN_2026)
    dprk_before = {r for r in before if r.startswith("KP")}
    assert dprk_before == {r for r in after if r.startswith("KP")}
    assert len(dprk_before) == 155
    removed_parties = {c.entity_id for c in un_diff.removed if c.schema in PARTY_SCHEMATA}
    assert not any(i.startswith(("un-kpi", "un-kpe")) for i in removed_parties)

    changed = {c.entity_id: c for c in un_diff.changed}
    comment_changed = sorted(
        r for r in dprk_before if before[r]["comments"] != after[r]["comments"]
    )
    assert comment_changed  # the README says DPRK comments changed between the versions
    for ref in comment_changed:
        change = changed[f"un-{slug(ref)}"]
        notes = next(p for p in change.properties if p.prop == "notes")
        assert any(" ".join(v.split()) == after[ref]["comments"] for v in notes.added) or (
            not after[ref]["comments"]
        )
        assert any(" ".join(v.split()) == before[ref]["comments"] for v in notes.removed) or (
            not before[ref]["comments"]
        )


def test_diff_of_a_version_with_itself_is_empty(tmp_path: Path) -> None:
    with ListStore(tmp_path / "lists.sqlite") as store:
        [outcome] = load_lists(store, [UN_2026])
        same = diff_versions(store, outcome.version, outcome.version)
        assert same.summary().__dict__ == {"added": 0, "removed": 0, "changed": 0}
        first = diff_versions(store, None, outcome.version)
        assert len(first.added) == outcome.version.entity_count


def test_changed_text_is_shown_from_where_it_differs() -> None:
    old = "Founded in 1998. " * 5 + "Operates from Pyongyang."
    new = "Founded in 1998. " * 5 + "Operates from Nampo."
    shown_old, shown_new = from_first_difference(old, new)
    assert shown_old.startswith("…") and shown_new.startswith("…")
    assert shown_old.endswith("Operates from Pyongyang.")
    assert shown_new.endswith("Operates from Nampo.")
    assert len(shown_old) < len(old)
    assert from_first_difference("short", "shorter") == ("short", "shorter")
