"""Load list files into the store: detect each file's format from its content, parse, date the
version, and write in one transaction.

Nothing is written unless every file of a load parsed: a failed load leaves the store as it
was. Parsing is CPU-bound (FollowTheMoney cleans every value), so independent groups of files
are parsed in parallel worker processes; the single writer then stores them in order.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rich.progress import Progress

from sanctionwatch.errors import InputError, ListShrinkError, UnknownFormatError
from sanctionwatch.lists.diff import DiffSummary, count_changes
from sanctionwatch.lists.formats import registered_formats
from sanctionwatch.lists.model import PARTY_SCHEMATA, ListFormat, ParseResult, warm_up
from sanctionwatch.lists.reading import read_head
from sanctionwatch.lists.store import ListStore, ListVersion, NewVersion, prepare_entity

# A new version may remove at most this share of the previous version's entities without
# --force (measured: UN 2018 -> 2026, eight years apart, removed 21%).
MAX_REMOVED_SHARE = 0.5
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


@dataclass(frozen=True)
class LoadOutcome:
    """What one load did to one list."""

    version: ListVersion
    created: bool  # False: this version with this content was already stored
    changes: DiffSummary | None  # against the previous version; None for a list's first version


@dataclass(frozen=True)
class _Task:
    """One format group of one load: parsed in a worker, turned into new versions."""

    batch: int
    format_name: str
    paths: tuple[Path, ...]
    version: str | None
    fallback_version: tuple[str, str] | None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, with directories replaced by the files they hold (sorted, not recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and not _hidden(p)))
        elif path.is_file():
            files.append(path)
        elif path.exists():  # a device, FIFO or socket: endless or blocking, never a list
            raise InputError(f"{path}: not a regular file (only files and folders are loaded)")
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
        return check_date(given), "option"
    if result.version:
        return result.version, "content"
    if fallback:
        return fallback
    for path in paths:
        for text in (path.name, path.parent.name):
            if match := _DATE_IN_NAME.search(text):
                try:
                    return date(*(int(part) for part in match.groups())).isoformat(), "file name"
                except ValueError:
                    continue
    newest = max(p.stat().st_mtime for p in paths)
    return datetime.fromtimestamp(newest, UTC).date().isoformat(), "file time"


def check_date(text: str) -> str:
    """``text`` as an ISO date, or an InputError."""
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


def _run_task(task: _Task) -> list[NewVersion]:
    """Parse one format group and prepare its versions for the store (runs in a worker)."""
    # Parsing allocates millions of small objects and frees almost none until the end, so
    # the cyclic garbage collector would rescan a growing heap again and again for nothing
    # (measured: a fifth of the OFAC parse time). Reference counting still frees the rest.
    gc.disable()
    try:
        return _parse_and_prepare(task)
    finally:
        gc.enable()


def _parse_and_prepare(task: _Task) -> list[NewVersion]:
    list_format = next(f for f in registered_formats() if f.name == task.format_name)
    new_versions = []
    for result in list_format.parse(list(task.paths)):
        paths = [p for p in task.paths if p.name in result.files] or list(task.paths)
        version_text, source = version_date(result, paths, task.version, task.fallback_version)
        new_versions.append(
            NewVersion(
                list_name=result.list_name,
                version=version_text,
                version_source=source,
                format=result.format_name,
                files=[file_info(p) for p in paths],
                entities=[prepare_entity(item) for item in result.entities],
                rejected=result.rejected,
                warnings=result.warnings,
            )
        )
    return new_versions


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies (say, by kill -9 mid-load), so no
    orphan goes on parsing for nobody. Elsewhere the worker exits when its pipe breaks."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def default_workers() -> int:
    """Parser processes to use: the CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_tasks(
    tasks: list[_Task], workers: int, progress: Progress | None
) -> tuple[list[Future[list[NewVersion]]], ProcessPoolExecutor | None]:
    """Start every task; each future gives that task's new versions.

    With one worker (or one task, or no ``fork``) tasks run here, one after the other.
    Otherwise they run in worker processes.
    """
    bar = progress.add_task("Parsing lists", total=len(tasks)) if progress else None

    def advance(_future: object = None) -> None:
        if progress and bar is not None:
            progress.advance(bar)

    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(tasks) < 2 or not can_fork:
        futures: list[Future[list[NewVersion]]] = []
        for task in tasks:
            future: Future[list[NewVersion]] = Future()
            try:
                future.set_result(_run_task(task))
            except BaseException as exc:  # handed to the caller by future.result()
                future.set_exception(exc)
            advance()
            futures.append(future)
        return futures, None
    # Fork after warming FollowTheMoney up, so that each worker inherits its loaded tables
    # instead of building them again (a second or more each).
    warm_up()
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent,
    )
    # Submitted in batch order, which is the order they are written in: the writer can then
    # store early batches while the workers parse later ones.
    futures = [pool.submit(_run_task, task) for task in tasks]
    for future in futures:
        future.add_done_callback(advance)
    return futures, pool


