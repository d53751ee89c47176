"""The inbox of ``sanctionwatch run --inbox DIR``: every file dropped there is ingested once.

Each regular file directly in the folder (not hidden, not ending ``.part`` or ``.tmp``:
write a file under such a name and rename it when complete) is read as AIS (NMEA, DMA or
MarineCadastre CSV; gzip and zip too) or, if it is none of those, as a sanctions list in a
format ``lists load`` reads. Then it is moved:

* to ``done/`` once stored (or once found already stored: same SHA-256 as an ingest, or a
  list version already loaded with this content);
* to ``rejected/`` when it cannot be used, with ``<name>.reason.txt`` beside it saying why
  (an unknown format, a truncated archive, a list that would empty the previous version).

A file is moved only after what it added is committed, so a run killed at any point
leaves each file either in the inbox (it is tried again, and found already stored if it
was) or moved with its data stored: nothing lost, nothing stored twice. A name already
taken in ``done/`` or ``rejected/`` gets a number (``name.1``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sanctionwatch.ais.ingest import ingest_file, sources
from sanctionwatch.ais.input_limits import IngestLimits
from sanctionwatch.ais.store import open_store as open_ais_store
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError, UnknownFormatError
from sanctionwatch.hashing import file_sha256
from sanctionwatch.home_lock import WriterLock
from sanctionwatch.lists.loader import detect_format as list_format
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore

Status = Literal["ingested", "loaded", "already stored", "rejected"]
SKIPPED_SUFFIXES = (".part", ".tmp")


@dataclass(frozen=True)
class InboxOutcome:
    file: str
    status: Status
    detail: str  # what was stored, or why the file was rejected
    moved_to: Path


def waiting_files(inbox: Path) -> list[Path]:
    """The files to take, in name order."""
    if not inbox.is_dir():
        raise InputError(f"{inbox}: the inbox must be a folder")
    return sorted(
        path
        for path in inbox.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(SKIPPED_SUFFIXES)
    )


def process_inbox(settings: Settings, lock: WriterLock, inbox: Path) -> list[InboxOutcome]:
    """Ingest or load each waiting file and move it (see the module docstring)."""
    limits = IngestLimits.from_mapping(settings.ais_limits)
    outcomes = []
    for path in waiting_files(inbox):
        status, detail = _take(settings, lock, path, limits)
        folder = inbox / ("rejected" if status == "rejected" else "done")
        folder.mkdir(exist_ok=True)
        target = _free_name(folder / path.name)
        if status == "rejected":
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            reason = target.with_name(target.name + ".reason.txt")
            reason.write_text(f"{stamp} {path.name}: {detail}\n", encoding="utf-8")
        os.replace(path, target)
        outcomes.append(InboxOutcome(path.name, status, detail, target))
    return outcomes


def _take(
    settings: Settings, lock: WriterLock, path: Path, limits: IngestLimits
) -> tuple[Status, str]:
    try:
        with open_ais_store(settings.home, writer=lock) as store:
            if file_sha256(path) in {row.sha256 for row in store.ingests()}:
                return "already stored", "the same bytes were ingested before"
            try:
                todo = sources([path])
                counts = [ingest_file(store, source, limits=limits) for source in todo]
            except UnknownFormatError as not_ais:
                return _load_list(settings, lock, path, not_ais)
        accepted = sum(c.accepted for c in counts)
        rejected = sum(c.rejected for c in counts)
        quarantined = ", ".join(c.quarantine for c in counts if c.quarantine)
        kept = f" (kept with their reasons in {quarantined})" if quarantined else ""
        return "ingested", f"{accepted:,} positions stored, {rejected:,} lines rejected{kept}"
    except InputError as exc:
        return "rejected", str(exc)


def _load_list(
    settings: Settings, lock: WriterLock, path: Path, not_ais: UnknownFormatError
) -> tuple[Status, str]:
    try:
        list_format(path)
    except UnknownFormatError:
        return "rejected", f"neither AIS nor a sanctions list: {not_ais}"
    with ListStore(settings.store_path, writer=lock) as store:
        outcomes = load_lists(store, [path])
    if not any(outcome.created for outcome in outcomes):
        return "already stored", "this list version was loaded before with this content"
    return "loaded", "; ".join(
        f"{o.version.list_name} {o.version.version}: {o.version.entity_count} entities"
        for o in outcomes
    )


def _free_name(target: Path) -> Path:
    number = 0
    candidate = target
    while candidate.exists() or candidate.with_name(candidate.name + ".reason.txt").exists():
        number += 1
        candidate = target.with_name(f"{target.name}.{number}")
    return candidate
