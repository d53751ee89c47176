"""Reading screening queries from CSV (with a header) or JSON lines, row by row, and writing
results: one bad row becomes an error row in the output, never the end of the batch."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from sanctionwatch.errors import InputError
from sanctionwatch.screening.model import Query

FIELDS = ("id", "name", "schema", "birth_date", "nationality", "imo", "country")


@dataclass(frozen=True)
class QueryRow:
    """A row read from the input: its query, or why it could not be read."""

    line: int
    query: Query | None
    error: str | None = None
    raw: dict[str, Any] | None = None


def read_queries(handle: IO[str], source: str) -> Iterator[QueryRow]:
    """Queries from ``handle``: JSON lines when the first non-blank character is ``{``,
    else CSV with a header row that has a ``name`` column."""
    first = ""
    buffered: list[str] = []
    for line in handle:
        buffered.append(line)
        if line.strip():
            first = line.lstrip()[0]
            break
    stream = _Chain(buffered, handle)
    if first == "{":
        yield from _read_jsonl(stream, source)
    elif first:
        yield from _read_csv(stream, source)


class _Chain(io.TextIOBase):
    """The lines already read, then the rest of the handle."""

    def __init__(self, head: list[str], rest: IO[str]) -> None:
        self._head = head
        self._rest = rest

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        yield from self._head
        yield from self._rest


def _read_jsonl(lines: Iterator[str] | _Chain, source: str) -> Iterator[QueryRow]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield QueryRow(number, None, f"{source}:{number}: not JSON ({exc.msg})")
            continue
        if not isinstance(data, dict):
            yield QueryRow(number, None, f"{source}:{number}: a JSON object per line is needed")
            continue
        yield _row(number, data, source)


def _read_csv(lines: Iterator[str] | _Chain, source: str) -> Iterator[QueryRow]:
    reader = csv.DictReader(iter(lines))
    if reader.fieldnames is None or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InputError(
            f"{source}: the CSV header needs a 'name' column (got {reader.fieldnames})"
        )
    number = 1
    for record in reader:
        number = reader.line_num
        if None in record:  # more cells than the header names
            yield QueryRow(number, None, f"{source}:{number}: more columns than the header")
            continue
        data = {k.strip().lower(): v for k, v in record.items() if k is not None}
        yield _row(number, data, source)


def _row(number: int, data: dict[str, Any], source: str) -> QueryRow:
    values = {key: _text(data.get(key)) for key in FIELDS}
    name = values["name"]
    if not name:
        return QueryRow(number, None, f"{source}:{number}: empty name", data)
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
