"""Writing screening results as JSON lines (the contract in DESIGN.md), CSV or a table."""

from __future__ import annotations

import csv
from typing import IO, Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

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
) -> int:
    """Screen every row of ``handle`` and write the results to ``out``; returns rows read."""
    task = progress.add_task(f"Screening {source}", total=None) if progress else None
    table_rows: list[dict[str, Any]] = []
    writer = csv.DictWriter(out, CSV_FIELDS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    count = 0
    rows = read_queries(handle, source)
    encode = fmt == "jsonl"
    for result in screen_rows(screener, rows, threshold, limit, source, workers, encode):
        count += 1
        if isinstance(result, str):
            out.write(result)
        elif writer:
            writer.writerows(_csv_rows(result))
        else:
            table_rows.append(result)
        if progress and task is not None:
            progress.advance(task)
    if fmt == "table":
        Console(file=out, markup=False, highlight=False, width=160).print(_table(table_rows))
    return count


def _csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    base = {"id": result["id"], "query_name": result["query"].get("name")}
    if "error" in result:
        return [{**base, "error": result["error"]}]
    if not result["matches"]:
        return [{**base, "rank": 0}]
    return [
        {
            **base,
            "rank": rank,
            "score": match["score"],
            "entity_id": match["entity_id"],
            "caption": match["caption"],
            "schema": match["schema"],
            "lists": ";".join(match["datasets"]),
            "records": ";".join(f"{r['list']}:{r['id']}" for r in match["records"]),
            "matched_name": match["explanation"]["matched_name"],
        }
        for rank, match in enumerate(result["matches"], start=1)
    ]


def _table(results: list[dict[str, Any]]) -> Table:
    table = Table()
    for column in ("query", "score", "listed party", "list record", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for result in results:
        name = str(result["query"].get("name", ""))
        if "error" in result:
            table.add_row(name, "", "", "", "", f"error: {result['error']}")
        elif not result["matches"]:
            table.add_row(name, "", "no match", "", "", "")
        for match in result.get("matches", []):
            why = match["explanation"]
            qualifiers = ", ".join(f"{k} {v:+.2f}" for k, v in why["qualifiers"].items())
            table.add_row(
                name,
                f"{match['score']:.2f}",
                f"{match['caption']} [{match['schema']}]",
                ";".join(f"{r['list']}:{r['id']}" for r in match["records"]),
                f"{why['matched_name']} ({why['matched_property']})",
                f"{why['method']} {why['name_score']:.2f}"
                + (f"; {qualifiers}" if qualifiers else ""),
            )
    return table
