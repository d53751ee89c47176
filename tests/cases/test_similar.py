"""Similar cases: sharing a vessel (MMSI), an IMO number, a list entity, or an encounter
partner (a vessel met by one case's vessel that is a subject of the other), with the reasons
(both backends, over a real home)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from tests.cases.conftest import bearer
from tests.cases.test_subjects import client, watched  # noqa: F401 (the module's home)
from tests.watch_support import CLEAN, FERRY, LAUNDERED


@pytest.fixture
def api(
    settings: Settings,
    db: CasesDatabase,
    screener: Screener,
    watched: Path,  # noqa: F811
) -> Iterator[TestClient]:
    with client(settings, db, screener, watched) as on_home:
        yield on_home


def test_cases_alike_are_found_with_their_reasons(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    subjects = {
        "met": [{"kind": "vessel", "mmsi": CLEAN}],
        "by imo": [{"kind": "vessel", "imo": "7937317"}],
        "company": [{"kind": "entity", "entity_id": "un-kpe-020"}],
        "ship": [{"kind": "vessel", "mmsi": LAUNDERED}],
        "ferry": [{"kind": "vessel", "mmsi": FERRY}],
        "company too": [{"kind": "entity", "entity_id": "un-kpe-020"}],
        "empty": [],
    }
    ids: dict[str, int] = {}
    for title, bodies in subjects.items():
        ids[title] = api.post("/api/cases", json={"title": title}, headers=ana).json()["id"]
        for body in bodies:
            made = api.post(f"/api/cases/{ids[title]}/subjects", json=body, headers=ana)
            assert made.status_code == 201, made.text

    def similar(title: str) -> dict[str, list[dict[str, object]]]:
        answer = api.get(f"/api/cases/{ids[title]}/similar", headers=vic)
        assert answer.status_code == 200, answer.text
        by_id = {v: k for k, v in ids.items()}
        return {by_id[c["id"]]: c["reasons"] for c in answer.json()["similar"]}

    partner = {"reason": "encounter_partner", "mmsi": LAUNDERED, "met_by": CLEAN}
    assert similar("met") == {"ship": [partner], "by imo": [partner]}
    same_ship = [  # the same ship met the same ship: not an encounter partner of its own
        {"reason": "vessel", "mmsi": LAUNDERED},
        {"reason": "imo", "imo": "7937317"},
        {"reason": "encounter_partner", "mmsi": CLEAN, "met_by": LAUNDERED},
    ]
    assert similar("by imo") == {"ship": same_ship[:2], "met": [same_ship[2]]}
    assert list(similar("by imo")) == ["ship", "met"]  # most reasons first
    assert similar("company") == {"company too": [{"reason": "entity", "entity_id": "un-kpe-020"}]}
    assert similar("ferry") == {} and similar("empty") == {}


def test_unknown_case_and_roles(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    vic = bearer(db, settings, "vic", "viewer")
    assert api.get("/api/cases/999/similar", headers=vic).status_code == 404
    assert api.get("/api/cases/1/similar").status_code == 401
