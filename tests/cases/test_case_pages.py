"""The cases pages without a browser (both backends): the list and a case with a vessel
subject over a real home (a day of AIS in which SUNNY BAY, broadcasting CHONG CHON GANG's
IMO, meets ANGARA at sea: an encounter the detector finds), its timeline, notes (added
through the page, audited, shown as text), the version check, uploads, and what a viewer
may not do."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import accounts, audit, cases, notes
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AuditEntry
from sanctionwatch.cases.principal import Principal, cli_principal
from sanctionwatch.cases.triage import triage
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web import case_view
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.cases.alerts_support import seed_alerts
from tests.cases.conftest import API_KEY, bearer
from tests.watch_support import CLEAN, LAUNDERED, UN_EXCERPT, write_day

HTMX = {"HX-Request": "true"}
MARK = re.compile(r'<(rect|polygon) class="ev ev-[a-z_]+[^"]*"[^>]*tabindex="0"[^>]*>')
ROW = re.compile(r'<tr class="event-row">')


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home after `run` over a day of AIS with the encounter (tests/watch_support.py)."""
    root = tmp_path_factory.mktemp("case-pages")
    home = root / "home"
    inbox = root / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    for args in (("lists", "load", str(UN_EXCERPT)), ("run", "--inbox", str(inbox))):
        result = CliRunner().invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def web(
    settings: Settings, db: CasesDatabase, screener: Screener, home: Path
) -> Iterator[TestClient]:
    app = create_app(
        dataclasses.replace(settings, home=home),
        auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db,
    )  # fmt: skip
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def signed_in(web: TestClient, db: CasesDatabase, settings: Settings, name: str) -> str:
    """A cookie session for a new analyst ``name`` on ``web``; its CSRF token."""
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), name, "analyst", f"pw-{name}")
    answer = web.post("/api/login", json={"username": name, "password": f"pw-{name}"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


def case_with_vessels(web: TestClient, headers: dict[str, str], *mmsis: int) -> int:
    case_id = int(
        web.post("/api/cases", json={"title": "Yellow Sea STS"}, headers=headers).json()["id"]
    )
    for mmsi in mmsis:
        made = web.post(
            f"/api/cases/{case_id}/subjects", json={"kind": "vessel", "mmsi": mmsi}, headers=headers
        )
        assert made.status_code == 201, made.text
    return case_id


def trail(db: CasesDatabase, case_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    with db.read() as session:
        query = select(AuditEntry).where(AuditEntry.target_id == str(case_id))
        return [
            (e.action, e.actor_name, json.loads(e.detail)) for e in session.execute(query).scalars()
        ]


def test_the_case_page_shows_subjects_timeline_map_notes_and_trail(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = case_with_vessels(web, ana, LAUNDERED, CLEAN)
    web.post(
        f"/api/cases/{case_id}/notes", json={"text": "Met *at sea*, 100 m apart."}, headers=ana
    )
    page = web.get(f"/cases/{case_id}", headers=ana)
    assert page.status_code == 200, page.text
    text = page.text
    assert '<h1 id="case-title">Yellow Sea STS' in text
    assert f'href="/vessels/{LAUNDERED}">SUNNY BAY ({LAUNDERED})</a>' in text
    assert f'href="/vessels/{CLEAN}">ANGARA ({CLEAN})</a>' in text
    assert "Nothing has changed in the evidence since the snapshot." in text
    # the timeline: one focusable, named mark per event of each vessel, and the same rows
    subjects = web.get(f"/api/cases/{case_id}", headers=ana).json()["subjects"]
    events = [e for s in subjects for v in s["snapshot"]["vessels"] for e in v["events"]]
    assert len(events) >= 2 and {e["type"] for e in events} >= {"encounter"}
    marks = MARK.findall(text)
    assert len(marks) == len(events) == len(ROW.findall(text))
    assert f'data-events="{len(events)}"' in text
    assert text.count('<g class="lane"') == 2
    assert f'aria-label="Encounter, SUNNY BAY ({LAUNDERED}): 2024-03-01 ' in text
    assert f"with {CLEAN}" in text
    assert 'style="' not in text
    # the map (H2's partial) on the case's map data
    assert f'data-map-url="/api/cases/{case_id}/map"' in text
    # the note as the analyst's words, rendered from markdown
    note = re.search(r'<article class="analyst-note"[^>]*>(.*?)</article>', text, re.S)
    assert note is not None and "<em>at sea</em>" in note.group(1) and "ana, " in note.group(1)
    # the audit trail of this case, though the analyst may not read the whole log
    assert web.get("/api/audit", headers=ana).status_code == 403
    trail_html = text[text.index('id="audit-trail"') :]
    for action in ("case created", "subject added", "note added"):
        assert action in trail_html
    assert f"key: mmsi:{LAUNDERED}" in trail_html


def test_an_analyst_adds_a_note_through_the_page_without_reloading(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    csrf = signed_in(web, db, settings, "nadia")
    case_id = case_with_vessels(web, {"X-CSRF-Token": csrf}, CLEAN)
    page = web.get(f"/cases/{case_id}").text
    assert f'<input type="hidden" name="csrf_token" value="{csrf}">' in page
    assert f'hx-post="/cases/{case_id}/notes"' in page
    refused = web.post(f"/cases/{case_id}/notes", data={"text": "no token"}, headers=HTMX)
    assert refused.status_code == 403

    added = web.post(
        f"/cases/{case_id}/notes",
        data={"text": "Draught went **up** at sea."},
        headers={**HTMX, "X-CSRF-Token": csrf},
    )
    assert added.status_code == 200, added.text
    assert added.text.lstrip().startswith('<article class="analyst-note"')
    assert "<strong>up</strong>" in added.text and "nadia, " in added.text
    assert 'id="note-form" class="no-print note-form"' in added.text  # a fresh form, out of band
    assert 'hx-swap-oob="true"' in added.text and "note added" in added.text  # the trail too
    assert "<strong>up</strong>" in web.get(f"/cases/{case_id}").text
    logged = [t for t in trail(db, case_id) if t[0] == "note_added"]
    assert len(logged) == 1 and logged[0][1] == "nadia" and logged[0][2]["chars"] == 27
    with db.read() as session:
        assert audit.verify(session).intact

    # without script: the same form posts with its hidden field and comes back to the page
    plain = web.post(
        f"/cases/{case_id}/notes",
        data={"text": "second", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == f"/cases/{case_id}#notes"


def test_a_note_or_title_with_markup_shows_as_text(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    hostile = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>'
    case_id = int(
        web.post("/api/cases", json={"title": hostile, "description": hostile}, headers=ana).json()[
            "id"
        ]
    )
    added = web.post(
        f"/cases/{case_id}/notes", data={"text": hostile + " [x](javascript:alert(3))"},
        headers={**ana, **HTMX},
    )  # fmt: skip
    assert added.status_code == 200
    for text in (
        added.text,
        web.get(f"/cases/{case_id}", headers=ana).text,
        web.get("/cases", headers=ana).text,
    ):
        assert "<script>alert" not in text and "<img src=x" not in text
        assert 'href="javascript:' not in text and "onerror=alert(1)>" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text


def test_an_edit_against_an_old_version_is_a_conflict_shown_in_flash(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    bearer(db, settings, "bo", "analyst")
    case_id = case_with_vessels(web, ana)
    form = {
        "version": "1",
        "title": "Renamed",
        "description": "d",
        "status": "in_review",
        "assignees": "bo, ana",
    }
    saved = web.post(f"/cases/{case_id}/edit", data=form, headers={**ana, **HTMX})
    assert saved.status_code == 200, saved.text
    assert 'id="case-head"' in saved.text and "Renamed" in saved.text
    assert 'name="version" value="2"' in saved.text and "ana, bo" in saved.text
    assert "Saved: version 2." in saved.text and "case updated" in saved.text
    stale = web.post(
        f"/cases/{case_id}/edit", data={**form, "title": "Mine"}, headers={**ana, **HTMX}
    )
    assert stale.status_code == 409
    assert stale.headers["hx-retarget"] == "#flash"
    assert "version 2" in stale.text and 'role="alert"' in stale.text
    case = web.get(f"/api/cases/{case_id}", headers=ana).json()
    assert (case["title"], case["version"], case["status"]) == ("Renamed", 2, "in_review")
    plain = web.post(f"/cases/{case_id}/edit", data=form, headers=ana)
    assert plain.status_code == 409 and "<h1>409</h1>" in plain.text  # an error page


def test_a_viewer_reads_everything_and_has_no_forms(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    case_id = case_with_vessels(web, ana, LAUNDERED)
    web.post(f"/api/cases/{case_id}/notes", json={"text": "seen"}, headers=ana)
    page = web.get(f"/cases/{case_id}", headers=vic)
    assert page.status_code == 200
    assert "SUNNY BAY" in page.text and "seen" in page.text and len(MARK.findall(page.text)) >= 1
    assert "hx-post" not in page.text and 'type="file"' not in page.text
    assert 'name="text"' not in page.text and "Edit the case" not in page.text
    listing = web.get("/cases", headers=vic)
    assert listing.status_code == 200 and "New case" not in listing.text
    assert f'href="/cases/{case_id}"' in listing.text
    for path, data in (
        ("/cases", {"title": "x"}),
        (f"/cases/{case_id}/notes", {"text": "x"}),
        (f"/cases/{case_id}/edit", {"version": "1", "title": "x"}),
    ):
        refused = web.post(path, data=data, headers=vic)
        assert refused.status_code == 403 and "analyst role" in refused.text, path
    upload = web.post(
        f"/cases/{case_id}/attachments", files={"file": ("a.txt", b"hi", "text/plain")}, headers=vic
    )
    assert upload.status_code == 403
    assert [t[0] for t in trail(db, case_id)] == ["case_created", "subject_added", "note_added"]


def test_the_cases_list_creates_filters_and_counts(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    made = web.post(
        "/cases",
        data={"title": "Nampo coal", "description": "why"},
        headers=ana,
        follow_redirects=False,
    )
    assert made.status_code == 303
    case_id = int(made.headers["location"].rsplit("/", 1)[1])
    other = case_with_vessels(web, ana, CLEAN)
    web.patch(
        f"/api/cases/{other}",
        json={"version": 1, "status": "closed", "assignees": ["ana"]},
        headers=ana,
    )
    listing = web.get("/cases", headers=ana).text
    assert "open: 1" in listing and "closed: 1" in listing and "all: 2" in listing
    row = re.search(rf'<a href="/cases/{other}">Yellow Sea STS</a>.*?</tr>', listing, re.S)
    assert row is not None and "ana" in row.group(0) and '<td class="num">1</td>' in row.group(0)
    only_open = web.get("/cases?status=open", headers=ana).text
    assert f'href="/cases/{case_id}"' in only_open and f'href="/cases/{other}"' not in only_open
    by_title = web.get("/cases?q=nampo&status=", headers=ana).text
    assert "1 case matching the filter" in by_title
    assert "No cases match the filter." in web.get("/cases?assignee=nobody", headers=ana).text
    assert web.get("/cases?status=bogus", headers=ana).status_code == 422


def test_an_upload_through_the_page_is_listed_and_downloads(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    csrf = signed_in(web, db, settings, "uma")
    case_id = case_with_vessels(web, {"X-CSRF-Token": csrf})
    body = b"mmsi,note\n352001234,seen off Nampo\n"
    sent = web.post(
        f"/cases/{case_id}/attachments", data={"csrf_token": csrf},
        files={"file": ("sighting <1>.csv", body, "text/csv")}, follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    page = web.get(f"/cases/{case_id}").text
    link = re.search(
        rf'href="(/api/cases/{case_id}/attachments/\d+)" download>sighting &lt;1&gt;.csv<', page
    )
    assert link is not None
    assert web.get(link.group(1)).content == body
    assert "attachment added" in page
    refused = web.post(
        f"/cases/{case_id}/attachments", data={"csrf_token": csrf},
        files={"file": ("x.exe", b"MZ\x90\x00", "application/x-msdownload")},
    )  # fmt: skip
    assert refused.status_code == 415 and "<h1>415</h1>" in refused.text


def test_a_case_without_subjects_and_an_unknown_case(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = case_with_vessels(web, ana)
    page = web.get(f"/cases/{case_id}", headers=ana).text
    assert (
        "No events: the case has no vessel yet." in page
        and "<svg" not in page.split("timeline-h")[1].split("map-h")[0]
    )
    assert "No notes yet." in page and "No attachments." in page
    missing = web.get("/cases/987654", headers=ana)
    assert missing.status_code == 404 and "no case 987654" in missing.text


def test_the_trail_holds_the_case_and_its_alerts_and_nothing_else(
    db: CasesDatabase, settings: Settings
) -> None:
    ids = seed_alerts(settings.home)
    ana = Principal(None, "ana", "analyst")
    with db.begin() as session:
        done = triage(
            session, settings, ana, [ids[("portfolio_match", None)]], "accepted",
            new_case_title="Beratex", vessels={},
        )  # fmt: skip
        other = cases.create_case(session, ana, "Another case").id
        notes.add_note(session, ana, other, "not about Beratex")
        triage(session, settings, ana, [ids[("risk_high", CLEAN)]], "unsure", vessels={})
    assert done.case_id is not None
    with db.begin() as session:
        notes.add_note(session, ana, done.case_id, "about Beratex")
    with db.read() as session:
        rows = case_view.trail_rows(session, done.case_id)
    assert [r["action"] for r in rows] == ["note added", "alert triaged", "case created"]
    assert rows[1]["target"] == f"alert {ids[('portfolio_match', None)]}"
    assert "decision: accepted" in rows[1]["detail"] and rows[0]["actor"] == "ana"
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)


def test_list_entities_and_similar_cases_with_their_reasons(
    web: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    first = case_with_vessels(web, ana, LAUNDERED)
    second = case_with_vessels(web, ana, CLEAN)
    entity = web.post(
        f"/api/cases/{second}/subjects", json={"kind": "entity", "entity_id": "un-kpe-020"},
        headers=ana,
    )  # fmt: skip
    assert entity.status_code == 201, entity.text
    caption = entity.json()["snapshot"]["records"][0]["data"]["properties"]["name"][0]
    assert "OCEAN MARITIME MANAGEMENT" in caption
    page = web.get(f"/cases/{second}", headers=ana).text
    assert "List entity" in page and f"{caption} <span" in page and "un-kpe-020" in page
    # ANGARA met SUNNY BAY, a subject of the first case: an encounter partner
    similar = page[page.index('id="similar"') :]
    assert f'<a href="/cases/{first}">Yellow Sea STS</a>' in similar
    assert f'<a href="/vessels/{CLEAN}">{CLEAN}</a> met <a href="/vessels/{LAUNDERED}">' in similar
