"""GET /search/{dataset}: yente's search shape over the same screener."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import AUTH


def test_search_finds_komid_on_both_lists(client: TestClient) -> None:
    response = client.get("/search/default", params={"q": "KOMID"}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert {"un-kpe-001", "ofac-9345"} <= {r["id"] for r in body["results"]}
    assert body["limit"] == 10 and body["offset"] == 0 and body["facets"] == {}
    assert body["total"]["value"] >= len(body["results"])
    [komid] = [r for r in body["results"] if r["id"] == "un-kpe-001"]
    assert "KOMID" in komid["properties"]["alias"]
    assert komid["records"][0]["id"] == "KPe.001"
    assert all(r["score"] >= 0.5 for r in body["results"])


def test_search_pages_and_filters(client: TestClient) -> None:
    params = {"q": "Kim", "schema": "Person"}
    everything = client.get("/search/ofac_sdn", params={**params, "limit": 6}, headers=AUTH)
    results = everything.json()["results"]
    assert len(results) == 6
    assert {r["datasets"][0] for r in results} == {"ofac_sdn"}
    assert {r["schema"] for r in results} == {"Person"}
    page = client.get("/search/ofac_sdn", params={**params, "limit": 3, "offset": 3}, headers=AUTH)
    assert [r["id"] for r in page.json()["results"]] == [r["id"] for r in results[3:]]


def test_search_refuses_bad_parameters(client: TestClient) -> None:
    for params in ({}, {"q": ""}, {"q": "x" * 10_000}, {"q": "Kim", "limit": 1000}):
        response = client.get("/search/default", params=params, headers=AUTH)
        assert response.status_code == 422, params
        assert isinstance(response.json()["detail"], str)
    unknown_schema = client.get(
        "/search/default", params={"q": "Kim", "schema": "Martian"}, headers=AUTH
    )
    assert unknown_schema.status_code == 422
    assert "unknown schema" in unknown_schema.json()["detail"]
    assert client.get("/search/nope", params={"q": "Kim"}, headers=AUTH).status_code == 404
