"""Team API: a case's notes. Each comes back as ``kind: "analyst_note"`` with its author,
its markdown (``text``) and that markdown rendered safely (``html``): a page shows it framed
as the analyst's words, never mixed with source data. Editing is for the author alone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from sanctionwatch.cases import notes
from sanctionwatch.cases.cases import get_case
from sanctionwatch.cases.models import NOTE_MAX
from sanctionwatch.web.security import Analyst, CasesDb, Viewer

router = APIRouter(tags=["notes"])

ID_MAX = 2**31 - 1
CaseId = Annotated[int, Path(ge=1, le=ID_MAX, description="The case's id")]
NoteId = Annotated[int, Path(ge=1, le=ID_MAX, description="The note's id")]


class NoteText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=NOTE_MAX, description="Markdown (CommonMark)")


@router.get("/api/cases/{case_id}/notes")
def list_notes(principal: Viewer, db: CasesDb, case_id: CaseId) -> dict[str, Any]:
    with db.read() as session:
        get_case(session, case_id)
        return {"case_id": case_id, "notes": notes.case_notes(session, case_id)}


@router.post("/api/cases/{case_id}/notes", status_code=201)
def add_note(principal: Analyst, db: CasesDb, case_id: CaseId, body: NoteText) -> dict[str, Any]:
    with db.begin() as session:
        note = notes.add_note(session, principal, case_id, body.text)
        return notes.latest_json(session, note)


@router.patch("/api/cases/{case_id}/notes/{note_id}")
def edit_note(
    principal: Analyst, db: CasesDb, case_id: CaseId, note_id: NoteId, body: NoteText
) -> dict[str, Any]:
    """A new version of the note (the old ones are kept); 403 for anyone but its author."""
    with db.begin() as session:
        note = notes.edit_note(session, principal, case_id, note_id, body.text)
        return notes.latest_json(session, note)


@router.get("/api/cases/{case_id}/notes/{note_id}/versions")
def note_versions(
    principal: Viewer, db: CasesDb, case_id: CaseId, note_id: NoteId
) -> dict[str, Any]:
    """Every version of a note, oldest first."""
    with db.read() as session:
        get_case(session, case_id)
        note = notes.get_note(session, case_id, note_id)
        found = [notes.note_json(note, v) for v in notes.versions(session, case_id, note_id)]
    return {"case_id": case_id, "note_id": note_id, "versions": found}