def _plan(
    paths: Sequence[Path], batch: int, version: str | None, fallback: tuple[str, str] | None
) -> list[_Task]:
    files = expand_paths(paths)
    if not files:
        raise InputError("no list files given")
    if version:
        check_date(version)
    return [
        _Task(batch, list_format.name, tuple(group), version, fallback)
        for list_format, group in group_by_format(files)
    ]


def load_batches(
    store: ListStore,
    batches: Sequence[Sequence[Path]],
    *,
    version: str | None = None,
    fallback_version: tuple[str, str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    force: bool = False,
) -> list[list[LoadOutcome]]:
    """Load several batches of files, in order, as if each were loaded by its own call to
    :func:`load_lists` (each batch atomic: all of it or none), but parsed in parallel.

    ``version`` overrides the publication date; ``fallback_version`` (date, source) is used
    for lists whose content states none; ``force`` loads a version that removes more than
    half of the previous one (see :func:`check_new_version`). Returns each batch's outcomes.
    """
    tasks = [
        task
        for index, paths in enumerate(batches)
        for task in _plan(paths, index, version, fallback_version)
    ]
    futures, pool = _start_tasks(tasks, workers or default_workers(), progress)
    try:
        # Batches are written in order, each as soon as it has parsed, while the workers go
        # on parsing later ones. A batch that fails is not written and stops the call, as if
        # each batch had been loaded by its own call.
        return _write_batches(store, tasks, futures, len(batches), force)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def check_new_version(store: ListStore, new: NewVersion, force: bool) -> None:
    """Refuse a version that is more likely a broken file than a real publication.

    A version with no party (no person, organisation, vessel or aircraft) is refused: it
    would make every entry of the list "removed" and stop every match against it. A version
    removing more than :data:`MAX_REMOVED_SHARE` of the entities of the version before it (by
    date) is refused unless ``force``: lists grow and change, they do not halve, but a
    truncated download or a partial export does.
    """
    files = ", ".join(str(f["name"]) for f in new.files)
    if not any(entity.schema in PARTY_SCHEMATA for entity in new.entities):
        raise ListShrinkError(
            f"{new.list_name} {new.version}: no usable entity in {files} "
            f"({len(new.entities)} entities, none a listed party; {len(new.rejected)} rows "
            "rejected); refused, nothing was loaded"
        )
    earlier = [v for v in store.versions(new.list_name) if v.version <= new.version]
    if force or not earlier:
        return
    previous = earlier[-1]
    kept = {entity.entity_id for entity in new.entities}
    before = store.entity_digests(previous.id)
    removed = sum(1 for entity_id in before if entity_id not in kept)
    if removed > MAX_REMOVED_SHARE * len(before):
        raise ListShrinkError(
            f"{new.list_name} {new.version} ({files}) would remove {removed} of the "
            f"{len(before)} entities of the previous version ({previous.version}), more than "
            "half: real lists do not shrink so much, truncated or partial files do. Nothing "
            "was loaded; if the list really did shrink, load it again with --force"
        )


def _write_batches(
    store: ListStore,
    tasks: list[_Task],
    futures: list[Future[list[NewVersion]]],
    batch_count: int,
    force: bool,
) -> list[list[LoadOutcome]]:
    outcomes: list[list[LoadOutcome]] = []
    for index in range(batch_count):
        new_versions = [
            version
            for task, future in zip(tasks, futures, strict=True)
            if task.batch == index
            for version in future.result()
        ]
        for new in new_versions:
            check_new_version(store, new, force)
        written = store.write_versions(new_versions)
        batch_outcomes = []
        for stored, created in written:
            previous = store.previous_version(stored)
            changes = count_changes(store, previous, stored) if previous else None
            batch_outcomes.append(LoadOutcome(stored, created, changes))
        outcomes.append(batch_outcomes)
    return outcomes


def load_lists(
    store: ListStore,
    paths: Sequence[Path],
    *,
    version: str | None = None,
    fallback_version: tuple[str, str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    force: bool = False,
) -> list[LoadOutcome]:
    """Parse ``paths`` and store each list read as a new version (all or nothing)."""
    [outcomes] = load_batches(
        store,
        [paths],
        version=version,
        fallback_version=fallback_version,
        progress=progress,
        workers=workers,
        force=force,
    )
    return outcomes
