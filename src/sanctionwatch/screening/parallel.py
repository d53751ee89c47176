"""Screening a batch on every core: rows go in chunks to worker processes forked from this
one, so each inherits the loaded index without copying it; results come back in order."""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, NamedTuple

from sanctionwatch.errors import InputError
from sanctionwatch.safe_text import unicode_problem
from sanctionwatch.screening.batch_io import QueryRow
from sanctionwatch.screening.engine import Screener

log = logging.getLogger(__name__)
CHUNK = 128  # rows per task: large enough to amortise the pipe, small enough to stream


class Screened(NamedTuple):
    """One row's result (a dict, or its JSON line) and whether it is an error."""

    failed: bool
    result: dict[str, Any] | str


class _Job:
    """What a worker needs; set once per worker by the pool initializer (fork: not pickled)."""

    screener: Screener
    threshold: float
    limit: int
    source: str
    encode: bool  # send JSON text back (the writer then only writes), or dicts
    explain: bool  # add the candidates below the threshold, and why


def _init(
    screener: Screener, threshold: float, limit: int, source: str, encode: bool, explain: bool
) -> None:
    _Job.screener, _Job.threshold, _Job.limit = screener, threshold, limit
    _Job.source, _Job.encode, _Job.explain = source, encode, explain


def screen_row(
    screener: Screener,
    row: QueryRow,
    threshold: float,
    limit: int,
    source: str,
    explain: bool = False,
) -> dict[str, Any]:
    """The output record of one input row: its matches, or (with no matches) its error;
    with ``explain``, also the best candidates below the threshold ("suppressed"), each
    with why it is below.

    Whatever goes wrong with one row is that row's error: the batch goes on.
    """
    given_id = row.query.id if row.query else (row.raw or {}).get("id")
    result: dict[str, Any] = {"id": given_id or str(row.line)}  # else the input line
    result["query"] = row.query.to_json() if row.query else (row.raw or {})
    if row.query is None:
        return {**result, "matches": [], "error": row.error}
    try:
        matches, below = screener.screen_explained(row.query, threshold, limit)
        result["matches"] = [m.to_json() for m in matches]
        if explain:
            result["suppressed"] = [m.suppressed_json(threshold) for m in below]
    except InputError as exc:
        return {**result, "matches": [], "error": f"{source}:{row.line}: {exc.message}"}
    except Exception as exc:  # a bug met on one row must not end everyone else's batch
        log.error("%s:%s: screening failed: %r", source, row.line, exc)
        reason = f"internal error ({type(exc).__name__}); please report it"
        return {**result, "matches": [], "error": f"{source}:{row.line}: {reason}"}
    return result


def _screen_chunk(rows: list[QueryRow]) -> list[Screened]:
    job = _Job
    results = [
        screen_row(job.screener, r, job.threshold, job.limit, job.source, job.explain) for r in rows
    ]
    return [_screened(result, _Job.encode) for result in results]


def _screened(result: dict[str, Any], encode: bool) -> Screened:
    return Screened("error" in result, json_line(result) if encode else result)


def json_line(result: dict[str, Any]) -> str:
    """One result as a line of JSON (the contract in docs/screening.md).

    A row echoing a lone surrogate (JSON's ``"\\ud800"`` reads as one) is written with
    ASCII escapes, so that it goes out as it came in rather than failing to encode.
    """
    text = json.dumps(result, ensure_ascii=False)
    if "error" in result and unicode_problem(text):
        text = json.dumps(result)
    return text + "\n"


def _chunks(rows: Iterable[QueryRow]) -> Iterator[list[QueryRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def screen_rows(
    screener: Screener,
    rows: Iterable[QueryRow],
    threshold: float,
    limit: int,
    source: str,
    workers: int,
    encode: bool = False,
    explain: bool = False,
) -> Iterator[Screened]:
    """Results for ``rows`` in input order (as JSON lines when ``encode``), using ``workers``
    processes when more than one. Encoding happens in the workers: measured, a single
    writer that serialises every result is what limits the batch otherwise."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for row in rows:
            yield _screened(screen_row(screener, row, threshold, limit, source, explain), encode)
        return
    context = multiprocessing.get_context("fork")
    setup = (screener, threshold, limit, source, encode, explain)
    with context.Pool(workers, _init, setup) as pool:
        for chunk in pool.imap(_screen_chunk, _chunks(rows)):
            yield from chunk
