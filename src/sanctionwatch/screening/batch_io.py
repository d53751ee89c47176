"""Reading screening queries from CSV (with a header) or JSON lines, row by row, and writing
results: one bad row becomes an error row in the output, never the end of the batch.

Input is bounded: only a regular file or standard input is read (a link to ``/dev/zero`` or
a FIFO would never end), and no line is held longer than :data:`MAX_LINE_CHARS`; a longer
line is read past in pieces and becomes that row's error.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from sanctionwatch.errors import InputError
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.names import MAX_NAME_CHARS

# A row of seven short fields is well under 1 KiB; 64 Ki characters leaves room for any real
# one (long addresses, many aliases in a name column) and bounds what a row can cost.
MAX_LINE_CHARS = 65_536
FIELDS = ("id", "name", "schema", "birth_date", "nationality", "imo", "country")


@dataclass(frozen=True)
class QueryRow:
    """A row read from the input: its query, or why it could not be read."""

    line: int
    query: Query | None
    error: str | None = None
    raw: dict[str, Any] | None = None


def open_queries(path: Path) -> IO[str]:
    """``path`` opened for :func:`read_queries` if it is a regular file (after links), else an
    InputError. Opened without blocking, so that a FIFO is refused rather than waited on."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise InputError(
            f"{path}: not a regular file (a device, FIFO or directory); give a file, "
            "or pipe the data to standard input with '-'"
        )
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return open(descriptor, encoding="utf-8-sig", errors="replace", newline="")


class _Lines:
    """The lines of a text handle, each at most ``limit`` characters long.

    A longer line is read past in pieces (memory stays bounded) and given as a bare line
    end; its number goes to ``too_long``. ``number`` is the last line handed out (1-based).
    """

    def __init__(self, handle: IO[str], limit: int = MAX_LINE_CHARS) -> None:
        self._handle = handle
        self._limit = limit
        self._pushed: list[str | None] = []
        self.number = 0
        self.too_long: list[int] = []

    def _read(self) -> str | None:
        """The next line, None for an over-long one; StopIteration at the end."""
        if self._pushed:
            return self._pushed.pop()
        line = self._handle.readline(self._limit + 1)
        if not line:
            raise StopIteration
        if len(line) <= self._limit or line[-1] in "\r\n":
            return line
        while piece := self._handle.readline(self._limit):
            if piece[-1] in "\r\n":
                break
        return None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._read()
        self.number += 1
        if line is None:
            self.too_long.append(self.number)
            return "\n"
        return line

    def first_character(self, source: str) -> str:
        """The first non-blank character of the input ("" if there is none), left unread."""
        seen: list[str | None] = []
        first = ""
        try:
            while not first:
                line = self._read()
                seen.append(line)
                if line is None:
                    raise InputError(
                        f"{source}:{len(seen)}: the first line is longer than "
                        f"{self._limit} characters; not a CSV header or a JSON line"
                    )
                first = line.lstrip()[:1]
        except StopIteration:
            pass
        self._pushed.extend(reversed(seen))
        return first

    def was_too_long(self, first: int, last: int) -> int | None:
        """The first over-long line from ``first`` to ``last``, forgetting those up to ``last``."""
        found = next((n for n in self.too_long if first <= n <= last), None)
        self.too_long = [n for n in self.too_long if n > last]
        return found


def read_queries(handle: IO[str], source: str) -> Iterator[QueryRow]:
    """Queries from ``handle``: JSON lines when the first non-blank character is ``{``,
    else CSV with a header row that has a ``name`` column."""
    lines = _Lines(handle)
    first = lines.first_character(source)
    if first == "{":
        yield from _read_jsonl(lines, source)
    elif first:
        yield from _read_csv(lines, source)


def _too_long(source: str, number: int) -> str:
    return f"{source}:{number}: line longer than {MAX_LINE_CHARS} characters; not read"


def _read_jsonl(lines: _Lines, source: str) -> Iterator[QueryRow]:
    for line in lines:
        number = lines.number
        if lines.was_too_long(number, number):
            yield QueryRow(number, None, _too_long(source, number))
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield QueryRow(number, None, f"{source}:{number}: not JSON ({exc.msg})")
            continue
        except RecursionError:
            yield QueryRow(number, None, f"{source}:{number}: JSON nested too deeply")
            continue
        if not isinstance(data, dict):
            yield QueryRow(number, None, f"{source}:{number}: a JSON object per line is needed")
            continue
        yield _row(number, data, source)


def _read_csv(lines: _Lines, source: str) -> Iterator[QueryRow]:
    reader = csv.reader(lines)
    header: list[str] | None = None
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if header is None:
                raise InputError(f"{source}:{start}: malformed CSV header ({exc})") from exc
            lines.was_too_long(start, lines.number)
            yield QueryRow(start, None, f"{source}:{start}: malformed CSV ({exc})")
            continue
        if long_line := lines.was_too_long(start, lines.number):
            if header is None:
                raise InputError(_too_long(source, long_line) + " (the header)")
            yield QueryRow(start, None, _too_long(source, long_line))
            continue
        if not cells:  # a blank line
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            if "name" not in header:
                raise InputError(f"{source}: the CSV header needs a 'name' column (got {cells})")
            continue
        if len(cells) > len(header):
            yield QueryRow(start, None, f"{source}:{start}: more columns than the header")
            continue
        yield _row(start, dict(zip(header, cells, strict=False)), source)


def _row(number: int, data: dict[str, Any], source: str) -> QueryRow:
    values = {key: _text(data.get(key)) for key in FIELDS}
    name = values["name"]
    if not name:
        return QueryRow(number, None, f"{source}:{number}: empty name", data)
    if len(name) > MAX_NAME_CHARS:
        return QueryRow(
            number,
            None,
            f"{source}:{number}: name of {len(name)} characters is too long "
            f"(at most {MAX_NAME_CHARS})",
            data,
        )
    birth = values["birth_date"]
    if birth and not _partial_iso_date(birth):
        return QueryRow(
            number, None, f"{source}:{number}: birth_date {birth!r} is not an ISO date", data
        )
    query = Query(
        name=name,
        id=values["id"] or str(number),
        schema=values["schema"],
        birth_date=birth,
        nationality=values["nationality"],
        country=values["country"],
        imo=values["imo"],
    )
    return QueryRow(number, query, None, data)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _partial_iso_date(text: str) -> bool:
    """1984, 1984-01 or 1984-01-31."""
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return 1000 <= int(parts[0]) <= 2999
        if len(parts) == 2:
            return 1000 <= int(parts[0]) <= 2999 and 1 <= int(parts[1]) <= 12
        date.fromisoformat(text)
        return True
    except ValueError:
        return False
