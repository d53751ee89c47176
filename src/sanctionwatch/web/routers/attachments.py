"""Team API: a case's attachments. An upload (multipart, one ``file`` part) is limited in
size while it streams (web/limits.py, then cases/attachments.py) and in type (an allow-list,
checked against the declared type and the bytes); the bytes are stored under their SHA-256
and the name given is display text only. A download is always served as an attachment,
with ``nosniff``, under a safe name."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, UploadFile
from fastapi.responses import FileResponse

from sanctionwatch.cases import attachments
from sanctionwatch.cases.cases import get_case, user_names
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.web.security import Analyst, CasesDb, Viewer, app_settings

router = APIRouter(tags=["attachments"])

ID_MAX = 2**31 - 1
CaseId = Annotated[int, Path(ge=1, le=ID_MAX, description="The case's id")]
AttachmentId = Annotated[int, Path(ge=1, le=ID_MAX, description="The attachment's id")]


@router.post("/api/cases/{case_id}/attachments", status_code=201)
def add_attachment(
    request: Request, principal: Analyst, db: CasesDb, case_id: CaseId, file: UploadFile
) -> dict[str, Any]:
    """Attach a file: 413 over the size limit, 415 for a type not taken or bytes that are
    not of the declared type."""
    settings = app_settings(request)
    with db.read() as session:
        get_case(session, case_id)  # before the bytes are stored
    with db.begin() as session:
        attachment = attachments.add_attachment(
            session, settings, principal, case_id, file.file, file.content_type, file.filename
        )
        return attachments.attachment_json(attachment, principal.name)


@router.get("/api/cases/{case_id}/attachments")
def list_attachments(principal: Viewer, db: CasesDb, case_id: CaseId) -> dict[str, Any]:
    with db.read() as session:
        get_case(session, case_id)
        stored = attachments.case_attachments(session, case_id)
        names = user_names(session, {a.added_by_id for a in stored if a.added_by_id})
        found = [attachments.attachment_json(a, names.get(a.added_by_id or -1)) for a in stored]
    return {"case_id": case_id, "attachments": found}


@router.get("/api/cases/{case_id}/attachments/{attachment_id}")
def download_attachment(
    request: Request, principal: Viewer, db: CasesDb, case_id: CaseId, attachment_id: AttachmentId
) -> FileResponse:
    with db.read() as session:
        attachment = attachments.get_attachment(session, case_id, attachment_id)
        session.expunge(attachment)  # kept as read (the read's rollback would expire it)
    path = attachments.blob_path(app_settings(request), attachment.sha256)
    if not path.is_file():
        raise NotFound(f"attachment {attachment_id}'s content is missing from the store")
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in attachment.filename
    )
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename)}"
    )
    return FileResponse(
        path,
        media_type=attachment.media_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
