"""``sanctionwatch portfolio``: a compliance team's counterparties, screened against the
lists, with what changed since the last screen. Parses, calls ``sanctionwatch.portfolio``,
formats; commands that write take the home's writer lock, ``list`` and ``rejected`` read."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from sanctionwatch.cli_support import Group, stdout
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import home_writer
from sanctionwatch.portfolio.model import AddOutcome, PortfolioHit, PortfolioScreenResult
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.safe_text import terminal_safe
from sanctionwatch.screening.engine import DEFAULT_THRESHOLD

REJECTED_SHOWN = 20  # rejected rows listed after an add (all of them: `portfolio rejected`)


def _notify(message: str) -> None:
    click.echo(message, err=True)


def _to_stderr(message: str) -> None:
    """A summary line, unwrapped (rich would wrap it at 80 columns when not a terminal)."""
    click.echo(terminal_safe(message), err=True)


def _json_line(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


@click.group("portfolio", cls=Group)
def portfolio() -> None:
    """Counterparties (a compliance portfolio): add files, list, screen against the lists."""


@portfolio.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def portfolio_add(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Add the counterparties in FILE: the `screen` input (CSV with a 'name' column, or JSON
    lines; optional id, schema, birth_date, nationality, imo, country).

    Rows that cannot be screened are rejected with their line and reason, the rest added;
    a row whose id is already stored replaces it; adding the same file again changes
    nothing. Then run `portfolio screen`.
    """
    settings: Settings = ctx.obj
    with (
        home_writer(settings, "portfolio add", notify=_notify) as lock,
        PortfolioStore(settings.home, writer=lock) as store,
    ):
        outcome = store.add(file)
        total = store.count()
    if as_json:
        click.echo(json.dumps({**outcome.to_json(), "counterparties": total}, ensure_ascii=False))
        return
    _print_add(outcome, total)


def _print_add(outcome: AddOutcome, total: int) -> None:
    stdout.print(
        f"{outcome.source}: {outcome.rows:,} rows: {outcome.added:,} added, "
        f"{outcome.updated:,} updated, {outcome.unchanged:,} unchanged, "
        f"{outcome.duplicates:,} duplicate, {len(outcome.rejected):,} rejected; "
        f"{total:,} counterparties in the portfolio"
    )
    for row in outcome.rejected[:REJECTED_SHOWN]:
        stdout.print(f"  {outcome.source}:{row.line}: {row.reason}: {row.raw[:80]!r}")
    if len(outcome.rejected) > REJECTED_SHOWN:
        more = len(outcome.rejected) - REJECTED_SHOWN
        stdout.print(f"  ... {more:,} more (all of them: sanctionwatch portfolio rejected)")


@portfolio.command("list")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl")
@click.pass_context
def portfolio_list(ctx: click.Context, fmt: str) -> None:
    """Every counterparty with its current hits (as of the last `portfolio screen`)."""
    settings: Settings = ctx.obj
    with PortfolioStore(settings.home, writable=False) as store:
        hits: dict[str, list[PortfolioHit]] = defaultdict(list)
        for hit in store.hits():
            hits[hit.counterparty_id].append(hit)
        table = Table("id", "name", "schema", "source", "screened", "hits", box=None)
        for row in store.rows():
            found = hits.get(row.id, [])
            if fmt == "jsonl":
                data: dict[str, Any] = {
                    "id": row.id, "name": row.name, "schema": row.schema,
                    "birth_date": row.birth_date, "nationality": row.nationality,
                    "imo": row.imo, "country": row.country, "source": row.source,
                    "line": row.line, "added": row.added, "updated": row.updated,
                    "screened": row.screened,
                    "hits": [_hit_json(h) for h in found],
                }  # fmt: skip
                _json_line(data)
                continue
            table.add_row(
                row.id, row.name, row.schema or "", f"{Path(row.source).name}:{row.line}",
                row.screened or "not yet", "; ".join(_hit_text(h) for h in found),
            )  # fmt: skip
        if fmt == "table":
            stdout.print(table)
            stdout.print(f"{store.count():,} counterparties, {sum(map(len, hits.values())):,} hits")


