"""POST /match with hostile queries: each bad query is that query's error (yente's per-query
``status`` and ``detail``), never the batch's, and the answer is always valid UTF-8 JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.web import matching
from tests.web.conftest import AUTH, person


def _post_raw(client: TestClient, body: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/match/default",
        content=body.encode("utf-8"),
        headers={**AUTH, "content-type": "application/json"},
    )
    return response.status_code, json.loads(response.content.decode("utf-8"))


def test_a_lone_surrogate_is_that_querys_error(client: TestClient) -> None:
    # json.dumps writes the lone surrogate as the escape "\ud800", as a client would send it
    body = json.dumps(
        {
            "queries": {
                "good": person("Kim Jong Un", birthDate="1984-01-08"),
                "surrogate": person("Kim \ud800"),
                "bad-country": person("Kim Jong Un", nationality="\udc80"),
            }
        }
    )
    status, answer = _post_raw(client, body)
    assert status == 200
    responses = answer["responses"]
    assert isinstance(responses, dict)
    assert responses["good"]["status"] == 200
    assert responses["good"]["results"][0]["id"] == "ofac-20157"
    for key in ("surrogate", "bad-country"):
        assert responses[key]["status"] == 400
        assert "lone surrogate" in responses[key]["detail"]
        assert responses[key]["results"] == []
    # echoed as it came: the same escape
    assert responses["surrogate"]["query"]["properties"]["name"] == ["Kim \ud800"]


def test_a_surrogate_in_a_query_key_or_property_name_is_answered(client: TestClient) -> None:
    body = json.dumps(
        {
            "queries": {
                "\ud800": person("KOMID"),
                "odd-property": {
                    "schema": "Person",
                    "properties": {"name": ["KOMID"], "\udfff": ["x"]},
                },
            }
        }
    )
    status, answer = _post_raw(client, body)
    assert status == 200
    responses = answer["responses"]
    assert isinstance(responses, dict)
    assert responses["\\ud800"]["status"] == 200  # a key UTF-8 cannot hold, as its escape
    assert responses["odd-property"]["status"] == 200
    assert any("ignored" in warning for warning in responses["odd-property"]["warnings"])


def test_only_bad_queries_is_a_bad_request_answered_as_json(client: TestClient) -> None:
    body = json.dumps({"queries": {"only": person("\ud800")}})
    status, answer = _post_raw(client, body)
    assert status == 400
    assert "lone surrogate" in str(answer["detail"])


def test_an_unexpected_failure_on_one_query_spares_the_others(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = matching.best_matches

    def failing_on_komid(screener: Any, queries: list[Any], *args: Any) -> Any:
        if queries[0].name == "KOMID":
            raise RuntimeError("a bug met on one query")
        return real(screener, queries, *args)

    monkeypatch.setattr(matching, "best_matches", failing_on_komid)
    body = json.dumps({"queries": {"komid": person("KOMID"), "kju": person("Kim Jong Un")}})
    status, answer = _post_raw(client, body)
    assert status == 200
    responses = answer["responses"]
    assert isinstance(responses, dict)
    assert responses["komid"]["status"] == 500 and responses["komid"]["results"] == []
    assert "internal error" in responses["komid"]["detail"]
    assert responses["kju"]["status"] == 200 and responses["kju"]["results"]
