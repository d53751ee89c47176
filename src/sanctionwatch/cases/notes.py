"""Notes: an analyst's markdown on a case, every version kept, editable only by its author.

Only the markdown is stored; it is rendered on every read (so a stricter sanitiser applies
to old notes too) in two layers: markdown-it in CommonMark mode with raw HTML off (a
``<script>`` is text, a ``javascript:`` link is not made a link), then nh3 (ammonia) keeping
only an allow-list of tags, ``href`` on links with http, https or mailto, and
``rel="noopener noreferrer nofollow"``. The API marks each note ``kind: "analyst_note"`` with
its author, so a page always shows it as the analyst's words, apart from source data.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown_it import MarkdownIt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.cases import get_case
from sanctionwatch.cases.errors import Forbidden, NotFound
from sanctionwatch.cases.models import NOTE_MAX, Note, NoteVersion
from sanctionwatch.cases.principal import Principal
from sanctionwatch.errors import InputError

TAGS = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "br", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def render(text: str) -> str:
    """Safe HTML for a note's markdown."""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def check_text(text: str) -> str:
    if not text.strip() or len(text) > NOTE_MAX:
        raise InputError(f"a note is 1 to {NOTE_MAX} characters, got {len(text)}")
    return text


def add_note(session: Session, actor: Principal, case_id: int, text: str) -> Note:
    """A new note by ``actor`` (audited ``note_added``)."""
    get_case(session, case_id)
    now = now_ms()
    note = Note(case_id=case_id, author_id=actor.user_id, author_name=actor.name, created_ms=now)
    session.add(note)
    session.flush()
    session.add(NoteVersion(note_id=note.id, version=1, text=check_text(text), edited_ms=now))
    session.flush()
    audit.append(
        session, actor, "note_added", "case", case_id,
        {"note_id": note.id, "version": 1, "chars": len(text)},
    )  # fmt: skip
    return note


def get_note(session: Session, case_id: int, note_id: int) -> Note:
    note = session.get(Note, note_id)
    if note is None or note.case_id != case_id:
        raise NotFound(f"case {case_id} has no note {note_id}")
    return note


def edit_note(session: Session, actor: Principal, case_id: int, note_id: int, text: str) -> Note:
    """A new version of a note; only its author may (an admin neither: they are someone
    else's words). The old versions stay. Audited ``note_edited``."""
    get_case(session, case_id)
    note = get_note(session, case_id, note_id)
    if not _is_author(note, actor):
        raise Forbidden(f"only {note.author_name} can edit note {note_id}")
    latest = _latest(session, note.id)
    version = NoteVersion(
        note_id=note.id, version=latest.version + 1, text=check_text(text), edited_ms=now_ms()
    )
    session.add(version)
    session.flush()
    audit.append(
        session, actor, "note_edited", "case", case_id,
        {"note_id": note.id, "version": version.version, "chars": len(text)},
    )  # fmt: skip
    return note


def _is_author(note: Note, actor: Principal) -> bool:
    if note.author_id is not None or actor.user_id is not None:
        return note.author_id == actor.user_id
    return note.author_name == actor.name  # both the command line: the same OS user


def _latest(session: Session, note_id: int) -> NoteVersion:
    query = select(NoteVersion).where(NoteVersion.note_id == note_id)
    return session.execute(query.order_by(NoteVersion.version.desc()).limit(1)).scalar_one()


def versions(session: Session, case_id: int, note_id: int) -> list[NoteVersion]:
    note = get_note(session, case_id, note_id)
    query = select(NoteVersion).where(NoteVersion.note_id == note.id)
    return list(session.execute(query.order_by(NoteVersion.version)).scalars())


def note_json(note: Note, version: NoteVersion) -> dict[str, Any]:
    """A note as the API gives it: the markdown, its rendering, and whose words they are."""
    return {
        "id": note.id,
        "case_id": note.case_id,
        "kind": "analyst_note",
        "author": note.author_name,
        "created_ms": note.created_ms,
        "version": version.version,
        "edited_ms": version.edited_ms,
        "text": version.text,
        "html": render(version.text),
    }


def case_notes(session: Session, case_id: int) -> list[dict[str, Any]]:
    """Every note of a case at its latest version, oldest first."""
    latest = (
        select(NoteVersion.note_id, func.max(NoteVersion.version).label("version"))
        .join(Note, Note.id == NoteVersion.note_id)
        .where(Note.case_id == case_id)
        .group_by(NoteVersion.note_id)
        .subquery()
    )
    query = (
        select(Note, NoteVersion)
        .join(latest, latest.c.note_id == Note.id)
        .join(
            NoteVersion,
            (NoteVersion.note_id == Note.id) & (NoteVersion.version == latest.c.version),
        )
        .order_by(Note.id)
    )
    return [note_json(note, version) for note, version in session.execute(query)]


def latest_json(session: Session, note: Note) -> dict[str, Any]:
    return note_json(note, _latest(session, note.id))
