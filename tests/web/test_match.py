"""POST /match/{dataset}: yente's request and response shape, against the real lists."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.web.conftest import AUTH, person


def _match(
    client: TestClient, queries: dict[str, Any], dataset: str = "default", **params: Any
) -> Response:
    body = {"queries": queries}
    response: Response = client.post(f"/match/{dataset}", json=body, params=params, headers=AUTH)
    return response


def _ids(answer: dict[str, Any]) -> list[str]:
    return [result["id"] for result in answer["results"]]


def test_kim_jong_un_with_birth_date_is_ofac_20157(client: TestClient) -> None:
    response = _match(client, {"kju": person(["Kim Jong Un"], birthDate=["1984-01-08"])})
    assert response.status_code == 200
    body = response.json()
    answer = body["responses"]["kju"]
    assert answer["status"] == 200
    [best, *_] = answer["results"]
    assert best["id"] == "ofac-20157"
    assert best["records"] == [{"list": "ofac_sdn", "id": "20157", "version": "2024-05-03"}]
    assert best["match"] is True and best["score"] >= 0.7
    assert best["schema"] == "Person" and best["datasets"] == ["ofac_sdn"]
    assert best["properties"]["birthDate"] == ["1984-01-08"]
    assert best["properties"]["program"] == ["DPRK3"]
    assert best["referents"] == [] and best["target"] is True and best["token"] is None
    assert best["last_seen"] == "2024-05-03T00:00:00"
    assert best["features"]["birth_date"] > 0 and best["features"]["name"] > 0.9
    assert best["explanations"]["name"]["detail"].startswith("'Kim Jong Un' ~ ")
    assert best["explanation"]["qualifiers"]["birth_date"] > 0
    assert answer["total"] == {"value": len(answer["results"]), "relation": "eq"}
    assert answer["query"] == {
        "id": None,
        "schema": "Person",
        "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"]},
    }
    assert body["limit"] == 5
    assert {"name", "birth_date", "country"} <= set(body["matcher"])
    assert set(body["matcher"]["name"]) == {"description", "coefficient", "url"}


def test_hangul_name_answered_beside_bad_queries(client: TestClient) -> None:
    response = _match(
        client,
        {
            "hangul": person("김정은"),
            "nameless": {"schema": "Person", "properties": {"birthDate": ["1984"]}},
            "huge": person("A" * 10_000),
            "martian": {"schema": "Martian", "properties": {"name": ["Kim Jong Un"]}},
        },
    )
    assert response.status_code == 200
    answers = response.json()["responses"]
    assert response.headers["x-batch-size"] == "4"
    assert answers["hangul"]["status"] == 200
    assert _ids(answers["hangul"])[0] == "ofac-20157"
    assert answers["hangul"]["results"][0]["explanation"]["method"] == "korean"
    for key, reason in (("nameless", "no name"), ("huge", "too long"), ("martian", "schema")):
        assert answers[key]["status"] == 400
        assert reason in answers[key]["detail"]
        assert answers[key]["results"] == []


def test_dataset_in_the_path_limits_results_to_that_list(client: TestClient) -> None:
    # KOMID by its full name: OFAC 9345 gives "KOMID" as a weak a.k.a. only, which alone does
    # not alert (issue 11)
    name = "Korea Mining Development Trading Corporation"
    komid = {"komid": {"schema": "Organization", "properties": {"name": [name]}}}
    everywhere = _match(client, komid).json()["responses"]["komid"]
    assert {"un-kpe-001", "ofac-9345"} <= set(_ids(everywhere))
    assert _match(client, komid, "sanctions").json()["responses"] == {"komid": everywhere}
    un = _match(client, komid, "un").json()["responses"]["komid"]
    assert "un-kpe-001" in _ids(un)
    assert {d for r in un["results"] for d in r["datasets"]} == {"un"}
    ofac = _match(client, komid, "ofac_sdn").json()["responses"]["komid"]
    assert "ofac-9345" in _ids(ofac)
    assert {d for r in ofac["results"] for d in r["datasets"]} == {"ofac_sdn"}
    # Kim Jong Un is on OFAC's list, not the UN's
    assert _ids(_match(client, {"k": person("Kim Jong Un")}, "un").json()["responses"]["k"]) == []
    unknown = _match(client, komid, "eu_fsf")
    assert unknown.status_code == 404
    assert "unknown dataset 'eu_fsf'" in unknown.json()["detail"]


def test_threshold_decides_match_and_cutoff_shows_near_misses(client: TestClient) -> None:
    answer = _match(client, {"k": person("Kim Jong Un")}, threshold=0.99, cutoff=0.1, limit=10)
    results = answer.json()["responses"]["k"]["results"]
    assert len(results) > 1
    assert all(r["score"] >= 0.1 for r in results)
    assert all(r["match"] == (r["score"] >= 0.99) for r in results)
    assert any(not r["match"] for r in results)
    # by default the cutoff is the threshold: only matches come back
    default = _match(client, {"k": person("Kim Jong Un")}).json()["responses"]["k"]["results"]
    assert default and all(r["match"] for r in default)


def test_every_name_property_is_screened(client: TestClient) -> None:
    by_alias = person(["Nobody Atall"], alias=["Kim Jong Un"])
    by_parts = {"schema": "Person", "properties": {"firstName": "Jong Un", "lastName": "Kim"}}
    answers = _match(client, {"alias": by_alias, "parts": by_parts}).json()["responses"]
    for key in ("alias", "parts"):
        assert _ids(answers[key])[0] == "ofac-20157", key
    assert answers["alias"]["results"][0]["explanation"]["query_name"] == "Kim Jong Un"


def test_yente_filters_and_ignored_properties(client: TestClient) -> None:
    komid = {"schema": "Organization", "properties": {"name": "KOMID", "favouriteColour": "red"}}
    answer = _match(
        client, {"q": komid}, include_dataset=["ofac_sdn"], exclude_entity_ids=["ofac-9345"]
    ).json()["responses"]["q"]
    assert "ofac-9345" not in _ids(answer)
    assert all(r["datasets"] == ["ofac_sdn"] for r in answer["results"])
    assert answer["warnings"] == [
        "property 'favouriteColour' ignored: not a property of Organization"
    ]


def test_vessel_by_imo_number(client: TestClient) -> None:
    angara = {"schema": "Vessel", "properties": {"name": "ANGARA", "imoNumber": "IMO 9179842"}}
    [best, *_] = _match(client, {"v": angara}).json()["responses"]["v"]["results"]
    assert best["records"][0]["id"] == "37059" and best["score"] == 1.0
    assert best["properties"]["imoNumber"] == ["IMO9179842"]
    assert best["features"]["imo_match"] >= 0


@pytest.mark.parametrize(
    ("body", "params", "status"),
    [
        ({"queries": {}}, {}, 400),
        ({}, {}, 422),
        ([], {}, 422),
        ({"queries": "Kim"}, {}, 422),
        ({"queries": {"a": {"schema": 5, "properties": {}}}}, {}, 422),
        ({"queries": {"a": {"schema": "Person", "properties": {"name": [7]}}}}, {}, 422),
        ({"queries": {"a": person("A" * 10_000)}}, {}, 400),
        ({"queries": {"a": {"schema": "Person", "properties": {}}}}, {}, 400),
        ({"queries": {"a": person("Kim")}}, {"threshold": "high"}, 422),
        ({"queries": {"a": person("Kim")}}, {"threshold": 2}, 422),
        ({"queries": {"a": person("Kim")}}, {"limit": 0}, 422),
        ({"queries": {f"q{i}": person("Kim") for i in range(101)}}, {}, 400),
        ({"queries": {"a": person("Kim")}, "config": {"nm_number_mismatch": 0.4}}, {}, 400),
    ],
)
def test_bad_input_is_a_4xx_json_error(
    client: TestClient, body: Any, params: dict[str, Any], status: int
) -> None:
    response = client.post("/match/default", json=body, params=params, headers=AUTH)
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_invalid_json_and_oversized_bodies_are_refused(client: TestClient) -> None:
    headers = {**AUTH, "Content-Type": "application/json"}
    broken = client.post("/match/default", content=b'{"queries": {', headers=headers)
    assert broken.status_code == 422
    assert broken.json() == {"detail": "the request body is not valid JSON"}
    huge = client.post("/match/default", content=b" " * (2 << 20), headers=headers)
    assert huge.status_code == 413
    assert "request body over" in huge.json()["detail"]
