"""The embedded list store: every version of every list, in one SQLite file.

Why SQLite (not DuckDB) for lists: loads are small transactional writes that must be atomic
(a killed load leaves the previous state intact, which SQLite's journal guarantees), readers
(the web workspace, screening) run concurrently with a writer under WAL, and it is in the
standard library. DuckDB is kept for the analytical AIS positions.

Layout: ``list_version`` has one row per load that changed something; ``entity_blob`` holds
each distinct entity content once (keyed by its digest, so unchanged entities cost nothing per
version); ``version_entity`` says which entity contents make up a version, with the list's own
record id and the file and line range each came from; ``rejected_row`` keeps what a load could
not use, with the reason. The tables are declared once, in ``tables.py``: the DDL and the
typed rows come from there (the joins that read entities stay SQL).

Readers open it read-only (``writable=False``; it then works on a read-only home); a load
writes under the home's writer lock (``home_lock.py``), the caller's or one taken for it.
A load that fails (a full disk included) leaves the store as it was and says so.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctionwatch.errors import StoreError
from sanctionwatch.home_lock import DEFAULT_TIMEOUT_S, WriterLock, acquire
from sanctionwatch.lists.model import ListEntity, Rejected, entity_data
from sanctionwatch.lists.tables import (
    LIST_TABLES,
    EntityBlobRow,
    ListRejectedRow,
    ListVersionRow,
    VersionEntityRow,
)
from sanctionwatch.sqlite_files import (
    connect_read_only,
    connect_writable,
    home_is_writable,
    is_disk_full,
)
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params

SCHEMA = schema_sql(*LIST_TABLES)  # derived from the declarations in tables.py


@dataclass(frozen=True)
class ListVersion:
    """One stored version of one list."""

    id: int
    list_name: str
    version: str
    version_source: str
    format: str
    files: list[dict[str, Any]]
    content_digest: str
    loaded_at: str
    entity_count: int
    rejected_count: int
    warnings: list[str]


@dataclass(frozen=True)
class StoredEntity:
    """An entity as stored in a version, with its provenance."""

    entity_id: str
    schema: str
    caption: str
    data: dict[str, Any]
    record_id: str
    source: str


@dataclass(frozen=True)
class PreparedEntity:
    """An entity serialised for the store (done in parser processes, off the writer's path)."""

    entity_id: str
    record_id: str
    source: str
    schema: str
    caption: str
    text: str  # canonical JSON of the FtM entity
    digest: str  # SHA-256 of ``text``


def prepare_entity(item: ListEntity) -> PreparedEntity:
    data = entity_data(item.proxy)
    text = canonical_json(data)
    return PreparedEntity(
        entity_id=item.entity_id,
        record_id=item.record_id,
        source=item.source,
        schema=data["schema"],
        caption=str(item.proxy.caption),
        text=text,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


@dataclass(frozen=True)
class NewVersion:
    """Everything needed to write one version of one list."""

    list_name: str
    version: str
    version_source: str
    format: str
    files: list[dict[str, Any]]
    entities: list[PreparedEntity]
    rejected: list[Rejected]
    warnings: list[str]


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: equal data, equal text, equal digest."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest_json(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


class ListStore:
    """Access to the SQLite list store at ``path`` (created on first use when writable).

    ``writable=None`` (the default) opens for writing unless the home (``path``'s folder)
    cannot be written; ``writer`` is a writer lock the caller holds (else each load takes
    one, waiting up to ``lock_timeout_s``).
    """

    def __init__(
        self,
        path: Path,
        *,
        writable: bool | None = None,
        writer: WriterLock | None = None,
        lock_timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.path = path
        if writable is None:
            writable = writer is not None or home_is_writable(path.parent)
        self.writable = writable
        self._writer = writer
        self._lock_timeout_s = lock_timeout_s
        try:
            if not writable:
                self._db = connect_read_only(path, SCHEMA)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = connect_writable(path, SCHEMA)
            self._db.execute("PRAGMA synchronous=NORMAL")
            # Entity digests arrive in random order: a larger page cache (64 MiB) keeps the
            # index inserts of a large list in memory instead of re-reading pages.
            self._db.execute("PRAGMA cache_size=-65536")
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the list store: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def write_versions(self, new_versions: list[NewVersion]) -> list[tuple[ListVersion, bool]]:
        """Store each new version in ONE transaction: all of them, or (on any error) none.

        Returns, per new version, the stored version and whether it was created (False when
        the same list version with the same content was already there: loading is idempotent).
        """
        if not self.writable:
            raise StoreError(f"{self.path} was opened read-only; loading lists writes there")
        results: list[tuple[ListVersion, bool]] = []
        with ExitStack() as held:
            if self._writer is None or not self._writer.held:
                held.enter_context(acquire(self.path.parent, "lists load", self._lock_timeout_s))
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for new in new_versions:
                    results.append(self._write_version(new))
                self._db.execute("COMMIT")
            except BaseException as exc:
                # SQLite has already rolled back after some errors (a full disk): a second
                # ROLLBACK would fail and hide the cause.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    why = "disk full" if is_disk_full(exc) else f"SQLite error ({exc})"
                    raise StoreError(
                        f"{why} while writing {self.path}; nothing was loaded"
                    ) from exc
                raise
        return results

    def _write_version(self, new: NewVersion) -> tuple[ListVersion, bool]:
        members: list[PreparedEntity] = []
        blobs: list[EntityBlobRow] = []
        seen: set[str] = set()
        for item in new.entities:
            if item.entity_id in seen:  # two records with one id: the first wins, the rest told
                new.warnings.append(f"duplicate entity id {item.entity_id} ({item.source}) skipped")
                continue
            seen.add(item.entity_id)
            blobs.append(
                EntityBlobRow(item.digest, item.entity_id, item.schema, item.caption, item.text)
            )
            members.append(item)
        members.sort(key=lambda m: (m.entity_id, m.digest, m.record_id, m.source))
        content_digest = digest_json([(m.entity_id, m.digest) for m in members])
        existing = self._db.execute(
            "SELECT id FROM list_version WHERE list=? AND version=? AND content_digest=?",
            (new.list_name, new.version, content_digest),
        ).fetchone()
        if existing:
            return self.get_version_by_id(existing[0]), False
        version = ListVersionRow(
            id=0,  # numbered by SQLite: omitted from the insert
            list=new.list_name,
            version=new.version,
            version_source=new.version_source,
            format=new.format,
            files=json.dumps(new.files),
            content_digest=content_digest,
            loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            entity_count=len(members),
            rejected_count=len(new.rejected),
            warnings=json.dumps(new.warnings, ensure_ascii=False),
        )
        cursor = self._db.execute(
            insert_sql(ListVersionRow, omit=["id"]), to_params(version, omit=["id"])
        )
        version_id = int(cursor.lastrowid or 0)
        self._db.executemany(
            insert_sql(EntityBlobRow, conflict="IGNORE"), [to_params(blob) for blob in blobs]
        )
        self._db.executemany(
            insert_sql(VersionEntityRow),
            [
                to_params(
                    VersionEntityRow(version_id, m.entity_id, m.digest, m.record_id, m.source)
                )
                for m in members
            ],
        )
        self._db.executemany(
            insert_sql(ListRejectedRow),
            [
                to_params(ListRejectedRow(version_id, r.file, r.line, r.reason, r.raw))
                for r in new.rejected
            ],
        )
        return self.get_version_by_id(version_id), True

    # -- reading -------------------------------------------------------------------------

    def list_names(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT list FROM list_version ORDER BY list").fetchall()
        return [row[0] for row in rows]

    def versions(self, list_name: str) -> list[ListVersion]:
        """Every version of a list, oldest first (by publication date, then load order)."""
        rows = self._db.execute(
            select_sql(ListVersionRow) + " WHERE list=? ORDER BY version, id", (list_name,)
        ).fetchall()
        return [_version(from_row(ListVersionRow, row)) for row in rows]

    def get_version_by_id(self, version_id: int) -> ListVersion:
        row = self._db.execute(select_sql(ListVersionRow) + " WHERE id=?", (version_id,)).fetchone()
        if row is None:
            raise StoreError(f"no list version with id {version_id}")
        return _version(from_row(ListVersionRow, row))

    def find_version(self, list_name: str, label: str | None = None) -> ListVersion:
        """A list's version by its date (the newest load of that date), or the latest one."""
        versions = self.versions(list_name)
        if not versions:
            known = ", ".join(self.list_names()) or "none loaded yet"
            raise StoreError(f"no list called {list_name!r} in the store (lists: {known})")
        if label is None:
            return versions[-1]
        matching = [v for v in versions if v.version == label]
        if not matching:
            known = ", ".join(v.version for v in versions)
            raise StoreError(f"list {list_name!r} has no version {label!r} (versions: {known})")
        return matching[-1]

    def previous_version(self, version: ListVersion) -> ListVersion | None:
        versions = self.versions(version.list_name)
        index = next(i for i, v in enumerate(versions) if v.id == version.id)
        return versions[index - 1] if index > 0 else None

    def iter_entities(self, version_id: int) -> Iterator[StoredEntity]:
        """Every entity of a version with its provenance, ordered by entity id."""
        cursor = self._db.execute(
            "SELECT b.entity_id, b.schema, b.caption, b.data, v.record_id, v.source"
            " FROM version_entity v JOIN entity_blob b ON b.digest = v.digest"
            " WHERE v.version_id=? ORDER BY v.entity_id",
            (version_id,),
        )
        for entity_id, schema, caption, data, record_id, source in cursor:
            yield StoredEntity(entity_id, schema, caption, json.loads(data), record_id, source)

    def entity_digests(self, version_id: int) -> dict[str, str]:
        rows = self._db.execute(
            "SELECT entity_id, digest FROM version_entity WHERE version_id=?", (version_id,)
        ).fetchall()
        return {entity_id: digest for entity_id, digest in rows}

    def blobs(self, digests: list[str]) -> dict[str, dict[str, Any]]:
        """Entity data for each digest."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT digest, data FROM entity_blob WHERE digest IN ({marks})"  # noqa: S608
            for digest, data in self._db.execute(query, chunk):
                found[digest] = json.loads(data)
        return found

    def rejected_rows(self, version_id: int) -> list[Rejected]:
        rows = self._db.execute(
            select_sql(ListRejectedRow) + " WHERE version_id=? ORDER BY rowid", (version_id,)
        ).fetchall()
        return [
            Rejected(r.file, r.line, r.reason, r.raw)
            for r in (from_row(ListRejectedRow, row) for row in rows)
        ]

    def schema_counts(self, version_id: int) -> dict[str, int]:
        rows = self._db.execute(
            "SELECT b.schema, count(*) FROM version_entity v JOIN entity_blob b"
            " ON b.digest = v.digest WHERE v.version_id=? GROUP BY b.schema ORDER BY b.schema",
            (version_id,),
        ).fetchall()
        return {schema: count for schema, count in rows}


def _version(row: ListVersionRow) -> ListVersion:
    return ListVersion(
        id=row.id,
        list_name=row.list,
        version=row.version,
        version_source=row.version_source,
        format=row.format,
        files=json.loads(row.files),
        content_digest=row.content_digest,
        loaded_at=row.loaded_at,
        entity_count=row.entity_count,
        rejected_count=row.rejected_count,
        warnings=json.loads(row.warnings),
    )
