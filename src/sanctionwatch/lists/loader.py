"""Load list files into the store: detect each file's format from its content, parse, date the
version, and write everything in one transaction.

Nothing is written unless every named file parsed: a failed load leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rich.progress import Progress

from sanctionwatch.errors import InputError, UnknownFormatError
from sanctionwatch.lists.diff import DiffSummary, diff_versions
from sanctionwatch.lists.formats import registered_formats
from sanctionwatch.lists.model import ListFormat, ParseResult
from sanctionwatch.lists.reading import read_head
from sanctionwatch.lists.store import ListStore, ListVersion, NewVersion

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


@dataclass(frozen=True)
class LoadOutcome:
    """What one load did to one list."""

    version: ListVersion
    created: bool  # False: this version with this content was already stored
    changes: DiffSummary | None  # against the previous version; None for a list's first version


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, with directories replaced by the files they hold (sorted, not recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and not _hidden(p)))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name.lower() in {"readme.md", "provenance.md"}


def detect_format(path: Path) -> ListFormat:
    """A list file's format, decided from its first 64 KiB (so a huge junk file fails fast)."""
    head = read_head(path)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    for list_format in registered_formats():
        if list_format.sniff(head, path):
            return list_format
    supported = "; ".join(f"{f.name} ({f.description})" for f in registered_formats())
    raise UnknownFormatError(
        f"{path}: not a list format sanctionwatch reads. Supported: {supported}"
    )


def group_by_format(paths: Sequence[Path]) -> list[tuple[ListFormat, list[Path]]]:
    """Files grouped by detected format, in the order formats are first seen."""
    groups: dict[str, tuple[ListFormat, list[Path]]] = {}
    for path in paths:
        list_format = detect_format(path)
        groups.setdefault(list_format.name, (list_format, []))[1].append(path)
    return list(groups.values())


def version_date(
    result: ParseResult,
    paths: Sequence[Path],
    given: str | None,
    fallback: tuple[str, str] | None = None,
) -> tuple[str, str]:
    """The version (publication date) of a parsed list and where it came from.

    In order: the date given by the user, the date the list states, ``fallback`` (such as a
    download's Last-Modified date), a date in a file or folder name (``sdn_2024-05-03.csv``),
    the newest file modification time (UTC).
    """
    if given:
        return _check_date(given), "option"
    if result.version:
        return result.version, "content"
    if fallback:
        return fallback
    named = [p for p in paths if p.name in result.files] or list(paths)
    for path in named:
        for text in (path.name, path.parent.name):
            if match := _DATE_IN_NAME.search(text):
                try:
                    return date(*(int(part) for part in match.groups())).isoformat(), "file name"
                except ValueError:
                    continue
    newest = max(p.stat().st_mtime for p in named)
    return datetime.fromtimestamp(newest, UTC).date().isoformat(), "file time"


def _check_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise InputError(f"version {text!r} is not an ISO date (YYYY-MM-DD)") from exc


def file_info(path: Path) -> dict[str, object]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return {"name": path.name, "sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def parse_files(
    paths: Sequence[Path], progress: Progress | None = None
) -> list[tuple[ParseResult, list[Path]]]:
    """Detect and parse every file; returns each parsed list with the paths it came from."""
    files = expand_paths(paths)
    if not files:
        raise InputError("no list files given")
    groups = group_by_format(files)
    task = progress.add_task("Parsing lists", total=len(files)) if progress else None
    parsed: list[tuple[ParseResult, list[Path]]] = []
    for list_format, group in groups:
        if progress and task is not None:
            progress.update(task, description=f"Parsing {', '.join(p.name for p in group)}")
        for result in list_format.parse(group):
            parsed.append((result, [p for p in group if p.name in result.files] or group))
        if progress and task is not None:
            progress.advance(task, len(group))
    return parsed


def load_lists(
    store: ListStore,
    paths: Sequence[Path],
    *,
    version: str | None = None,
    fallback_version: tuple[str, str] | None = None,
    progress: Progress | None = None,
) -> list[LoadOutcome]:
    """Parse ``paths`` and store each list read as a new version (all or nothing).

    ``version`` overrides the publication date; ``fallback_version`` (date, source) is used
    for lists whose content states none.
    """
    parsed = parse_files(paths, progress)
    new_versions = []
    for result, result_paths in parsed:
        version_text, source = version_date(result, result_paths, version, fallback_version)
        new_versions.append(
            NewVersion(
                list_name=result.list_name,
                version=version_text,
                version_source=source,
                format=result.format_name,
                files=[file_info(p) for p in result_paths],
                entities=result.entities,
                rejected=result.rejected,
                warnings=result.warnings,
            )
        )
    task = progress.add_task("Writing to the store", total=None) if progress else None
    written = store.write_versions(new_versions)
    if progress and task is not None:
        progress.update(task, total=1, completed=1)
    outcomes = []
    for stored, created in written:
        previous = store.previous_version(stored)
        changes = diff_versions(store, previous, stored).summary() if previous else None
        outcomes.append(LoadOutcome(stored, created, changes))
    return outcomes
