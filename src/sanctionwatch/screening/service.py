"""Screening from Python: ``screen`` one name, ``screen_batch`` many, against the lists in a
home directory (the index is built on first use and kept up to date with list loads)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sanctionwatch.config import Settings, load_settings
from sanctionwatch.errors import InputError, StoreError
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import DEFAULT_LIMIT, DEFAULT_THRESHOLD, Match, Screener
from sanctionwatch.screening.index import load_index
from sanctionwatch.screening.model import Query


def open_screener(settings: Settings) -> Screener:
    """A screener over the latest version of every list loaded under ``settings.home``."""
    with ListStore(settings.store_path) as store:
        if not store.list_names():
            raise StoreError(
                f"no lists loaded in {settings.home}; first: sanctionwatch lists load FILE"
            )
        index = load_index(store, settings.home / "screening-index.pickle")
    return Screener(index)


def screen(
    name: str,
    *,
    schema: str | None = None,
    birth_date: str | None = None,
    nationality: str | None = None,
    country: str | None = None,
    imo: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    home: Path | None = None,
) -> list[Match]:
    """Screen one name (with what else is known) against the lists under ``home``."""
    query = Query(name, None, schema, birth_date, nationality, country, imo)
    return open_screener(load_settings(home)).screen(query, threshold, limit)


def screen_batch(
    queries: Iterable[Query],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    home: Path | None = None,
) -> Iterator[tuple[Query, list[Match] | InputError]]:
    """Screen many queries; each comes back with its matches or its error."""
    yield from open_screener(load_settings(home)).screen_batch(queries, threshold, limit)
