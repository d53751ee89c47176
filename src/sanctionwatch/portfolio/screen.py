"""Screening the whole portfolio, and what changed since the screen before.

A screen finds every counterparty's hits (the matches ``sanctionwatch screen`` would give
its row), compares them with the stored ones, and stores them in their place:

- **new**: a hit on a listed party (a list's entity) this counterparty had no stored hit on;
- **changed**: a hit on the same party whose score or list record changed;
- **removed**: a stored hit no longer found (the party left the list, or scores below the
  threshold now).

Screening again with the same lists finds the same hits (the engine is deterministic), so
it reports no change. The hits can be found here (one process, or every core) or on Spark
(``spark_batch.py``): both give the hits of :func:`hits_of_result`, and both are recorded
by :func:`record_hits`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sanctionwatch.portfolio.model import (
    Counterparty,
    PortfolioHit,
    PortfolioHitChange,
    PortfolioScreenResult,
)
from sanctionwatch.portfolio.store import PortfolioStore, now_utc
from sanctionwatch.screening.batch_io import QueryRow
from sanctionwatch.screening.engine import DEFAULT_LIMIT, DEFAULT_THRESHOLD, Screener
from sanctionwatch.screening.parallel import screen_row, screen_rows

SOURCE = "portfolio"  # names the input in a screening error ("portfolio:<line>: ...")


def signature_text(signature: tuple[tuple[str, int], ...]) -> str:
    """A screening index's signature (each list and its version id) as stored with hits:
    ``"ofac_sdn:2,un:1"``."""
    return ",".join(f"{name}:{version}" for name, version in sorted(signature))


def list_versions(screener: Screener) -> dict[tuple[str, str], str]:
    """(list, entity id) -> the list version the screener's index read the party from."""
    return {(p.list_name, p.entity_id): p.version for p in screener.index.parties}


def hits_of_result(
    result: dict[str, Any], versions: dict[tuple[str, str], str]
) -> list[PortfolioHit]:
    """The hits in one row's screening result (as ``screening.parallel.screen_row`` gives
    it: the query with the counterparty id, and its matches); ``versions`` from
    :func:`list_versions`."""
    query = result["query"]
    return [
        PortfolioHit(
            counterparty_id=query["id"],
            counterparty_name=query["name"],
            entity_id=match["entity_id"],
            caption=match["caption"],
            schema=match["schema"],
            list=match["records"][0]["list"],
            record=match["records"][0]["id"],
            version=versions.get((match["records"][0]["list"], match["entity_id"]), ""),
            score=match["score"],
            match=match,
        )
        for match in result.get("matches", [])
    ]


def screen_counterparty(
    screener: Screener, counterparty: Counterparty, position: int, threshold: float, limit: int
) -> dict[str, Any]:
    """One counterparty's screening result (``position``: its place in the batch, named by
    an error)."""
    return screen_row(screener, QueryRow(position, counterparty.query()), threshold, limit, SOURCE)


def find_hits(
    screener: Screener,
    counterparties: Iterable[Counterparty],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    workers: int = 1,
) -> Iterator[tuple[str, list[PortfolioHit], str | None]]:
    """Each counterparty's id, hits, and error (None when it was screened), in order; on
    ``workers`` processes when more than one."""
    versions = list_versions(screener)
    rows = (QueryRow(n, c.query()) for n, c in enumerate(counterparties, 1))
    for screened in screen_rows(screener, rows, threshold, limit, SOURCE, workers):
        result = screened.result
        assert isinstance(result, dict)  # not encoded
        yield result["id"], hits_of_result(result, versions), error_reason(result)


def error_reason(result: dict[str, Any]) -> str | None:
    """Why a counterparty could not be screened (None if it was), without the batch
    position ``screen_row`` puts first (a local and a Spark batch number rows apart)."""
    error: str | None = result.get("error")
    if error is None or not error.startswith(f"{SOURCE}:"):
        return error
    return error.split(": ", 1)[-1]


def screen_portfolio(
    store: PortfolioStore,
    screener: Screener,
    signature: str,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    limit: int = DEFAULT_LIMIT,
    workers: int = 1,
) -> PortfolioScreenResult:
    """Screen every counterparty of ``store`` with ``screener`` (whose index covers the list
    versions ``signature`` names), store the hits in place of the old ones and say what
    changed. Writes under the store's writer lock."""
    started = now_utc()
    found: list[PortfolioHit] = []
    errors: list[tuple[str, str]] = []
    screened = 0
    # Streamed from the store (millions fit nowhere else); the hits are written after.
    for counterparty_id, hits, error in find_hits(
        screener, store.counterparties(), threshold, limit, workers
    ):
        screened += 1
        found.extend(hits)
        if error is not None:
            errors.append((counterparty_id, error))
    return record_hits(store, found, signature, threshold, screened, errors, started)


def record_hits(
    store: PortfolioStore,
    found: list[PortfolioHit],
    signature: str,
    threshold: float,
    screened: int,
    errors: list[tuple[str, str]],
    started: str | None = None,
) -> PortfolioScreenResult:
    """Compare ``found`` with the stored hits, store it in their place, and say what
    changed (the common end of a local and a Spark screen)."""
    found = sorted(found, key=_order)
    changes, removed = diff_hits(store.hits(), found)
    counts = {
        "counterparties": screened,
        "errors": len(errors),
        "hits": len(found),
        "new": sum(c.change == "new" for c in changes),
        "changed": sum(c.change == "changed" for c in changes),
        "removed": len(removed),
    }
    store.record_screen(
        found, signature=signature, threshold=threshold, started=started or now_utc(),
        counts=counts,
    )  # fmt: skip
    return PortfolioScreenResult(signature, threshold, screened, found, changes, removed, errors)


def diff_hits(
    before: Iterable[PortfolioHit], after: Iterable[PortfolioHit]
) -> tuple[list[PortfolioHitChange], list[PortfolioHit]]:
    """The hits of ``after`` that are new or changed against ``before``, and the hits of
    ``before`` that ``after`` no longer has."""
    old = {h.key: h for h in before}
    changes: list[PortfolioHitChange] = []
    for hit in after:
        previous = old.pop(hit.key, None)
        if previous is None:
            changes.append(PortfolioHitChange.of(hit, "new"))
        elif (previous.score, previous.record) != (hit.score, hit.record):
            changes.append(PortfolioHitChange.of(hit, "changed"))
    return changes, sorted(old.values(), key=_order)


def _order(hit: PortfolioHit) -> tuple[str, float, str, str]:
    return hit.counterparty_id, -hit.score, hit.list, hit.entity_id
