"""API keys: required on /match and /search, sent as yente clients send them; stored only as
a SHA-256 hash; no CORS headers; /healthz and /docs open."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError, SanctionwatchError
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import KEY_ENV, KEY_FILE, ensure_api_key
from tests.web.conftest import API_KEY, person

KOMID = {"queries": {"k": {"schema": "Organization", "properties": {"name": ["KOMID"]}}}}


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("", 401),
        ("ApiKey wrong-key", 401),
        (f"Basic {API_KEY}", 401),
        (f"ApiKey {API_KEY}x", 401),
        ("ApiKey", 401),
        (f"ApiKey {API_KEY}", 200),
        (f"apikey {API_KEY}", 200),
        (f"Bearer {API_KEY}", 200),
    ],
)
def test_match_and_search_need_the_key(
    client: TestClient, authorization: str | None, status: int
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    matched = client.post("/match/default", json=KOMID, headers=headers)
    searched = client.get("/search/default", params={"q": "KOMID"}, headers=headers)
    assert (matched.status_code, searched.status_code) == (status, status)
    if status == 401:
        assert matched.headers["www-authenticate"] == "ApiKey"
        assert isinstance(matched.json()["detail"], str)


def test_health_and_docs_are_open(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = client.get("/openapi.json").json()
    assert {"/match/{dataset}", "/search/{dataset}", "/healthz"} <= set(spec["paths"])


def test_no_cors_headers_for_other_origins(client: TestClient) -> None:
    origin = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    preflight = client.options("/match/default", headers=origin)
    assert "access-control-allow-origin" not in preflight.headers
    response = client.post(
        "/match/default", json=KOMID, headers={**origin, "Authorization": f"ApiKey {API_KEY}"}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_first_key_is_made_once_and_only_its_hash_kept(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    auth, key = ensure_api_key(settings, {})
    assert key is not None and len(key) >= 40
    stored = (tmp_path / KEY_FILE).read_text()
    assert stored.strip() == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    auth.check(f"ApiKey {key}")
    again, no_key = ensure_api_key(settings, {})
    assert no_key is None and again == auth


def test_environment_key_wins_and_nothing_is_written(tmp_path: Path) -> None:
    auth, key = ensure_api_key(Settings(home=tmp_path), {KEY_ENV: "from-the-environment"})
    assert key is None and not (tmp_path / KEY_FILE).exists()
    auth.check("Bearer from-the-environment")
    with pytest.raises(SanctionwatchError):
        auth.check("Bearer another")
    with pytest.raises(InputError, match="empty"):
        ensure_api_key(Settings(home=tmp_path), {KEY_ENV: " "})


def test_a_corrupt_key_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("not a digest\n")
    with pytest.raises(InputError, match="delete it"):
        ensure_api_key(Settings(home=tmp_path), {})


def test_app_without_any_key_is_refused(
    tmp_path: Path, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(SanctionwatchError, match="no API key"):
        create_app(Settings(home=tmp_path), screener=screener)
    monkeypatch.setenv(KEY_ENV, "set-in-env")
    app = create_app(Settings(home=tmp_path), screener=screener)
    with TestClient(app) as client:
        body = {"queries": {"k": person("Kim Jong Un")}}
        ok = client.post(
            "/match/default", json=body, headers={"Authorization": "ApiKey set-in-env"}
        )
        assert ok.status_code == 200
