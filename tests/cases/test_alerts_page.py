"""The alerts inbox page (``/alerts``) over the test client, on both backends: the rows,
counts, filters, sort and pages it shows; triage through its form route (same library call
as the API: recorded, all or none, errors into ``#flash``); viewers read but cannot triage;
names from AIS are escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.alerts.evaluate import vessel_candidates
from sanctionwatch.alerts.rules import default_rules
from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from sanctionwatch.web.pages import alerts_view
from tests.cases.alerts_support import CLEAN_IMO, seed_alerts
from tests.cases.conftest import API_KEY, bearer
from tests.watch_support import CLEAN, LAUNDERED

SEEN, RISK, MET, BOOK = (
    ("sanctioned_vessel_seen", LAUNDERED),
    ("risk_high", CLEAN),
    ("encounter_with_sanctioned", CLEAN),
    ("portfolio_match", None),
)
ROW = re.compile(r'<tr id="alert-(\d+)"')
HTMX = {"HX-Request": "true"}
XSS_NAME = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>'


def rows(html: str) -> list[int]:
    """The alert ids of the table's rows, in order."""
    return [int(found) for found in ROW.findall(html)]


def count_of(html: str, kind: str, name: str) -> int:
    """The count shown for rule or severity ``name`` (``kind``: rule, severity)."""
    found = re.search(rf'<tr data-{kind}="{re.escape(name)}">.*?<td class="num">(\d+)</td>', html)
    assert found is not None, (kind, name)
    return int(found.group(1))


def status_cell(html: str, alert_id: int) -> str:
    row = re.search(rf'<tr id="alert-{alert_id}".*?</tr>', html, re.S)
    assert row is not None, alert_id
    cell = re.search(r'<td class="status">(.*?)</td>', row.group(0), re.S)
    assert cell is not None
    return cell.group(1)


@pytest.fixture
def ids(settings: Settings) -> dict[tuple[str, int | None], int]:
    return seed_alerts(settings.home)


