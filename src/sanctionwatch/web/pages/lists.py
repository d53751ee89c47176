"""Workspace page ``/lists``: every loaded list with its versions, what its last update
changed, and what that change did to the portfolio's hits.

The change is :func:`~sanctionwatch.lists.diff.diff_versions` between the latest version
and the one before, as ``sanctionwatch lists diff`` computes it, counted for the listed
parties (persons, organisations, vessels, aircraft) and for every entity, with a sample of
names. Versions never change once stored, so each diff is computed once per pair and kept
(:data:`DIFF_CACHE` pairs at most).

Re-screen results: the portfolio (``<home>/portfolio.sqlite``) keeps the hits of its last
screen (screened again by ``sanctionwatch run`` or ``lists load`` whenever a list changes,
``chain.py``) and what that screen changed (new, changed, removed hits). Under each list,
the current hits on the parties its last update added or changed are shown: the hits that
update brought. A home without a portfolio says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from sanctionwatch.lists.diff import EntityChange, ListDiff, diff_versions
from sanctionwatch.lists.store import ListStore, ListVersion
from sanctionwatch.portfolio.model import PortfolioHit
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.portfolio.tables import PORTFOLIO, ScreenRunRow
from sanctionwatch.web.pages.common import page_router, render
from sanctionwatch.web.security import Viewer, app_settings

router = page_router(tags=["pages"])
SAMPLE = 8  # names shown per kind of change
HITS_SHOWN = 50
DIFF_CACHE = 64
_diffs: OrderedDict[tuple[str, int, int], ListDiff] = OrderedDict()
_diffs_lock = threading.Lock()


@dataclass(frozen=True)
class Change:
    """A list's last update, for the page."""

    diff: ListDiff
    parties: ListDiff  # the same, limited to listed parties

    def sample(self, kind: str) -> list[EntityChange]:
        changes: list[EntityChange] = getattr(self.parties, kind)
        return changes[:SAMPLE]


@dataclass(frozen=True)
class ListView:
    name: str
    versions: list[ListVersion]  # newest first
    change: Change | None
    hits: list[PortfolioHit]  # current portfolio hits on parties the update added or changed


@router.get("/lists")
def lists_page(request: Request, principal: Viewer) -> Response:
    """Each list's versions, its last update's changes, and the hits that update brought."""
    settings = app_settings(request)
    portfolio = _portfolio(settings.home)
    views: list[ListView] = []
    if settings.store_path.exists():
        with ListStore(settings.store_path, writable=False) as store:
            for name in store.list_names():
                versions = store.versions(name)
                change = _change(store, versions, str(settings.store_path))
                views.append(
                    ListView(name, versions[::-1], change, _hits_of(change, portfolio["hits"]))
                )
    context = {"lists": views, "portfolio": portfolio, "sample": SAMPLE, "hits_shown": HITS_SHOWN}
    return render(request, "lists.html", context, section="lists")


def _change(store: ListStore, versions: list[ListVersion], where: str) -> Change | None:
    """The last update of a list (None for a list with one version)."""
    if len(versions) < 2:
        return None
    old, new = versions[-2], versions[-1]
    key = (where, old.id, new.id)
    with _diffs_lock:
        diff = _diffs.get(key)
        if diff is not None:
            _diffs.move_to_end(key)
    if diff is None:
        diff = diff_versions(store, old, new)
        with _diffs_lock:
            _diffs[key] = diff
            while len(_diffs) > DIFF_CACHE:
                _diffs.popitem(last=False)
    return Change(diff, diff.parties_only())


def _portfolio(home: Path) -> dict[str, Any]:
    """The portfolio's size, last screen and current hits (``exists`` False without one)."""
    if not (home / PORTFOLIO).exists():
        return {"exists": False, "count": 0, "last_run": None, "hits": []}
    with PortfolioStore(home, writable=False) as store:
        last: ScreenRunRow | None = store.last_run()
        return {"exists": True, "count": store.count(), "last_run": last, "hits": store.hits()}


def _hits_of(change: Change | None, hits: list[PortfolioHit]) -> list[PortfolioHit]:
    """The hits on parties ``change`` added or changed, best score first."""
    if change is None or not hits:
        return []
    touched = {c.entity_id for c in (*change.diff.added, *change.diff.changed)}
    found = [h for h in hits if h.list == change.diff.list_name and h.entity_id in touched]
    return sorted(found, key=lambda h: (-h.score, h.counterparty_id))[:HITS_SHOWN]
