"""The team API's shared plumbing: a token authenticates, a role is enforced, and nothing
is served anonymously (both backends)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from tests.cases.conftest import API_KEY, bearer


def test_screening_key_still_works_and_a_token_is_checked(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}}
    assert (
        api.post(
            "/match/default", json=query, headers={"Authorization": f"ApiKey {API_KEY}"}
        ).status_code
        == 200
    )
    assert api.get("/api/audit").status_code in (401, 404)
    headers = bearer(db, settings, "ana", "analyst")
    assert headers["Authorization"].startswith("Bearer swt_")
