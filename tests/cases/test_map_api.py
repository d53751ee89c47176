"""GET /api/vessels/{mmsi}/map and /api/cases/{case_id}/map over a real home (the OFAC
excerpt, a day of AIS in which SUNNY BAY meets ANGARA at sea: tests/watch_support.py), read
by a viewer; the home is not written. Both backends (the cases database holds the case)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.routers import maps
from sanctionwatch.web.security import RoleRequirement
from tests.cases.conftest import bearer
from tests.cases.test_vessels_api import client_on, contents, sw
from tests.watch_support import CLEAN, FERRY, LAUNDERED, OFAC_EXCERPT, write_day


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("maps")
    home = root / "home"
    sw(home, "lists", "load", str(OFAC_EXCERPT))
    inbox = root / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    return home


@pytest.fixture
def client(
    home: Path, settings: Settings, db: CasesDatabase, screener: Screener
) -> Iterator[TestClient]:
    yield from client_on(home, settings, db, screener)


def test_a_vessels_map_has_its_track_events_and_layers(
    client: TestClient, home: Path, db: CasesDatabase, settings: Settings
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    before = contents(home)
    answer = client.get(f"/api/vessels/{LAUNDERED}/map", headers=viewer)
    assert answer.status_code == 200, answer.text
    assert contents(home) == before
    data = answer.json()
    assert data["mmsi"] == LAUNDERED
    (vessel,) = data["vessels"]
    assert (vessel["mmsi"], vessel["name"]) == (LAUNDERED, "SUNNY BAY")
    track = vessel["track"]
    assert vessel["decimated_from"] == vessel["points"] == len(track["t"]) == 37  # 6 h / 10 min
    assert track["lat"][0] == 36.5 and track["lon"][0] == 123.5 and track["sog"][0] == 0.4
    assert vessel["breaks"] == [] and data["gaps"] == []
    by_type = {e["type"]: e for e in data["events"]}
    assert set(by_type) == {"encounter", "loitering"}
    met = by_type["encounter"]
    assert (met["other_mmsi"], met["partner"]) == (CLEAN, "ANGARA")
    assert met["text"].startswith(f"Encounter with ANGARA ({CLEAN})")
    assert track["t"][0] <= met["start"] <= track["t"][-1]
    assert {p["name"] for p in data["layers"]["ports"]} >= {"Nampo", "Najin"}
    zones = data["layers"]["zones"]
    assert zones["type"] == "FeatureCollection"
    assert "Korea Bay" in {f["properties"]["name"] for f in zones["features"]}


def test_points_asks_for_fewer_track_points(
    client: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    data = client.get(f"/api/vessels/{FERRY}/map?points=100", headers=viewer).json()
    (ferry,) = data["vessels"]
    assert ferry["decimated_from"] == 37 and ferry["points"] == 37  # under its share: whole
    assert data["decimation"]["budget"] == 100
    late = client.get(f"/api/vessels/{FERRY}/map?start=2024-03-01T03:00:00Z", headers=viewer).json()
    assert late["vessels"][0]["decimated_from"] == 19


def test_unknown_vessels_and_cases_are_404_and_a_credential_is_needed(
    client: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    assert client.get(f"/api/vessels/{LAUNDERED}/map").status_code == 401
    assert client.get("/api/cases/1/map").status_code == 401
    unknown = client.get("/api/vessels/412000001/map", headers=viewer)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "MMSI 412000001 is not in the AIS store"
    assert client.get("/api/cases/4242/map", headers=viewer).status_code == 404
    assert client.get("/api/vessels/35200123/map", headers=viewer).status_code == 422
    bad = client.get(f"/api/vessels/{LAUNDERED}/map?start=yesterday", headers=viewer)
    assert bad.status_code in (400, 422)


def test_a_cases_map_has_every_vessel_subject_on_one_time_axis(
    client: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    viewer = bearer(db, settings, "vera", "viewer")
    case = client.post("/api/cases", json={"title": "Yellow Sea"}, headers=ana).json()
    empty = client.get(f"/api/cases/{case['id']}/map", headers=viewer).json()
    assert (empty["case_id"], empty["vessels"], empty["events"]) == (case["id"], [], [])
    for mmsi in (LAUNDERED, CLEAN):
        added = client.post(
            f"/api/cases/{case['id']}/subjects", json={"kind": "vessel", "mmsi": mmsi},
            headers=ana,
        )  # fmt: skip
        assert added.status_code == 201, added.text
    client.post(
        f"/api/cases/{case['id']}/subjects",
        json={"kind": "entity", "entity_id": "ofac-17069"},
        headers=ana,
    )
    data = client.get(f"/api/cases/{case['id']}/map", headers=viewer).json()
    assert [v["mmsi"] for v in data["vessels"]] == [LAUNDERED, CLEAN]
    assert [v["name"] for v in data["vessels"]] == ["SUNNY BAY", "ANGARA"]
    assert all(v["decimated_from"] == 37 for v in data["vessels"])
    # the encounter of the two subjects once, not once per subject
    assert [e["type"] for e in data["events"]].count("encounter") == 1
    window = data["window"]
    first = min(e["start"] for e in data["events"])
    assert window["start"] == first - 24 * 3600
    by_imo = client.post("/api/cases", json={"title": "By IMO"}, headers=ana).json()["id"]
    added = client.post(
        f"/api/cases/{by_imo}/subjects", json={"kind": "vessel", "imo": "7937317"}, headers=ana
    )
    assert added.status_code == 201, added.text
    imo_map = client.get(f"/api/cases/{by_imo}/map", headers=viewer).json()
    assert [v["mmsi"] for v in imo_map["vessels"]] == [LAUNDERED]  # the MMSI that broadcast it


def test_each_map_route_declares_one_role_the_viewers(client: TestClient) -> None:
    routes = [r for r in maps.router.routes if getattr(r, "path", "").endswith("/map")]
    assert len(routes) == 2
    for route in routes:
        dependant = route.dependant  # type: ignore[attr-defined]
        roles = [d.call.role for d in dependant.dependencies if isinstance(d.call, RoleRequirement)]
        assert roles == ["viewer"]


def signed_in(client: TestClient, db: CasesDatabase, settings: Settings, name: str) -> None:
    """A browser session (cookies) for a new viewer ``name``."""
    bearer(db, settings, name, "viewer")
    answer = client.post("/api/login", json={"username": name, "password": f"pw-{name}"})
    assert answer.status_code == 200, answer.text


def test_the_vessel_page_for_a_viewer(
    client: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    assert client.get(f"/vessels/{LAUNDERED}", follow_redirects=False).status_code == 303
    signed_in(client, db, settings, "vera")
    page = client.get(f"/vessels/{LAUNDERED}")
    assert page.status_code == 200, page.text
    html = page.text
    assert '<span class="vessel-name">SUNNY BAY</span>' in html
    assert 'class="identity-history"' in html and "7937317" in html
    assert "CHONG CHON GANG" in html and "via <strong>imo</strong>" in html
    assert "sanctioned_identity" in html
    assert f'data-map-url="/api/vessels/{LAUNDERED}/map"' in html
    assert f'<a href="/vessels/{CLEAN}">{CLEAN}</a>' in html  # the encounter's other ship
    unknown = client.get("/vessels/412000001")
    assert unknown.status_code == 404
    assert "MMSI 412000001 is not in the AIS store" in unknown.text
    assert unknown.headers["content-type"].startswith("text/html")


def test_evidence_and_details_are_written_as_text() -> None:
    from sanctionwatch.web.pages.vessels import detail_line, evidence_line

    record = {"kind": "list_record", "list": "ofac_sdn", "record": "17069", "version": None,
              "source": "sdn.csv:12"}  # fmt: skip
    assert evidence_line(record) == "list record: list ofac_sdn, record 17069, source sdn.csv:12"
    details = {"hours": 4.0, "open": False, "likely_disabling": True, "anchorage": {"x": 1}}
    assert detail_line(details) == "hours 4.0, likely disabling"


def test_one_pass_reads_what_the_store_gives_per_vessel(home: Path) -> None:
    from sanctionwatch.ais.store import open_store
    from sanctionwatch.web.mapdata import read_tracks

    with open_store(home, writable=False) as store:
        start, end = 1_709_251_200_000 + 3_600_000, 1_709_251_200_000 + 4 * 3_600_000
        for window in ((None, None), (start, end)):
            tracks = read_tracks(store, [LAUNDERED, FERRY, 412000001], *window)
            assert len(tracks[412000001]) == 0
            for mmsi in (LAUNDERED, FERRY):
                table = store.track(mmsi, *window)
                assert len(tracks[mmsi]) == table.num_rows > 0
                assert tracks[mmsi].t_ms.tolist() == table.column("ts").cast("int64").to_pylist()
                assert tracks[mmsi].lat.tolist() == table.column("lat").to_pylist()