def _hit_json(hit: PortfolioHit) -> dict[str, Any]:
    return {
        "entity_id": hit.entity_id, "caption": hit.caption, "schema": hit.schema,
        "list": hit.list, "record": hit.record, "version": hit.version, "score": hit.score,
    }  # fmt: skip


def _hit_text(hit: PortfolioHit) -> str:
    return f"{hit.caption} ({hit.list}:{hit.record}) {hit.score:.2f}"


@portfolio.command("rejected")
@click.pass_context
def portfolio_rejected(ctx: click.Context) -> None:
    """The rows of added files that could not be used, as JSON lines (file, line, reason,
    the row's text)."""
    settings: Settings = ctx.obj
    with PortfolioStore(settings.home, writable=False) as store:
        for source, row in store.rejected():
            _json_line({"file": source, "line": row.line, "reason": row.reason, "raw": row.raw})


@portfolio.command("screen")
@click.option(
    "--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD, show_default=True
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes (default: every CPU).")
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Where to screen: this machine, or Spark (large portfolios; see docs/portfolio.md).",
)
@click.option("--spark-master", help="Spark master URL for --engine spark (default local[2]).")
@click.pass_context
def portfolio_screen(
    ctx: click.Context,
    threshold: float,
    fmt: str,
    workers: int | None,
    engine: str,
    spark_master: str | None,
) -> None:
    """Screen every counterparty against the latest version of every list.

    Prints each current hit with its status: new (no hit on that listed party before),
    changed (score or list record changed) or unchanged; then the hits no longer found
    (removed). The hits are stored in place of the last screen's.
    """
    from sanctionwatch.chain import portfolio_screened
    from sanctionwatch.lists.loader import default_workers
    from sanctionwatch.portfolio.screen import screen_portfolio, signature_text
    from sanctionwatch.screening.service import open_screener

    settings: Settings = ctx.obj
    with (
        home_writer(settings, "portfolio screen", notify=_notify) as lock,
        PortfolioStore(settings.home, writer=lock) as store,
    ):
        screener = open_screener(settings)
        signature = signature_text(screener.index.signature)
        if engine == "spark":
            from sanctionwatch.engine.spark import start_session
            from sanctionwatch.portfolio.spark_batch import screen_portfolio_spark

            session = start_session(spark_master)
            try:
                result = screen_portfolio_spark(
                    store, screener.index, signature, session, threshold
                )
            finally:
                session.stop()
        else:
            result = screen_portfolio(
                store, screener, signature, threshold, workers=workers or default_workers()
            )
        raised = portfolio_screened(settings, lock, list(result.changes))
    _print_screen(result, fmt)
    if raised:
        _to_stderr(f"{len(raised):,} new alerts (sanctionwatch alerts list)")


def _print_screen(result: PortfolioScreenResult, fmt: str) -> None:
    statuses = result.statuses()
    listed = [(h, statuses.get(h.key, "unchanged")) for h in result.hits]
    listed += [(h, "removed") for h in result.removed]
    if fmt == "jsonl":
        for hit, status in listed:
            _json_line({**hit.to_json(), "status": status})
    else:
        table = Table("counterparty", "name", "score", "listed party", "record", "status")
        for hit, status in listed:
            table.add_row(
                hit.counterparty_id, hit.counterparty_name, f"{hit.score:.2f}",
                f"{hit.caption} [{hit.schema}]", f"{hit.list}:{hit.record}", status,
            )  # fmt: skip
        stdout.print(table)
    new = sum(c.change == "new" for c in result.changes)
    _to_stderr(
        f"{result.screened:,} counterparties screened against {result.signature} "
        f"(threshold {result.threshold:.2f}): {len(result.hits):,} hits, {new:,} new, "
        f"{len(result.changes) - new:,} changed, {len(result.removed):,} removed"
    )
    for counterparty_id, reason in result.errors[:REJECTED_SHOWN]:
        _to_stderr(f"  {counterparty_id}: not screened: {reason}")
