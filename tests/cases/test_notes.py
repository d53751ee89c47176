"""Notes: markdown stored as written, rendered inert (no script, no event handler, no
javascript: link), always marked as the analyst's words; edited by their author alone,
every version kept; audited (both backends)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit, notes
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AuditEntry, NoteVersion
from sanctionwatch.config import Settings
from tests.cases.conftest import bearer

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[y](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">z</a>',
    "[d](data:text/html;base64,PHNjcmlwdD4=)",
    '<svg onload="alert(1)"></svg>',
    "<iframe src=https://evil.example></iframe>",
    "[s](vbscript:msgbox)",
]


class Elements(HTMLParser):
    """Every element and attribute in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text: str) -> None:
    html = notes.render(text)
    for tag, attrs in elements(html):
        assert tag in notes.TAGS, (text, html)
        assert not any(name.startswith("on") for name in attrs), (text, html)
        assert (attrs.get("href") or "https:").split(":")[0] in ("https", "http", "mailto")
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_markdown_renders_with_safe_links() -> None:
    html = notes.render("**bold** and [OFAC](https://ofac.treasury.gov/)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert elements(html)[2] == (
        "a", {"href": "https://ofac.treasury.gov/", "rel": "noopener noreferrer nofollow"},
    )  # fmt: skip


def test_notes_are_stored_as_written_and_shown_as_the_analysts(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    url = f"/api/cases/{case_id}/notes"
    for text in HOSTILE:
        made = api.post(url, json={"text": text}, headers=ana)
        assert made.status_code == 201, made.text
        note = made.json()
        assert note["text"] == text  # the markdown as written
        assert (note["kind"], note["author"], note["version"]) == ("analyst_note", "ana", 1)
        assert "<script" not in note["html"] and "javascript:" not in str(
            [a.get("href") for _, a in elements(note["html"])]
        )
    listed = api.get(url, headers=ana).json()["notes"]
    assert [n["text"] for n in listed] == HOSTILE
    assert all(n["kind"] == "analyst_note" and n["author"] == "ana" for n in listed)
    in_case = api.get(f"/api/cases/{case_id}", headers=ana).json()["notes"]
    assert in_case == listed
    with db.read() as session:
        stored = session.execute(select(NoteVersion.text).order_by(NoteVersion.note_id))
        assert list(stored.scalars()) == HOSTILE  # markdown only, never the HTML


def test_only_the_author_edits_and_every_version_is_kept(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    bob = bearer(db, settings, "bob", "analyst")
    ada = bearer(db, settings, "ada", "admin")
    vic = bearer(db, settings, "vic", "viewer")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    note = api.post(f"/api/cases/{case_id}/notes", json={"text": "first"}, headers=ana).json()
    url = f"/api/cases/{case_id}/notes/{note['id']}"

    edited = api.patch(url, json={"text": "second"}, headers=ana)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["text"], edited.json()["version"]) == ("second", 2)
    for other, status in ((bob, 403), (ada, 403), (vic, 403)):
        refused = api.patch(url, json={"text": "not mine"}, headers=other)
        assert refused.status_code == status
    versions = api.get(f"{url}/versions", headers=vic).json()["versions"]
    assert [(v["version"], v["text"]) for v in versions] == [(1, "first"), (2, "second")]
    assert api.get(f"/api/cases/{case_id}/notes", headers=vic).json()["notes"][0]["text"] == (
        "second"
    )
    with db.read() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        logged = [(e.action, json.loads(e.detail)) for e in entries if "note" in e.action]
        assert audit.verify(session).intact
    assert logged == [
        ("note_added", {"note_id": note["id"], "version": 1, "chars": 5}),
        ("note_edited", {"note_id": note["id"], "version": 2, "chars": 6}),
    ]


def test_bad_notes_are_refused(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    other = api.post("/api/cases", json={"title": "u"}, headers=ana).json()["id"]
    url = f"/api/cases/{case_id}/notes"
    assert api.post(url, json={"text": "x" * 100_001}, headers=ana).status_code == 422
    assert api.post(url, json={"text": "x" * 100_000}, headers=ana).status_code == 201
    assert api.post(url, json={"text": ""}, headers=ana).status_code == 422
    assert api.post(url, json={"text": "  \n "}, headers=ana).status_code == 422
    assert api.post(url, json={}, headers=ana).status_code == 422
    assert api.post(url, json={"text": "hi"}, headers=vic).status_code == 403
    assert api.post(url, json={"text": "hi"}).status_code == 401
    assert api.post("/api/cases/999/notes", json={"text": "hi"}, headers=ana).status_code == 404
    assert api.get("/api/cases/999/notes", headers=ana).status_code == 404
    note_id = api.get(url, headers=ana).json()["notes"][0]["id"]
    # A note is reached through its own case only.
    moved = api.patch(f"/api/cases/{other}/notes/{note_id}", json={"text": "x"}, headers=ana)
    assert moved.status_code == 404
    assert api.get(f"/api/cases/{other}/notes/{note_id}/versions", headers=ana).status_code == 404
    assert api.patch(f"{url}/9999", json={"text": "x"}, headers=ana).status_code == 404