def test_the_inbox_shows_every_alert_newest_first_with_counts(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    page = api.get("/alerts", headers=viewer)
    assert page.status_code == 200
    html = page.text
    assert html.startswith("<!doctype html>")
    assert rows(html) == [ids[BOOK], ids[MET], ids[RISK], ids[SEEN]]
    assert "Counts over all alerts" in html
    assert (count_of(html, "severity", "high"), count_of(html, "severity", "medium")) == (3, 1)
    assert 'data-severity="low"' not in html
    for rule, _mmsi in (SEEN, RISK, MET, BOOK):
        assert count_of(html, "rule", rule) == 1
    # The subject: a vessel's name links to its page, with its MMSI and IMO beside it.
    assert f'<a class="vessel" href="/vessels/{LAUNDERED}">SUNNY BAY</a>' in html
    assert f'<dd class="mono">{CLEAN_IMO}</dd>' in html
    assert "<summary>Evidence (3)</summary>" in html  # the sanctioned sighting's three
    assert "IMO 7937317 (check digit valid) is on the list" in html
    assert '<time datetime="2024-03-01T06:00:00Z">2024-03-01 06:00 UTC</time>' in html


@pytest.mark.parametrize(
    ("query", "expected", "counted"),
    [
        ("severity=medium", [RISK], {("severity", "medium"): 1}),
        ("rule=portfolio_match", [BOOK], {("rule", "portfolio_match"): 1}),
        (f"vessel={CLEAN}", [MET, RISK], {("severity", "high"): 1, ("severity", "medium"): 1}),
        ("vessel=7937317", [SEEN], {("rule", "sanctioned_vessel_seen"): 1}),
        ("since=2024-03-02&until=2024-03-04", [MET, RISK], {("severity", "high"): 1}),
        ("status=new&sort=created&order=asc", [SEEN, RISK, MET, BOOK], {("severity", "high"): 3}),
        ("status=accepted", [], {}),
        ("sort=severity&order=desc", [BOOK, MET, SEEN, RISK], {}),
        ("sort=severity&order=asc", [RISK, BOOK, MET, SEEN], {}),
        ("sort=rule&order=asc", [MET, BOOK, RISK, SEEN], {}),
        ("rule=&severity=&vessel=+&sort=created", [BOOK, MET, RISK, SEEN], {}),  # blank: any
    ],
)
def test_filters_and_sorts_choose_the_rows_and_the_counts(
    api: TestClient,
    db: CasesDatabase,
    settings: Settings,
    ids: dict[tuple[str, int | None], int],
    query: str,
    expected: list[tuple[str, int | None]],
    counted: dict[tuple[str, str], int],
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    full = api.get(f"/alerts?{query}", headers=viewer)
    partial = api.get(f"/alerts?{query}", headers=viewer | HTMX)
    assert (full.status_code, partial.status_code) == (200, 200)
    assert rows(full.text) == rows(partial.text) == [ids[key] for key in expected]
    assert "<html" not in partial.text and "<html" in full.text
    for (kind, name), count in counted.items():
        assert count_of(partial.text, kind, name) == count
    filtered = not query.startswith(("sort=", "rule=&"))
    heading = "Counts for the current filters" if filtered else "Counts over all alerts"
    assert heading in partial.text
    if not expected:
        assert "No alert matches these filters." in partial.text


def test_the_partial_pushes_the_views_clean_address(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    answer = api.get(
        "/alerts?rule=&severity=high&status=&sort=created&order=asc", headers=viewer | HTMX
    )
    assert answer.headers["HX-Push-Url"] == "/alerts?severity=high&order=asc"
    assert "HX-Request" in answer.headers["Vary"]
    # The selects of the full page at that address show the same state.
    html = api.get(answer.headers["HX-Push-Url"], headers=viewer).text
    assert '<option value="high" selected>' in html
    assert '<option value="asc" selected>' in html
    assert rows(html) == [ids[SEEN], ids[MET], ids[BOOK]]


def test_pages_of_alerts(
    api: TestClient,
    db: CasesDatabase,
    settings: Settings,
    ids: dict[tuple[str, int | None], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alerts_view, "PAGE_SIZE", 3)
    viewer = bearer(db, settings, "vera", "viewer")
    first = api.get("/alerts", headers=viewer).text
    assert rows(first) == [ids[BOOK], ids[MET], ids[RISK]]
    assert 'href="/alerts?page=2"' in first and "Page 1 of 2" in first
    second = api.get("/alerts?page=2", headers=viewer | HTMX)
    assert rows(second.text) == [ids[SEEN]]
    assert "showing 4–4, page 2 of 2" in second.text
    assert count_of(second.text, "severity", "high") == 3  # counts cover every page
    past_the_end = api.get("/alerts?page=9", headers=viewer | HTMX)
    assert rows(past_the_end.text) == [ids[SEEN]]
    assert past_the_end.headers["HX-Push-Url"] == "/alerts?page=2"
    # With a status filter (counted from one read of the matching alerts) the same.
    by_status = api.get("/alerts?status=new&page=9", headers=viewer | HTMX)
    assert rows(by_status.text) == [ids[SEEN]]
    assert by_status.headers["HX-Push-Url"] == "/alerts?status=new&page=2"
    assert count_of(by_status.text, "severity", "high") == 3
    assert count_of(by_status.text, "rule", "encounter_with_sanctioned") == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("severity=urgent", "severity &#39;urgent&#39; is not one of high, medium, low"),
        ("vessel=12", "is neither an MMSI (nine digits) nor an IMO number (seven)"),
        ("since=yesterday", "since: &#39;yesterday&#39; is not an ISO 8601"),
        ("page=0", "is not a page number"),
        ("sort=score", "sort &#39;score&#39; is not one of"),
    ],
)
def test_a_bad_filter_is_an_error_message(
    api: TestClient, db: CasesDatabase, settings: Settings, query: str, message: str
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    page = api.get(f"/alerts?{query}", headers=viewer)
    assert page.status_code == 422 and message in page.text
    partial = api.get(f"/alerts?{query}", headers=viewer | HTMX)
    assert partial.status_code == 422 and message in partial.text
    assert partial.headers["HX-Retarget"] == "#flash"


def triage_form(alert_ids: list[int], decision: str, **fields: str) -> dict[str, object]:
    return {"alert_id": [str(i) for i in alert_ids], "decision": decision, **fields}


def test_accept_into_a_new_case_then_an_existing_one_from_the_page(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    token = bearer(db, settings, "ana", "analyst")
    analyst = token | HTMX
    here = {"HX-Current-URL": "https://testserver/alerts?sort=created&order=asc"}
    form = triage_form([ids[SEEN], ids[RISK]], "accepted", new_case_title="SUNNY BAY sightings")
    answer = api.post("/alerts/triage", data=form, headers=analyst | here)
    assert answer.status_code == 200, answer.text
    case_id = api.get(f"/api/alerts/{ids[SEEN]}", headers=analyst).json()["triage"]["case_id"]
    assert (
        api.get(f"/api/cases/{case_id}", headers=analyst).json()["title"] == "SUNNY BAY sightings"
    )
    html = answer.text
    assert answer.headers["HX-Retarget"] == "#alert-results"
    assert f"Alerts {ids[SEEN]}, {ids[RISK]} accepted into case {case_id}" in html
    assert f'<a href="/cases/{case_id}">Open case {case_id}</a>' in html
    assert rows(html) == [ids[SEEN], ids[RISK], ids[MET], ids[BOOK]]  # the view it came from
    for alert_id in (ids[SEEN], ids[RISK]):
        cell = status_cell(html, alert_id)
        assert "status-accepted" in cell and f'href="/cases/{case_id}"' in cell and "by ana" in cell
    assert "status-new" in status_cell(html, ids[MET])
    # The new case is offered for the next acceptance.
    assert f'<option value="{case_id}">#{case_id} SUNNY BAY sightings</option>' in html
    into_it = triage_form([ids[MET]], "accepted", case_id=str(case_id))
    assert api.post("/alerts/triage", data=into_it, headers=analyst).status_code == 200
    met = api.get(f"/api/alerts/{ids[MET]}", headers=analyst).json()
    assert (met["status"], met["triage"]["case_id"]) == ("accepted", case_id)
    page = api.get("/alerts", headers=token).text
    assert f'<option value="{case_id}">#{case_id} SUNNY BAY sightings</option>' in page


def test_dismiss_needs_a_reason_and_records_it(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    analyst = bearer(db, settings, "ana", "analyst") | HTMX
    refused = api.post(
        "/alerts/triage", data=triage_form([ids[BOOK]], "dismissed"), headers=analyst
    )
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#flash"
    assert "dismissing an alert needs a reason" in refused.text
    assert api.get(f"/api/alerts/{ids[BOOK]}", headers=analyst).json()["status"] == "new"
    done = api.post(
        "/alerts/triage",
        data=triage_form([ids[BOOK]], "dismissed", reason="a namesake, <b>not</b> the SDN"),
        headers=analyst,
    )
    assert done.status_code == 200
    assert "a namesake, &lt;b&gt;not&lt;/b&gt; the SDN" in status_cell(done.text, ids[BOOK])
    book = api.get(f"/api/alerts/{ids[BOOK]}", headers=analyst).json()
    assert (book["status"], book["triage"]["reason"]) == (
        "dismissed",
        "a namesake, <b>not</b> the SDN",
    )
    unsure = api.post("/alerts/triage", data=triage_form([ids[MET]], "unsure"), headers=analyst)
    assert unsure.status_code == 200 and f"Alert {ids[MET]} marked unsure." in unsure.text
    assert api.get(f"/api/alerts/{ids[MET]}", headers=analyst).json()["status"] == "unsure"


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"decision": "unsure"}, 422, "select at least one alert first"),
        ({"alert_id": ["1"], "decision": "accepted"}, 422, "give the new case a title"),
        (
            {"alert_id": ["1", "987654"], "decision": "unsure"},
            404,
            "no alert 987654: nothing was triaged",
        ),
        ({"alert_id": ["1"], "decision": "accepted", "case_id": "987654"}, 404, "987654"),
        ({"alert_id": ["1"], "decision": "maybe"}, 422, "decision"),
        ({"alert_id": ["0"], "decision": "unsure"}, 422, "alert_id"),
        ({"alert_id": ["9" * 20], "decision": "unsure"}, 422, "alert_id"),
        ({"alert_id": [str(i) for i in range(1, 502)], "decision": "unsure"}, 422, "alert_id"),
    ],
)
def test_a_refused_triage_records_nothing_and_says_why(
    api: TestClient,
    db: CasesDatabase,
    settings: Settings,
    ids: dict[tuple[str, int | None], int],
    form: dict[str, object],
    status: int,
    message: str,
) -> None:
    analyst = bearer(db, settings, "ana", "analyst") | HTMX
    answer = api.post("/alerts/triage", data=form, headers=analyst)
    assert answer.status_code == status, answer.text
    assert message in answer.text and answer.headers["HX-Retarget"] == "#flash"
    listed = api.get("/api/alerts?status=new", headers=analyst).json()
    assert listed["total"] == 4


def test_a_viewer_sees_the_inbox_without_triage_controls_and_cannot_post(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    html = api.get("/alerts", headers=viewer).text
    assert len(rows(html)) == 4
    for control in ('type="checkbox"', "triage-form", 'hx-post="/alerts/triage"', "select-all"):
        assert control not in html
    analyst_html = api.get("/alerts", headers=bearer(db, settings, "ana", "analyst")).text
    assert analyst_html.count('class="alert-select"') == 4 and "select-all" in analyst_html
    refused = api.post(
        "/alerts/triage", data=triage_form([ids[SEEN]], "unsure"), headers=viewer | HTMX
    )
    assert refused.status_code == 403
    assert api.get(f"/api/alerts/{ids[SEEN]}", headers=viewer).json()["status"] == "new"


def test_a_signed_in_browser_posts_with_its_csrf_token(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    bearer(db, settings, "ana", "analyst")
    token = api.post("/api/login", json={"username": "ana", "password": "pw-ana"}).json()[
        "csrf_token"
    ]
    form = triage_form([ids[RISK]], "unsure")
    assert api.post("/alerts/triage", data=form, headers=HTMX).status_code == 403
    answer = api.post("/alerts/triage", data=form, headers=HTMX | {"X-CSRF-Token": token})
    assert answer.status_code == 200
    assert "status-unsure" in status_cell(answer.text, ids[RISK])


def test_an_ais_name_is_shown_as_text(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    body = {"mmsi": 352000777, "imo": 9179842, "name": XSS_NAME, "flag": "pa", "score": 80.0,
            "level": "high", "links": [], "factors": []}  # fmt: skip
    with AlertStore(settings.home, writable=True) as store:
        (raised,) = store.raise_alerts(vessel_candidates(default_rules(), [body], []))
    html = api.get("/alerts", headers=bearer(db, settings, "vera", "viewer")).text
    assert rows(html) == [raised.row.id]
    assert "<img" not in html and "<script>alert" not in html
    escaped = (
        "&lt;img src=x onerror=alert(1)&gt;&#34;"
        + "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    )
    assert f'<a class="vessel" href="/vessels/352000777">{escaped}</a>' in html


def test_a_form_posted_without_script_gets_the_whole_page_back(
    api: TestClient, db: CasesDatabase, settings: Settings, ids: dict[tuple[str, int | None], int]
) -> None:
    analyst = bearer(db, settings, "ana", "analyst")
    answer = api.post("/alerts/triage", data=triage_form([ids[MET]], "unsure"), headers=analyst)
    assert answer.status_code == 200
    html = answer.text
    assert html.startswith("<!doctype html>") and f"Alert {ids[MET]} marked unsure." in html
    for element_id in ("flash", "alerts-status", "t-case", "alert-table"):
        assert html.count(f'id="{element_id}"') == 1, element_id
    assert "hx-swap-oob" not in html


def test_counts_name_the_configured_rules_and_count_the_others_apart(
    db: CasesDatabase,
    settings: Settings,
    screener: Screener,
    ids: dict[tuple[str, int | None], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A home whose rules file now holds one rule: the other rules' alerts off the page are
    still counted (as rules no longer configured); the counts add up to the total."""
    rules = settings.home / "rules.toml"
    rules.write_text(
        '[sanctioned_vessel_seen]\nkind = "linked_vessel"\ntitle = "Seen"\nseverity = "high"\n'
        'vias = ["imo", "mmsi"]\nmin_confidence = 0.9\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(alerts_view, "PAGE_SIZE", 1)
    app = create_app(
        replace(settings, alert_rules=rules), auth=ApiKeyAuth.from_key(API_KEY),
        screener=screener, cases_db=db,
    )  # fmt: skip
    with TestClient(app, base_url="https://testserver") as client:
        html = client.get("/alerts", headers=bearer(db, settings, "vera", "viewer")).text
    assert rows(html) == [ids[BOOK]]
    assert count_of(html, "rule", "sanctioned_vessel_seen") == 1
    assert count_of(html, "rule", "portfolio_match") == 1  # on the page
    assert count_of(html, "rule", "") == 2  # risk_high and encounter_with_sanctioned
    assert "rules no longer configured" in html
    assert '<option value="risk_high"' not in html and '<option value="portfolio_match"' in html
