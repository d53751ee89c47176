"""Attachments: files attached to a case, their bytes stored once under their SHA-256.

Layout: ``<attachments_path>/ab/cdef...`` (the first two hex digits as a folder). An upload
is copied into a temporary file in that directory while it is hashed and counted (refused
with TooLarge the moment it passes ``attachments_max_bytes``), then moved into place with
``os.replace`` (atomic; identical content lands on the same name, stored once). No path from
a user ever reaches the file system: the file name they gave is display text only,
sanitised. A file's type must be on the allow-list and its bytes must look like that type
(magic numbers, or UTF-8 text), else UnsupportedType.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.cases import get_case
from sanctionwatch.cases.errors import NotFound, TooLarge, UnsupportedType
from sanctionwatch.cases.models import Attachment
from sanctionwatch.cases.principal import Principal
from sanctionwatch.config import Settings

CHUNK = 1 << 16
FILENAME_MAX = 255
# Allowed types -> what their first bytes must be (None: UTF-8 text, checked whole).
MAGIC: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
    "application/zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "text/plain": None,
    "text/csv": None,
    "application/json": None,
    "application/geo+json": None,
    "message/rfc822": None,
}
ALIASES = {
    "image/jpg": "image/jpeg",
    "application/x-zip-compressed": "application/zip",
    "application/vnd.geo+json": "application/geo+json",
}
_HEADER_LINE = re.compile(rb"^[A-Za-z0-9-]+:")


def media_type(declared: str | None) -> str:
    """The allowed type ``declared`` names (parameters such as charset dropped)."""
    name = (declared or "").split(";")[0].strip().lower()
    name = ALIASES.get(name, name)
    if name not in MAGIC:
        allowed = ", ".join(sorted(MAGIC))
        raise UnsupportedType(
            f"attachments of type {name or 'unknown'!r} are not taken ({allowed})"
        )
    return name


def display_name(filename: str | None) -> str:
    """The name to show: the last part of whatever path was given, without control
    characters, at most 255 characters; never used as a path."""
    text = unicodedata.normalize("NFC", filename or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return text[:FILENAME_MAX] or "attachment"


def blob_path(settings: Settings, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFound("no such attachment")
    return settings.attachments_path / sha256[:2] / sha256[2:]


class _Sniffer:
    """Checks the bytes against the declared type as they stream past."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.head = b""
        self.text = codecs.getincrementaldecoder("utf-8")() if MAGIC[kind] is None else None

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < 16:
            self.head += chunk[: 16 - len(self.head)]
        if self.text is not None:
            try:
                self.text.decode(chunk)
            except UnicodeDecodeError as exc:
                raise self._wrong("it is not UTF-8 text") from exc
            if b"\x00" in chunk:
                raise self._wrong("it holds NUL bytes")

    def finish(self) -> None:
        magic = MAGIC[self.kind]
        if magic is not None:
            ok = self.head.startswith(magic)
            if self.kind == "image/webp":
                ok = ok and self.head[8:12] == b"WEBP"
            if not ok:
                raise self._wrong("its content does not start as that type does")
            return
        assert self.text is not None
        try:
            self.text.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise self._wrong("it is not UTF-8 text") from exc
        start = self.head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if self.kind.endswith("json") and not start.startswith((b"{", b"[")):
            raise self._wrong("it does not start as JSON does")
        if self.kind == "message/rfc822" and not _HEADER_LINE.match(start):
            raise self._wrong("it does not start with a mail header")

    def _wrong(self, why: str) -> UnsupportedType:
        return UnsupportedType(f"the file was declared {self.kind}, but {why}")


def store_blob(settings: Settings, source: IO[bytes], kind: str) -> tuple[str, int]:
    """Copy ``source`` into the store while hashing, counting and sniffing it; its SHA-256
    and size. Nothing is left behind when it is refused."""
    limit = settings.attachments_max_bytes
    root = settings.attachments_path
    root.mkdir(parents=True, exist_ok=True)
    digest, size, sniffer = hashlib.sha256(), 0, _Sniffer(kind)
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"an attachment is at most {limit} bytes")
                sniffer.feed(chunk)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sniffer.finish()
        if size == 0:
            raise UnsupportedType("the file is empty")
        sha256 = digest.hexdigest()
        final = blob_path(settings, sha256)
        final.parent.mkdir(exist_ok=True)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256, size


def add_attachment(
    session: Session,
    settings: Settings,
    actor: Principal,
    case_id: int,
    source: IO[bytes],
    declared_type: str | None,
    filename: str | None,
) -> Attachment:
    """Attach the file ``source`` to a case (audited ``attachment_added``)."""
    get_case(session, case_id)
    kind = media_type(declared_type)
    sha256, size = store_blob(settings, source, kind)
    attachment = Attachment(
        case_id=case_id,
        sha256=sha256,
        size_bytes=size,
        media_type=kind,
        filename=display_name(filename),
        added_by_id=actor.user_id,
        added_ms=now_ms(),
    )
    session.add(attachment)
    session.flush()
    audit.append(
        session, actor, "attachment_added", "case", case_id,
        {"attachment_id": attachment.id, "sha256": sha256, "size": size, "type": kind},
    )  # fmt: skip
    return attachment


def case_attachments(session: Session, case_id: int) -> list[Attachment]:
    query = select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)
    return list(session.execute(query).scalars())


def get_attachment(session: Session, case_id: int, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case_id:
        raise NotFound(f"case {case_id} has no attachment {attachment_id}")
    return attachment


def attachment_json(attachment: Attachment, added_by: str | None = None) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "case_id": attachment.case_id,
        "sha256": attachment.sha256,
        "size_bytes": attachment.size_bytes,
        "media_type": attachment.media_type,
        "filename": attachment.filename,
        "added_by": added_by,
        "added_ms": attachment.added_ms,
    }
