"""Attachments: stored once under their SHA-256, size limited while streaming (413), type
limited by declaration and content (415), the user's file name display text only (a path in
it never reaches the file system), downloaded as an attachment with nosniff (both backends)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit
from sanctionwatch.cases.attachments import display_name
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AuditEntry
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from sanctionwatch.web.limits import MULTIPART_OVERHEAD, BodySizeLimit, upload_limit
from tests.cases.conftest import API_KEY, bearer

SMALL = 4096
CSV = b"name,imo\nSUNNY BAY,7937317\n"


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))  # fmt: skip


def pdf(padding: int = 0) -> bytes:
    return b"%PDF-1.4\n" + b"%" + b"x" * padding + b"\n%%EOF\n"


@pytest.fixture
def small(
    settings: Settings, db: CasesDatabase, screener: Screener
) -> Iterator[tuple[TestClient, Settings]]:
    """The API with attachments limited to 4 KiB."""
    limited = dataclasses.replace(settings, attachments_max_bytes=SMALL)
    app = create_app(limited, auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db)
    with TestClient(app, base_url="https://testserver") as client:
        yield client, limited


def new_case(api: TestClient, headers: dict[str, str]) -> int:
    return int(api.post("/api/cases", json={"title": "t"}, headers=headers).json()["id"])


def upload(
    api: TestClient, case_id: int, headers: dict[str, str], name: str, data: bytes, kind: str
) -> Any:
    files = {"file": (name, data, kind)}
    return api.post(f"/api/cases/{case_id}/attachments", files=files, headers=headers)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_files_are_stored_once_by_sha256_and_downloaded_safely(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    first, second = new_case(api, ana), new_case(api, ana)
    image = png()
    digest = hashlib.sha256(image).hexdigest()
    made = upload(api, first, ana, "photo.png", image, "image/png")
    assert made.status_code == 201, made.text
    attachment = made.json()
    assert (attachment["sha256"], attachment["size_bytes"], attachment["media_type"]) == (
        digest, len(image), "image/png",
    )  # fmt: skip
    assert (attachment["filename"], attachment["added_by"]) == ("photo.png", "ana")
    again = upload(api, second, ana, "same.png", image, "image/png").json()
    assert again["sha256"] == digest and again["id"] != attachment["id"]
    root = settings.attachments_path
    assert stored_files(root) == [f"{digest[:2]}/{digest[2:]}"]  # once, no temporary left
    assert (root / digest[:2] / digest[2:]).read_bytes() == image

    got = api.get(f"/api/cases/{first}/attachments/{attachment['id']}", headers=vic)
    assert got.status_code == 200 and got.content == image
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith('attachment; filename="photo.png"')
    listed = api.get(f"/api/cases/{first}/attachments", headers=vic).json()["attachments"]
    assert listed == [attachment]
    assert api.get(f"/api/cases/{first}", headers=vic).json()["attachments"] == [attachment]
    with db.read() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        added = [json.loads(e.detail) for e in entries if e.action == "attachment_added"]
        assert audit.verify(session).intact
    assert added[0] == {"attachment_id": attachment["id"], "sha256": digest,
                        "size": len(image), "type": "image/png"}  # fmt: skip


def test_a_path_in_the_file_name_never_touches_the_file_system(
    api: TestClient, db: CasesDatabase, settings: Settings, tmp_path: Path
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = new_case(api, ana)
    before = stored_files(tmp_path)
    for name in ("../../etc/passwd", "..\\..\\boot.ini", "/etc/shadow", "a/../../x.csv"):
        made = upload(api, case_id, ana, name, CSV, "text/csv")
        assert made.status_code == 201, made.text
        assert "/" not in made.json()["filename"] and "\\" not in made.json()["filename"]
    names = [a["filename"] for a in api.get(f"/api/cases/{case_id}/attachments", headers=ana)
             .json()["attachments"]]  # fmt: skip
    assert names == ["passwd", "boot.ini", "shadow", "x.csv"]
    digest = hashlib.sha256(CSV).hexdigest()
    after = set(stored_files(tmp_path)) - set(before)
    where = settings.attachments_path.relative_to(tmp_path)
    assert after == {f"{where}/{digest[:2]}/{digest[2:]}"}
    attachment_id = api.get(f"/api/cases/{case_id}/attachments", headers=ana).json()["attachments"][
        0
    ]["id"]
    got = api.get(f"/api/cases/{case_id}/attachments/{attachment_id}", headers=ana)
    assert got.headers["content-disposition"].startswith('attachment; filename="passwd"')


def test_display_names_are_sanitised() -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("rapport\x00\n\u202e.pdf") == "rapport.pdf"
    assert display_name("..") == "attachment" and display_name(None) == "attachment"
    assert display_name(".hidden") == "hidden"
    assert len(display_name("é" * 1000)) == 255


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("x.png", b"not a png at all", "image/png"),  # declared one thing, is another
        ("x.pdf", png(), "application/pdf"),
        ("x.exe", b"MZ\x90\x00", "application/x-msdownload"),  # a type not taken
        ("x.html", b"<script>alert(1)</script>", "text/html"),
        ("x.bin", b"\x00\x01", "application/octet-stream"),
        ("x.txt", b"\xff\xfe\x00bad", "text/plain"),  # not UTF-8 text
        ("x.csv", b"a,b\x00c", "text/csv"),  # NUL bytes
        ("x.json", b"hello", "application/json"),
        ("x.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", "image/webp"),
        ("x.txt", b"", "text/plain"),
    ],
)
def test_wrong_types_are_refused_and_leave_nothing(
    api: TestClient, db: CasesDatabase, settings: Settings, name: str, data: bytes, kind: str
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = new_case(api, ana)
    refused = upload(api, case_id, ana, name, data, kind)
    assert refused.status_code == 415, refused.text
    assert (
        stored_files(settings.attachments_path) == []
        if settings.attachments_path.exists()
        else True
    )
    assert api.get(f"/api/cases/{case_id}/attachments", headers=ana).json()["attachments"] == []


def test_allowed_types_are_taken(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = new_case(api, ana)
    good = [
        ("a.pdf", pdf(), "application/pdf"),
        ("b.json", b'{"a": 1}', "application/json; charset=utf-8"),
        ("c.geojson", b' {"type": "Point"}', "application/geo+json"),
        ("d.eml", b"From: a@example.org\r\nSubject: hi\r\n\r\nbody", "message/rfc822"),
        ("e.txt", "Ålesund\n".encode(), "text/plain"),
        ("f.gif", b"GIF89a\x01\x00\x01\x00", "image/gif"),
        ("g.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("h.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip"),
    ]
    for name, data, kind in good:
        made = upload(api, case_id, ana, name, data, kind)
        assert made.status_code == 201, (name, made.text)


def test_size_is_limited_while_streaming(
    small: tuple[TestClient, Settings], db: CasesDatabase
) -> None:
    api, settings = small
    ana = bearer(db, settings, "ana", "analyst")
    case_id = new_case(api, ana)
    assert (
        upload(api, case_id, ana, "ok.pdf", pdf(SMALL - 20), "application/pdf").status_code == 201
    )
    over = upload(api, case_id, ana, "big.pdf", pdf(SMALL), "application/pdf")
    assert over.status_code == 413 and str(SMALL) in over.json()["detail"]
    # Far over: refused by the body limit (by Content-Length, and counted without one).
    huge = pdf(MULTIPART_OVERHEAD + SMALL)
    assert upload(api, case_id, ana, "huge.pdf", huge, "application/pdf").status_code == 413
    chunks = iter([b"--x\r\n", b"y" * (MULTIPART_OVERHEAD + SMALL + 10)])
    streamed = api.post(
        f"/api/cases/{case_id}/attachments", content=chunks,
        headers={**ana, "Content-Type": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert streamed.status_code == 413
    assert len(stored_files(settings.attachments_path)) == 1  # the first, no temporaries
    assert len(api.get(f"/api/cases/{case_id}/attachments", headers=ana).json()["attachments"]) == 1


def test_uploads_are_not_held_to_the_one_mebibyte_json_limit(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = new_case(api, ana)
    big = pdf(3 << 20)
    made = upload(api, case_id, ana, "scan.pdf", big, "application/pdf")
    assert made.status_code == 201, made.text
    assert made.json()["size_bytes"] == len(big)
    # ... while every other route still is.
    assert api.post("/api/cases", content=b" " * (2 << 20), headers=ana).status_code == 413


def test_roles_and_unknown_ids(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    case_id, other = new_case(api, ana), new_case(api, ana)
    assert upload(api, case_id, vic, "a.csv", CSV, "text/csv").status_code == 403
    assert upload(api, case_id, {}, "a.csv", CSV, "text/csv").status_code == 401
    assert upload(api, 999, ana, "a.csv", CSV, "text/csv").status_code == 404
    assert not settings.attachments_path.exists() or stored_files(settings.attachments_path) == []
    attachment_id = upload(api, case_id, ana, "a.csv", CSV, "text/csv").json()["id"]
    assert (
        api.get(f"/api/cases/{other}/attachments/{attachment_id}", headers=ana).status_code == 404
    )
    assert api.get(f"/api/cases/{case_id}/attachments/999", headers=ana).status_code == 404
    assert api.get("/api/cases/999/attachments", headers=ana).status_code == 404
    no_file = api.post(f"/api/cases/{case_id}/attachments", headers=ana, data={"x": "1"})
    assert no_file.status_code == 422


def test_the_body_limit_stops_reading_at_the_limit() -> None:
    """Streamed uploads are refused as soon as they pass the limit: what comes after is
    never read."""
    read: list[int] = []
    sent: list[dict[str, Any]] = []
    parts = [b"a" * 1000 for _ in range(10)]

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": parts[len(read) - 1], "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive())["type"] == "http.request":
            pass
        raise RuntimeError("the client went away")  # as a form parser would

    class State:
        settings = dataclasses.replace(Settings(home=Path("/nonexistent")),
                                       attachments_max_bytes=2500 - MULTIPART_OVERHEAD)  # fmt: skip

    class App:
        state = State()

    scope = {"type": "http", "method": "POST", "path": "/api/cases/1/attachments",
             "headers": [], "app": App()}  # fmt: skip
    asyncio.run(BodySizeLimit(app)(scope, receive, send))  # type: ignore[arg-type]
    assert len(read) == 3  # 3,000 bytes > 2,500: the rest never read
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [413]


def test_the_case_pages_upload_form_has_the_attachment_limit_too() -> None:
    app = type("App", (), {"state": type("State", (), {"settings": Settings(home=Path("/x"))})})
    for path in ("/api/cases/7/attachments", "/cases/7/attachments"):
        scope = {"type": "http", "method": "POST", "path": path, "app": app}
        assert upload_limit(scope) == (25 << 20) + MULTIPART_OVERHEAD, path
    other = {"type": "http", "method": "POST", "path": "/cases/7/notes", "app": app}
    assert upload_limit(other) is None
