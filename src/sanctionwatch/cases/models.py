"""The cases database, declared once (SQLAlchemy 2 typed ORM).

The schema itself is made by the Alembic migrations in ``migrations/versions``; a test
checks that migrating to head gives exactly these declarations, on SQLite and PostgreSQL.
Times are integer milliseconds since the epoch, UTC, as in the other stores; JSON is kept as
text (PostgreSQL's JSONB would reorder keys, and the audit chain hashes exact text).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints: Alembic's batch mode on SQLite needs names to alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TITLE_MAX = 300
NAME_MAX = 64
REASON_MAX = 2000
NOTE_MAX = 100_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Facts about the database itself, e.g. which home's alerts its triage refers to."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UserAccount(Base):
    """A person who signs in: a role (admin, analyst, viewer), failed sign-ins, lock-out."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('admin', 'analyst', 'viewer')", name="role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # argon2 hash; None for an account that signs in elsewhere (an OIDC provider, later).
    password_hash: Mapped[str | None] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until_ms: Mapped[int | None] = mapped_column(BigInteger)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    # The identity provider's subject for this account (OIDC ``sub``); None for local accounts.
    external_subject: Mapped[str | None] = mapped_column(String(256), unique=True)


class ApiToken(Base):
    """A personal token for scripts: only its SHA-256 is kept."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    created_ms: Mapped[int] = mapped_column(BigInteger)
    expires_ms: Mapped[int | None] = mapped_column(BigInteger)
    revoked_ms: Mapped[int | None] = mapped_column(BigInteger)
    last_used_ms: Mapped[int | None] = mapped_column(BigInteger)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the row its SHA-256."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    expires_ms: Mapped[int] = mapped_column(BigInteger)
    last_seen_ms: Mapped[int] = mapped_column(BigInteger)


class AlertTriage(Base):
    """One triage decision on an alert (append-only: the current one is the latest)."""

    __tablename__ = "alert_triage"
    __table_args__ = (
        CheckConstraint("decision IN ('accepted', 'dismissed', 'unsure')", name="decision"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The alert's id in the home's alerts.sqlite (another database: no foreign key).
    alert_id: Mapped[int] = mapped_column(BigInteger, index=True)
    alert_fingerprint: Mapped[str] = mapped_column(String(128))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_name: Mapped[str] = mapped_column(String(NAME_MAX + 8))
    at_ms: Mapped[int] = mapped_column(BigInteger)


class CaseFile(Base):
    """A case: what a team investigates, its status and the version PATCH must name."""

    __tablename__ = "case_file"
    __table_args__ = (CheckConstraint("status IN ('open', 'in_review', 'closed')", name="status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # What the case is about, in a sentence or two (added by migration 0002).
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    # Raised by every change: a PATCH naming an older version is refused (409), not merged.
    version: Mapped[int] = mapped_column(Integer, default=1)


class CaseAssignee(Base):
    """Who works on a case."""

    __tablename__ = "case_assignee"
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)


class CaseSubject(Base):
    """A vessel, list entity or portfolio counterparty in a case, with the evidence about it
    as it stood at ``as_of_ms`` (``snapshot``: JSON text, its SHA-256 beside it)."""

    __tablename__ = "case_subject"
    __table_args__ = (
        CheckConstraint("kind IN ('vessel', 'entity', 'counterparty')", name="kind"),
        UniqueConstraint("case_id", "subject_key", name="uq_case_subject_case_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_key: Mapped[str] = mapped_column(
        String(200)
    )  # mmsi:N | imo:N | entity:ID | counterparty:ID
    mmsi: Mapped[int | None] = mapped_column(BigInteger, index=True)
    imo: Mapped[str | None] = mapped_column(String(16), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(200), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_ms: Mapped[int] = mapped_column(BigInteger)
    as_of_ms: Mapped[int] = mapped_column(BigInteger)
    snapshot: Mapped[str] = mapped_column(Text)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))


class Note(Base):
    """An analyst's note on a case (its text is in note_version, every version kept)."""

    __tablename__ = "note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(NAME_MAX + 8))
    created_ms: Mapped[int] = mapped_column(BigInteger)


class NoteVersion(Base):
    """Every version of a note's markdown, kept: an edit adds a version, never overwrites."""

    __tablename__ = "note_version"
    note_id: Mapped[int] = mapped_column(ForeignKey("note.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    edited_ms: Mapped[int] = mapped_column(BigInteger)


class Attachment(Base):
    """A file attached to a case; its bytes live in the attachment store under their SHA-256."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))  # as shown to people, never a path
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_ms: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """One entry of the hash chain (see audit.py for what is hashed)."""

    __tablename__ = "audit_entry"
    # the case page's trail (audit.case_trail) reads by target; migration 0003
    __table_args__ = (Index("ix_audit_entry_target", "target_kind", "target_id"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at_ms: Mapped[int] = mapped_column(BigInteger)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(NAME_MAX + 8))
    action: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last entry, one row: appenders lock it, so entries go on one at a time."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
