"""One writer per home, any number of readers.

Every command that changes what a home holds (``ais ingest``, ``detect`` storing its events,
``lists load`` and ``lists update``, ``demo``) first takes the home's writer lock: an
exclusive ``fcntl.flock`` on ``HOME/writer.lock``. The kernel releases a flock when its
holder exits, however it exits, so a held lock always means a live writer and a free lock
means whoever wrote last is gone. That is what makes recovery safe: a dead writer's
leftovers (AIS staging, parts and quarantine files the catalogue does not list) are deleted
only by the next process that holds the lock, never by a reader.

Readers never take the lock: the stores are SQLite in WAL mode (a reader sees the last
committed state, whatever a writer is doing) and Parquet files that are never changed once
the catalogue lists them.

A second writer waits for the lock, saying on stderr who holds it (pid, command, since when;
the holder writes this into the lock file), up to ``Settings.lock_timeout_seconds``, then
gives up with a :class:`StoreError` naming the holder, having written nothing.

Locks are per open file description: a second ``acquire`` in the same process waits like
another process would, so code that already holds the lock passes it on (the stores take
``writer=``) instead of taking it again.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sanctionwatch.errors import StoreError

if TYPE_CHECKING:
    from sanctionwatch.config import Settings

LOCK_FILE = "writer.lock"
DEFAULT_TIMEOUT_S = 600.0
POLL_S = 0.1  # flock has no timeout of its own: try again this often while waiting

Notify = Callable[[str], None]


@dataclass(frozen=True)
class LockHolder:
    """Who holds a home's writer lock, as the holder wrote it into the lock file."""

    pid: int | None
    command: str
    since: str

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        return f"pid {self.pid} ({self.command}, since {self.since})"


class WriterLock:
    """A held writer lock on one home; released by :meth:`release` or leaving ``with``."""

    def __init__(self, home: Path, command: str, fd: int) -> None:
        self.home = home
        self.command = command
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # the holder's details go with it
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def lock_path(home: Path) -> Path:
    return home / LOCK_FILE


def read_holder(home: Path) -> LockHolder:
    """What the holder wrote about itself (unknown if it is still writing it)."""
    try:
        data = json.loads(lock_path(home).read_text(encoding="utf-8"))
        return LockHolder(int(data["pid"]), str(data["command"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return LockHolder(None, "", "")


def try_acquire(home: Path, command: str) -> WriterLock | None:
    """The lock if it is free right now, else None (never waits)."""
    fd = _open_lock_file(home, command)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    _write_holder(fd, command)
    return WriterLock(home, command, fd)


def acquire(
    home: Path, command: str, timeout_s: float = DEFAULT_TIMEOUT_S, notify: Notify | None = None
) -> WriterLock:
    """Take the writer lock of ``home``, waiting up to ``timeout_s`` seconds for the holder.

    ``notify`` gets one message when waiting starts (default: printed to stderr).
    Raises StoreError when the home is read-only or the wait times out.
    """
    lock = try_acquire(home, command)
    if lock is not None:
        return lock
    holder = read_holder(home)
    if timeout_s <= 0:
        raise StoreError(_busy(home, holder, command, timeout_s))
    (notify or _to_stderr)(
        f"waiting for the writer lock on {home} held by {holder.describe()} (up to {timeout_s:g} s)"
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        lock = try_acquire(home, command)
        if lock is not None:
            return lock
    raise StoreError(_busy(home, read_holder(home), command, timeout_s))


@contextmanager
def home_writer(
    settings: Settings, command: str, notify: Notify | None = None
) -> Iterator[WriterLock]:
    """``with home_writer(settings, "ais ingest") as lock:`` the home's writer lock, held
    for the block (waits up to ``settings.lock_timeout_seconds``)."""
    with acquire(settings.home, command, settings.lock_timeout_seconds, notify) as lock:
        yield lock


def _open_lock_file(home: Path, command: str) -> int:
    try:
        return os.open(lock_path(home), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o664)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(
                f"{home} is read-only ({exc.strerror}): '{command}' writes there. "
                "Commands that only read (status, diff, export, screen, track, vessels) work "
                "on a read-only home."
            ) from exc
        if exc.errno == errno.ENOENT:
            raise StoreError(f"{home}: no such directory") from exc
        raise StoreError(f"cannot open the writer lock {lock_path(home)}: {exc}") from exc


def _write_holder(fd: int, command: str) -> None:
    since = datetime.now(UTC).isoformat(timespec="seconds")
    text = json.dumps({"pid": os.getpid(), "command": command, "since": since})
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("utf-8"), 0)
    except OSError:
        pass  # the details are for messages only; the flock is what counts


def _busy(home: Path, holder: LockHolder, command: str, timeout_s: float) -> str:
    waited = f" after waiting {timeout_s:g} s" if timeout_s > 0 else ""
    return (
        f"cannot run '{command}': {home} is being written by {holder.describe()}; gave up"
        f"{waited}. Try again when it has finished (the wait is "
        "SANCTIONWATCH_LOCK_TIMEOUT_SECONDS, or lock_timeout_seconds under [store] in "
        "config.toml)."
    )


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
