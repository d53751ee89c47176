"""Batch screening from the browser: an uploaded CSV screened in a background thread, with
progress the page polls, and the result as the CSV ``sanctionwatch screen --format csv``
writes (same reader, same screening, same spreadsheet-safe writer: ``screening/output.py``).

The upload is checked before a job starts, so that a file that cannot be read is refused
with the reason at once: it must be UTF-8 (the line of the first byte that is not is
named; the command line replaces such bytes, but a browser user can re-save the file),
have a header with a ``name`` column, and hold at least one row. Rows that cannot be
screened (an empty or over-long name, a bad birth date ...) do not stop the batch: each is
an ``error`` row in the result, counted and listed on the page with its line and reason.

Jobs live in the app's memory (``app.state``), not in a store: a batch is a tool for the
person who ran it, and its result is theirs to download. Only its owner sees a job. The
registry is bounded: at most :data:`MAX_RUNNING` jobs screen at once (screening is CPU:
the server's other users must not wait behind a queue of batches), and at most
:data:`MAX_KEPT` are kept, each for an hour at most (results are held in memory), the
oldest finished ones forgotten first.
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from rich.progress import Progress

from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.errors import InputError
from sanctionwatch.screening.batch_io import read_queries
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.output import write_results
from sanctionwatch.web.limits import MAX_BODY_BYTES, MULTIPART_OVERHEAD

log = logging.getLogger(__name__)
# The body limit of every route (web/limits.py) less the multipart framing: a file this size
# still fits in one request (about 20,000 names of a typical CSV).
MAX_UPLOAD_BYTES = MAX_BODY_BYTES - MULTIPART_OVERHEAD
MAX_RUNNING = 2
MAX_KEPT = 20
KEPT_FOR_S = 3600.0  # a finished job (and its result) is forgotten an hour after it started
REJECTED_SHOWN = 100  # rejected rows listed on the page (all are in the result CSV)


@dataclass
class BatchJob:
    """One uploaded batch: its progress while it runs, then its result."""

    id: str
    owner: str
    filename: str
    total: int  # rows to screen (read from the file before the job started)
    threshold: float
    created: float = field(default_factory=time.monotonic)
    state: str = "running"  # running | done | failed
    message: str = ""
    result: bytes = b""
    matched: int = 0  # rows with at least one match
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, reason)
    rejected_count: int = 0
    progress: Progress = field(default_factory=lambda: Progress(disable=True))
    thread: threading.Thread | None = None

    @property
    def done(self) -> int:
        """Rows screened so far."""
        if self.state != "running":
            return self.total
        tasks = self.progress.tasks
        return min(self.total, int(tasks[0].completed)) if tasks else 0

    @property
    def finished(self) -> bool:
        return self.state != "running"


@dataclass(frozen=True)
class Upload:
    """An uploaded file, read and checked: its text and how many rows it holds."""

    filename: str
    text: str
    rows: int


def read_upload(filename: str, data: bytes) -> Upload:
    """``data`` as the text of a batch, or an InputError saying precisely what is wrong."""
    name = filename or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{name}: {len(data):,} bytes is too big for one batch (at most "
            f"{MAX_UPLOAD_BYTES:,} bytes); split it, or use 'sanctionwatch screen'"
        )
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a CSV with a 'name' column")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8 (CSV UTF-8 in a spreadsheet) and upload it again"
        ) from exc
    rows = sum(1 for _ in read_queries(io.StringIO(text, newline=""), name))
    if rows == 0:
        raise InputError(f"{name}: the file has a header but no rows to screen")
    return Upload(name, text, rows)


class BatchJobs:
    """The jobs of one app (see the module docstring)."""

    def __init__(self) -> None:
        self._jobs: dict[str, BatchJob] = {}
        self._lock = threading.Lock()

    def start(
        self,
        screener: Screener,
        upload: Upload,
        owner: str,
        threshold: float,
        limit: int,
        explain: bool,
    ) -> BatchJob:
        """A new job for ``owner``, screening ``upload`` in a thread of its own."""
        with self._lock:
            running = sum(not job.finished for job in self._jobs.values())
            if running >= MAX_RUNNING:
                raise Conflict(
                    f"{running} batches are being screened already; try again when one is done"
                )
            job = BatchJob(
                secrets.token_urlsafe(12), owner, upload.filename, upload.rows, threshold
            )
            self._register(job)
        job.thread = threading.Thread(
            target=_run,
            args=(job, screener, upload, limit, explain),
            name=f"batch-{job.id}",
            daemon=True,
        )
        job.thread.start()
        return job

    def register(self, job: BatchJob) -> None:
        """Keep ``job`` (started elsewhere), forgetting old ones as :meth:`start` does."""
        with self._lock:
            self._register(job)

    def _register(self, job: BatchJob) -> None:
        self._jobs[job.id] = job
        self._forget_old()

    def get(self, job_id: str, owner: str) -> BatchJob:
        """``owner``'s job ``job_id``; NotFound for another user's job too (not theirs to know)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"no batch {job_id[:40]!r} of yours (batches are kept in memory)")
        return job

    def _forget_old(self) -> None:
        """Drop the finished jobs started over :data:`KEPT_FOR_S` ago, then the oldest
        finished ones beyond :data:`MAX_KEPT` (the caller holds the lock)."""
        finished = sorted(
            (job for job in self._jobs.values() if job.finished), key=lambda job: job.created
        )
        expired = time.monotonic() - KEPT_FOR_S
        for job in [j for j in finished if j.created < expired]:
            del self._jobs[job.id]
        finished = [j for j in finished if j.id in self._jobs]
        for job in finished[: max(0, len(self._jobs) - MAX_KEPT)]:
            del self._jobs[job.id]


def _run(job: BatchJob, screener: Screener, upload: Upload, limit: int, explain: bool) -> None:
    out = io.StringIO(newline="")
    try:
        counts = write_results(
            screener,
            io.StringIO(upload.text, newline=""),
            upload.filename,
            "csv",
            job.threshold,
            limit,
            out,
            job.progress,
            1,
            explain,
        )
    except Exception as exc:  # the job reports it; the server goes on
        log.exception("batch %s failed", job.id)
        reason = (
            exc.message if isinstance(exc, InputError) else f"internal error ({type(exc).__name__})"
        )
        job.message, job.state = reason, "failed"
        return
    text = out.getvalue()
    _summarise(job, text)
    job.rejected_count = counts.errors
    # With a BOM, spreadsheets read the names (Hangul, Cyrillic ...) as UTF-8.
    job.result = text.encode("utf-8-sig")
    job.state = "done"


def _summarise(job: BatchJob, text: str) -> None:
    """Rows with a match, and the rejected rows with their reasons, from the result CSV."""
    matched: set[str] = set()
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row.get("error"):
            if len(job.rejected) < REJECTED_SHOWN:
                job.rejected.append((row["id"] or "", row["query_name"] or "", row["error"]))
        elif row.get("rank") not in (None, "", "0"):
            matched.add(row["id"] or "")
    job.matched = len(matched)


def jobs_of(state: Any) -> BatchJobs:
    """The app's job registry, made on first use (``state``: ``app.state``)."""
    jobs = getattr(state, "batch_jobs", None)
    if jobs is None:
        with _REGISTRY_LOCK:
            jobs = getattr(state, "batch_jobs", None)
            if jobs is None:
                jobs = state.batch_jobs = BatchJobs()
    assert isinstance(jobs, BatchJobs)
    return jobs


_REGISTRY_LOCK = threading.Lock()
