"""The tables of the list store (``<home>/lists.sqlite``), declared once.

See ``sanctionwatch.tables``. ``list_version`` has one row per load that changed something;
``entity_blob`` holds each distinct entity content once (keyed by its digest);
``version_entity`` says which contents make up a version, with the list's own record id and
where each came from; ``rejected_row`` keeps what a load could not use, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sanctionwatch.tables import Column, Index, Row, table

LISTS = "lists.sqlite"
ISO_UTC = "ISO 8601, UTC"


@table(
    "list_version",
    "One stored version of one list (a load that changed something).",
    [LISTS],
    primary_key=["id"],
    unique=[("list", "version", "content_digest")],
)
@dataclass(frozen=True)
class ListVersionRow(Row):
    id: Annotated[int, Column("Version number in load order (numbered by SQLite)")]
    list: Annotated[str, Column("The list (un, ofac_sdn, uk_ofsi, ...)")]
    version: Annotated[str, Column("The list's own publication date", unit="ISO 8601 date")]
    version_source: Annotated[
        str, Column("Where the date came from: content | option | file name | file time | download")
    ]
    format: Annotated[str, Column("The format the files were read as")]
    files: Annotated[str, Column("The files read: list of {name, sha256, bytes}", unit="JSON")]
    content_digest: Annotated[
        str,
        Column(
            "SHA-256 over the sorted (entity id, digest) pairs: equal content, equal digest",
            unit="hex",
        ),
    ]
    loaded_at: Annotated[str, Column("When it was loaded", unit=ISO_UTC)]
    entity_count: Annotated[int, Column("Entities in the version", unit="entities")]
    rejected_count: Annotated[int, Column("Records the load could not use", unit="records")]
    warnings: Annotated[str, Column("What the load warned about: list of strings", unit="JSON")]


@table(
    "entity_blob",
    "Each distinct entity content once, keyed by its digest.",
    [LISTS],
    primary_key=["digest"],
)
@dataclass(frozen=True)
class EntityBlobRow(Row):
    digest: Annotated[str, Column("SHA-256 of data", unit="hex")]
    entity_id: Annotated[str, Column("The FtM entity id")]
    schema: Annotated[str, Column("The FtM schema (Person, Vessel, ...)")]
    caption: Annotated[str, Column("The entity's display name")]
    data: Annotated[str, Column("FtM entity, property values sorted", unit="JSON")]


@table(
    "version_entity",
    "Which entity contents make up a version, with their provenance.",
    [LISTS],
    primary_key=["version_id", "entity_id"],
    indexes=[Index("version_entity_record", ("version_id", "record_id"))],
)
@dataclass(frozen=True)
class VersionEntityRow(Row):
    version_id: Annotated[int, Column("The version", references="list_version(id)")]
    entity_id: Annotated[str, Column("The FtM entity id")]
    digest: Annotated[str, Column("Its content", unit="hex", references="entity_blob(digest)")]
    record_id: Annotated[str, Column("The list's own id of the record it came from")]
    source: Annotated[str, Column("The file and line range it came from")]


@table(
    "rejected_row",
    "What a load could not use, with the reason.",
    [LISTS],
)
@dataclass(frozen=True)
class ListRejectedRow(Row):
    version_id: Annotated[int, Column("The version", references="list_version(id)")]
    file: Annotated[str, Column("The file it is in")]
    line: Annotated[int, Column("Its 1-based line number", unit="line")]
    reason: Annotated[str, Column("Why it was rejected")]
    raw: Annotated[str, Column("The text as read")]


LIST_TABLES = (ListVersionRow, EntityBlobRow, VersionEntityRow, ListRejectedRow)
