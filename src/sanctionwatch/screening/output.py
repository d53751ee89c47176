"""Writing screening results as JSON lines (the contract in docs/screening.md), CSV or a table.

Only the output is made safe, never the matching: CSV cells cannot start a spreadsheet
formula, the table shows control characters as escapes (see :mod:`sanctionwatch.safe_text`);
JSON lines are as ``json.dumps`` writes them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import IO, Any

from rich.progress import Progress
from rich.table import Table

from sanctionwatch.safe_text import (
    SafeConsole,
    spreadsheet_safe_row,
    terminal_safe,
    unicode_problem,
)
from sanctionwatch.screening.batch_io import read_queries
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.parallel import screen_rows

CSV_FIELDS = (
    "id",
    "query_name",
    "rank",
    "score",
    "entity_id",
    "caption",
    "schema",
    "lists",
    "records",
    "matched_name",
    "error",
)


@dataclass(frozen=True)
class BatchCounts:
    """Rows read from the input, and how many of them are errors in the output."""

    rows: int
    errors: int


def write_results(
    screener: Screener,
    handle: IO[str],
    source: str,
    fmt: str,
    threshold: float,
    limit: int,
    out: IO[str],
    progress: Progress | None,
    workers: int = 1,
    explain: bool = False,
) -> BatchCounts:
    """Screen every row of ``handle`` and write the results to ``out``; a row that cannot
    be screened is written with its error, and counted. With ``explain``, the best
    candidates below the threshold follow each row's matches, with why they are below
    (JSON: ``suppressed``; CSV: rows with ``rank`` empty and a ``why_below`` column; table:
    rows marked "below")."""
    task = progress.add_task(f"Screening {source}", total=None) if progress else None
    table_rows: list[dict[str, Any]] = []
    fields = (*CSV_FIELDS, "why_below") if explain else CSV_FIELDS
    writer = csv.DictWriter(out, fields) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    count = errors = 0
    rows = read_queries(handle, source)
    encode = fmt == "jsonl"
    screened = screen_rows(screener, rows, threshold, limit, source, workers, encode, explain)
    for failed, result in screened:
        count += 1
        errors += failed
        if isinstance(result, str):
            out.write(result)
        elif writer:
            writer.writerows(spreadsheet_safe_row(row) for row in _csv_rows(result))
        else:
            table_rows.append(result)
        if progress and task is not None:
            progress.advance(task)
    if fmt == "table":
        SafeConsole(file=out, width=160).print(_table(table_rows))
    return BatchCounts(count, errors)


def _csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    base = {"id": _cell(result["id"]), "query_name": _cell(result["query"].get("name"))}
    if "error" in result:
        return [{**base, "error": result["error"]}]
    rows = [
        {**base, "rank": rank, **_csv_match(match)}
        for rank, match in enumerate(result["matches"], start=1)
    ] or [{**base, "rank": 0}]
    rows.extend(
        {**base, **_csv_match(match), "why_below": match["why_below"]}
        for match in result.get("suppressed", [])
    )
    return rows


def _csv_match(match: dict[str, Any]) -> dict[str, Any]:
    return {
        "score": match["score"],
        "entity_id": match["entity_id"],
        "caption": match["caption"],
        "schema": match["schema"],
        "lists": ";".join(match["datasets"]),
        "records": ";".join(f"{r['list']}:{r['id']}" for r in match["records"]),
        "matched_name": match["explanation"]["matched_name"],
    }


def _cell(value: Any) -> Any:
    """A value echoed from the input, writable as UTF-8 (a lone surrogate as its escape)."""
    if isinstance(value, str) and unicode_problem(value):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _table(results: list[dict[str, Any]]) -> Table:
    table = Table()
    for column in ("query", "score", "listed party", "list record", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for result in results:
        name = terminal_safe(str(result["query"].get("name", "")))
        if "error" in result:
            table.add_row(name, "", "", "", "", f"error: {terminal_safe(result['error'])}")
        elif not result["matches"]:
            table.add_row(name, "", "no match", "", "", "")
        for match in result.get("matches", []):
            why = match["explanation"]
            qualifiers = ", ".join(f"{k} {v:+.2f}" for k, v in why["qualifiers"].items())
            table.add_row(
                *_table_match(name, f"{match['score']:.2f}", match),
                f"{why['method']} {why['name_score']:.2f}"
                + (f"; {qualifiers}" if qualifiers else ""),
            )
        for match in result.get("suppressed", []):
            score = f"below: {match['score']:.2f}"
            table.add_row(*_table_match(name, score, match), terminal_safe(match["why_below"]))
    return table


def _table_match(name: str, score: str, match: dict[str, Any]) -> tuple[str, ...]:
    why = match["explanation"]
    return (
        name,
        score,
        terminal_safe(f"{match['caption']} [{match['schema']}]"),
        terminal_safe(";".join(f"{r['list']}:{r['id']}" for r in match["records"])),
        terminal_safe(f"{why['matched_name']} ({why['matched_property']})"),
    )
