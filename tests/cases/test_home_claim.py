"""One cases database belongs to one home: triage names alerts by their id in that home's
alerts.sqlite, so a second home pointed at the same database is refused (both backends)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sanctionwatch.cases.db import HOME_ID_FILE, CasesDatabase, database_url
from sanctionwatch.config import Settings
from sanctionwatch.errors import StoreError


def test_a_second_home_on_the_same_database_is_refused(
    settings: Settings, db: CasesDatabase, tmp_path: Path
) -> None:
    other = tmp_path / "other-home"
    other.mkdir()
    shared = dataclasses.replace(settings, home=other, database_url=database_url(settings))
    with pytest.raises(StoreError, match="belongs to another home"):
        CasesDatabase.open(shared)


def test_the_same_home_reopens_and_a_copied_home_is_the_same_home(
    settings: Settings, db: CasesDatabase, tmp_path: Path
) -> None:
    CasesDatabase.open(settings).close()
    copy = tmp_path / "restored"
    shutil.copytree(settings.home, copy)
    restored = dataclasses.replace(settings, home=copy, database_url=database_url(settings))
    CasesDatabase.open(restored).close()
    assert (copy / HOME_ID_FILE).read_text() == (settings.home / HOME_ID_FILE).read_text()


def test_an_edited_home_id_is_a_clear_error(settings: Settings, db: CasesDatabase) -> None:
    (settings.home / HOME_ID_FILE).write_text("not a uuid\n")
    with pytest.raises(StoreError, match="not a home id"):
        CasesDatabase.open(settings)
