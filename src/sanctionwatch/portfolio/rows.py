"""Reading a portfolio file: the screening input format (CSV with a ``name`` column, or JSON
lines; read by ``screening.batch_io``), each row a counterparty or a rejected row with its
line, reason and text.

A row is rejected when ``screen`` could not screen it (empty or over-long name, a birth date
that is not ISO, an unknown schema, a name with no letters or digits, broken CSV or JSON),
so that everything stored can be screened. Rejected rows keep their text: the file is read a
second time for the lines of rejected rows only (their number is small), each cut to
:data:`EXCERPT_CHARS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sanctionwatch.errors import InputError
from sanctionwatch.portfolio.model import Counterparty, RejectedRow
from sanctionwatch.screening.batch_io import QueryRow, open_queries, read_queries
from sanctionwatch.screening.engine import check_query

EXCERPT_CHARS = 500
VALUE_FIELDS = ("name", "schema", "birth_date", "nationality", "imo", "country")


def content_digest(values: dict[str, str | None]) -> str:
    """SHA-256 of a counterparty's screening values (key order and missing values fixed)."""
    text = json.dumps([values.get(key) for key in VALUE_FIELDS], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def derived_id(digest: str) -> str:
    """The id of a row without one: the same values always give the same id."""
    return "row-" + digest[:20]


def read_counterparties(
    handle: IO[str], source: str
) -> Iterator[tuple[Counterparty, str] | RejectedRow]:
    """Each row of ``handle`` as (counterparty, its content digest) or as a rejected row
    (its ``raw`` still empty: see :func:`fill_excerpts`). ``source`` names the file in
    reasons and is stored as the counterparty's source."""
    for row in read_queries(handle, source):
        yield _counterparty(row, source)


def _counterparty(row: QueryRow, source: str) -> tuple[Counterparty, str] | RejectedRow:
    prefix = f"{source}:{row.line}: "
    if row.query is None:
        reason = row.error or "not read"
        return RejectedRow(row.line, reason.removeprefix(prefix), "")
    query = row.query
    try:
        check_query(query)
    except InputError as exc:
        return RejectedRow(row.line, exc.message, "")
    values = {key: getattr(query, key) for key in VALUE_FIELDS}
    digest = content_digest(values)
    given = _given_id((row.raw or {}).get("id"))
    counterparty = Counterparty(
        id=given or derived_id(digest),
        name=query.name,
        schema=query.schema,
        birth_date=query.birth_date,
        nationality=query.nationality,
        imo=query.imo,
        country=query.country,
        source=source,
        line=row.line,
    )
    return counterparty, digest


def _given_id(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def fill_excerpts(path: Path, rejected: list[RejectedRow]) -> list[RejectedRow]:
    """``rejected`` with the text of each one's line read from ``path`` (bounded: at most
    :data:`EXCERPT_CHARS` of a line is kept, the rest read past in pieces)."""
    wanted = {row.line for row in rejected}
    if not wanted:
        return rejected
    texts: dict[int, str] = {}
    last = max(wanted)
    with open_queries(path) as handle:
        number = 0
        while number < last:
            piece = handle.readline(EXCERPT_CHARS)
            if not piece:
                break
            number += 1
            text = piece
            while piece and piece[-1] not in "\r\n":  # the rest of a long line
                piece = handle.readline(EXCERPT_CHARS)
            if number in wanted:
                texts[number] = text.rstrip("\r\n")
    return [RejectedRow(r.line, r.reason, texts.get(r.line, "")) for r in rejected]
