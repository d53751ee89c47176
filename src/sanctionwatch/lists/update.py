"""``lists update``: download the current official lists and load them.

Each file is fetched with a timeout and retried (with back-off) on network errors, server
errors and truncated bodies. What comes back is checked before anything is loaded: HTTP 200,
not an HTML page (servers answer errors with one), at least a plausible size, the announced
Content-Length, an optional pinned SHA-256, and the format the source must be in. Each source
is then loaded atomically on its own, so one failing publisher does not block the others.
"""

from __future__ import annotations

import hashlib
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

from sanctionwatch import __version__
from sanctionwatch.config import Settings
from sanctionwatch.errors import DownloadError, InputError
from sanctionwatch.lists.loader import LoadOutcome, detect_format, load_lists
from sanctionwatch.lists.store import ListStore

MAX_BYTES = 1 << 30  # no official list comes near 1 GiB; a body that does is not a list
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class SourceFile:
    name: str
    url: str
    min_bytes: int
    sha256: str | None = None


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    format: str
    files: tuple[SourceFile, ...]


@dataclass(frozen=True)
class UpdateResult:
    source: str
    outcomes: list[LoadOutcome]
    error: str | None = None


def load_sources(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Source]:
    """The configured sources: ``sources.toml`` with the user's overrides applied.

    An override may set ``url`` (single-file sources), ``base_url`` (each file's name is
    appended), ``min_bytes`` (every file) and ``sha256`` (single-file sources).
    """
    text = resources.files("sanctionwatch.lists").joinpath("sources.toml").read_text("utf-8")
    table = tomllib.loads(text)
    sources = {}
    for key, entry in table.items():
        files = tuple(SourceFile(**spec) for spec in entry["files"])
        override = dict((overrides or {}).get(key, {}))
        if "base_url" in override:
            base = str(override["base_url"]).rstrip("/") + "/"
            files = tuple(replace(f, url=base + f.name) for f in files)
        if "url" in override:
            if len(files) != 1:
                raise InputError(f"source {key} has several files: override base_url, not url")
            files = (replace(files[0], url=str(override["url"])),)
        if "min_bytes" in override:
            files = tuple(replace(f, min_bytes=int(override["min_bytes"])) for f in files)
        if "sha256" in override and len(files) == 1:
            files = (replace(files[0], sha256=str(override["sha256"]).lower()),)
        sources[key] = Source(key, entry["title"], entry["format"], files)
    return sources


def download(client: httpx.Client, spec: SourceFile, dest: Path, retries: int) -> str | None:
    """Fetch ``spec`` to ``dest`` (written atomically); returns the Last-Modified date, if any.

    Raises :class:`DownloadError` saying what was wrong after the last attempt.
    """
    last_error = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
        try:
            return _download_once(client, spec, dest)
        except _RetryableError as exc:
            last_error = str(exc)
        except httpx.RemoteProtocolError as exc:
            last_error = f"{spec.url}: truncated: the connection closed mid-body ({exc})"
        except httpx.HTTPError as exc:  # timeouts, refused connections, truncated bodies
            last_error = f"{spec.url}: {type(exc).__name__}: {exc}"
    raise DownloadError(f"{last_error} (gave up after {retries + 1} attempts)")


class _RetryableError(Exception):
    pass


def _download_once(client: httpx.Client, spec: SourceFile, dest: Path) -> str | None:
    partial = dest.with_suffix(dest.suffix + ".part")
    try:
        return _fetch(client, spec, partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def _fetch(client: httpx.Client, spec: SourceFile, partial: Path, dest: Path) -> str | None:
    digest = hashlib.sha256()
    received = 0
    with client.stream("GET", spec.url) as response:
        if response.status_code >= 500:
            raise _RetryableError(f"{spec.url}: server error HTTP {response.status_code}")
        if response.status_code != 200:
            raise DownloadError(f"{spec.url}: HTTP {response.status_code}; the list was not served")
        content_type = response.headers.get("content-type", "")
        announced = response.headers.get("content-length")
        with partial.open("wb") as handle:
            for chunk in response.iter_bytes(1 << 20):
                if received == 0 and _looks_like_html(chunk, content_type):
                    raise DownloadError(
                        f"{spec.url}: the server sent an HTML page, not the list "
                        "(an error or login page); nothing was loaded"
                    )
                received += len(chunk)
                if received > MAX_BYTES:
                    raise DownloadError(f"{spec.url}: larger than {MAX_BYTES} bytes; refused")
                digest.update(chunk)
                handle.write(chunk)
        if announced is not None and announced.isdigit() and int(announced) != received:
            raise _RetryableError(
                f"{spec.url}: truncated: {received} of {announced} announced bytes arrived"
            )
        last_modified = response.headers.get("last-modified")
    if received < spec.min_bytes:
        raise DownloadError(
            f"{spec.url}: only {received} bytes, fewer than the {spec.min_bytes} a real copy "
            "of this list has; refused as truncated or an error response"
        )
    if spec.sha256 and digest.hexdigest() != spec.sha256:
        raise DownloadError(f"{spec.url}: SHA-256 {digest.hexdigest()} is not the pinned one")
    partial.replace(dest)
    return _http_date(last_modified)


def _looks_like_html(first_chunk: bytes, content_type: str) -> bool:
    start = first_chunk.lstrip()[:64].lower()
    return "text/html" in content_type.lower() or start.startswith(_HTML_STARTS)


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC).date().isoformat()
    except (TypeError, ValueError):
        return None


def update_lists(
    settings: Settings,
    store: ListStore,
    names: Sequence[str] = (),
    progress: Progress | None = None,
    *,
    force: bool = False,
) -> list[UpdateResult]:
    """Download and load each named source (all when ``names`` is empty); ``force`` as in
    :func:`~sanctionwatch.lists.loader.load_lists`."""
    sources = load_sources(settings.source_overrides)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise InputError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sources)}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results = []
    headers = {"User-Agent": f"sanctionwatch/{__version__} (+list update)"}
    timeout = httpx.Timeout(settings.download_timeout_seconds)
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=True) as client:
        for key in names or list(sources):
            source = sources[key]
            try:
                results.append(
                    UpdateResult(
                        key,
                        _update_source(settings, store, client, source, stamp, progress, force),
                    )
                )
            except (DownloadError, InputError) as exc:
                results.append(UpdateResult(key, [], exc.message))
    return results


def _update_source(
    settings: Settings,
    store: ListStore,
    client: httpx.Client,
    source: Source,
    stamp: str,
    progress: Progress | None,
    force: bool = False,
) -> list[LoadOutcome]:
    folder = settings.downloads_dir / source.key / stamp
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    dates = []
    task = (
        progress.add_task(f"Downloading {source.key}", total=len(source.files))
        if progress
        else None
    )
    for spec in source.files:
        dest = folder / spec.name
        dates.append(download(client, spec, dest, settings.download_retries))
        found = detect_format(dest).name
        if found != source.format:
            raise DownloadError(
                f"{spec.url}: downloaded a file in format {found}, expected {source.format}"
            )
        paths.append(dest)
        if progress and task is not None:
            progress.advance(task)
    published = max((d for d in dates if d), default=datetime.now(UTC).date().isoformat())
    return load_lists(
        store, paths, fallback_version=(published, "download"), progress=progress, force=force
    )
