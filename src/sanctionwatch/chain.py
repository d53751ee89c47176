"""The whole chain, kept up to date: detect, link, score, alert (issue 13).

``refresh`` runs under the home's writer lock and does only what changed:

1. detect: the stored events are brought up to date when an ingest (or new detector
   parameters) came after them (``EventStore.stale``);
2. link and score: when the signature of their inputs differs from the stored one
   (``risk/stored.py``): the last ingest, the detectors' states, the list versions, the
   risk and linking parameters, the zones;
3. alerts: the vessel rules are evaluated when the scores or the rules changed, and raise
   only what is new (``alerts/store.py``);
4. the portfolio is screened again when the list versions changed since its last screen,
   and new or changed matches raise alerts.

Each step commits on its own and records what it ran on; a run killed at any point leaves
every store as it was after its last commit, and the next run redoes exactly what is
missing. Run twice on the same data, the second run changes nothing.

``up_to_date`` says, without taking the lock, whether ``refresh`` would do anything: the
readers (``vessels risk``, ``vessels show``) refresh only when it would.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any

from sanctionwatch.ais.store import open_store as open_ais_store
from sanctionwatch.alerts.evaluate import portfolio_candidates, vessel_candidates
from sanctionwatch.alerts.rules import Rule, load_rules
from sanctionwatch.alerts.store import Alert, AlertStore
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.stored import EventStore, RunReport
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import WriterLock
from sanctionwatch.linking.listed_cache import versions_signature
from sanctionwatch.linking.params import load_linking_params
from sanctionwatch.lists.store import ListStore
from sanctionwatch.portfolio.model import PortfolioHitChange
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.risk.params import load_risk_params
from sanctionwatch.risk.stored import (
    RiskInputs,
    RiskStore,
    compute_risks,
    filter_bodies,
    risk_bodies,
    scoring_events,
    signature,
)
from sanctionwatch.risk.zones import default_zones, load_zones

Notify = Callable[[str], None]


@dataclass
class Refreshed:
    """What one ``refresh`` did."""

    detected: list[RunReport] = field(default_factory=list)
    rescored: bool = False
    vessels: int = 0
    portfolio_screened: bool = False
    alerts: list[Alert] = field(default_factory=list)


def risk_inputs(settings: Settings) -> RiskInputs:
    """The weights, linking parameters and zones: the bundled ones, or the home's own
    (``[risk] factors`` and ``zones`` in config.toml)."""
    zones = load_zones(settings.risk_zones) if settings.risk_zones else default_zones()
    return RiskInputs(load_risk_params(settings.risk_factors), load_linking_params(), zones)


def rules_signature(rules: tuple[Rule, ...]) -> str:
    text = json.dumps([[r.name, r.kind, r.title, r.severity, r.settings] for r in rules])
    return hashlib.sha256(text.encode()).hexdigest()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector off while a million events and their scores are alive: it
    finds no cycles among them but walks them all, again and again (5-8 s of CPU per
    refresh on 1 M events, bench/bench_chain.py). What is freed meanwhile still is, by
    reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refresh(settings: Settings, lock: WriterLock) -> Refreshed:
    """Bring events, scores, alerts and the portfolio screen up to date (see the module
    docstring). ``lock``: the home's writer lock, held by the caller."""
    from sanctionwatch.engine.duckdb import DuckDBEngine

    inputs = risk_inputs(settings)
    rules = load_rules(settings.alert_rules)
    params = load_params(None)
    out = Refreshed()
    with (
        paused_gc(),
        open_ais_store(settings.home, writer=lock) as ais,
        EventStore(ais) as stored,
        ais.snapshot() as snapshot,
    ):
        if snapshot.last_ingest_id > 0 and stored.stale(snapshot, params):
            with closing(DuckDBEngine(ais)) as runner:
                out.detected = stored.update(runner, params, snapshot=snapshot)
        # Opened as the writer it is: a read-only open leaves an empty WAL behind when it
        # closes last, which a home published read-only afterwards would carry.
        with (
            ListStore(settings.store_path, writer=lock) as lists,
            RiskStore(settings.home, writable=True) as risks,
            AlertStore(settings.home, writable=True) as alerts,
        ):
            wanted = signature(snapshot, stored.states(), lists, inputs)
            events = None
            if risks.signature() != wanted:
                events, data_end = scoring_events(stored, inputs)
                # No vessel yet: nothing to link (reading the lists for linking takes seconds).
                found, flags = (
                    compute_risks(ais, lists, events, inputs, data_end_ms=data_end)
                    if snapshot.last_ingest_id > 0
                    else ([], [])
                )
                out.vessels = risks.replace(risk_bodies(found, flags), wanted)
                out.rescored = True
            alert_inputs = f"{wanted}\n{rules_signature(rules)}"
            if risks.state("alerts") != alert_inputs:
                # The encounter rule reads encounters, which scoring_events keeps whole.
                events = events if events is not None else scoring_events(stored, inputs)[0]
                candidates = vessel_candidates(rules, risks.risks(), events)
                out.alerts += alerts.raise_alerts(candidates)
                risks.set_state("alerts", alert_inputs)
            out.alerts += _rescreen_portfolio(settings, lock, lists, risks, alerts, rules, out)
    return out


def _rescreen_portfolio(
    settings: Settings,
    lock: WriterLock,
    lists: ListStore,
    risks: RiskStore,
    alerts: AlertStore,
    rules: tuple[Rule, ...],
    out: Refreshed,
) -> list[Alert]:
    """Screen the portfolio again if the lists changed since its last screen."""
    if not (settings.home / "portfolio.sqlite").exists() or not lists.list_names():
        return []
    if risks.state("portfolio") == portfolio_lists_signature(lists):
        return []
    with PortfolioStore(settings.home, writer=lock) as portfolio:
        changes = screen_portfolio_now(settings, portfolio)
    out.portfolio_screened = True
    return record_portfolio_screen(lists, risks, alerts, rules, changes)


def portfolio_lists_signature(lists: ListStore) -> str:
    return json.dumps(versions_signature(lists))


def record_portfolio_screen(
    lists: ListStore,
    risks: RiskStore,
    alerts: AlertStore,
    rules: tuple[Rule, ...],
    changes: list[PortfolioHitChange],
) -> list[Alert]:
    """Raise the alerts of a portfolio screen's new or changed matches, and note the list
    versions it screened against (so that only a list change screens it again)."""
    raised = alerts.raise_alerts(portfolio_candidates(rules, changes))
    risks.set_state("portfolio", portfolio_lists_signature(lists))
    return raised


def portfolio_screened(
    settings: Settings, lock: WriterLock, changes: list[PortfolioHitChange]
) -> list[Alert]:
    """After ``portfolio screen``, under its writer lock: its alerts raised, its list
    versions noted."""
    rules = load_rules(settings.alert_rules)
    with (
        ListStore(settings.store_path, writer=lock) as lists,
        RiskStore(settings.home, writable=True) as risks,
        AlertStore(settings.home, writable=True) as alerts,
    ):
        return record_portfolio_screen(lists, risks, alerts, rules, changes)


def screen_portfolio_now(settings: Settings, portfolio: PortfolioStore) -> list[PortfolioHitChange]:
    """Screen every counterparty against the current lists; the new or changed matches."""
    from sanctionwatch.portfolio.screen import screen_portfolio, signature_text
    from sanctionwatch.screening.service import open_screener

    screener = open_screener(settings)
    result = screen_portfolio(portfolio, screener, signature_text(screener.index.signature))
    return list(result.changes)


def up_to_date(settings: Settings) -> bool:
    """Whether ``refresh`` would change nothing, judged from the stores read-only."""
    inputs = risk_inputs(settings)
    rules = load_rules(settings.alert_rules)
    with (
        open_ais_store(settings.home, writable=False) as ais,
        EventStore(ais) as stored,
        ais.snapshot() as snapshot,
        ListStore(settings.store_path, writable=False) as lists,
        RiskStore(settings.home, writable=False) as risks,
    ):
        if snapshot.last_ingest_id > 0 and stored.stale(snapshot, load_params(None)):
            return False
        wanted = signature(snapshot, stored.states(), lists, inputs)
        portfolio_done = (
            not (settings.home / "portfolio.sqlite").exists()
            or not lists.list_names()
            or risks.state("portfolio") == portfolio_lists_signature(lists)
        )
        return (
            risks.signature() == wanted
            and risks.state("alerts") == f"{wanted}\n{rules_signature(rules)}"
            and portfolio_done
        )


def risks_in_memory(
    settings: Settings, min_level: str = "low", limit: int | None = None
) -> list[dict[str, Any]]:
    """Scores computed now from what is stored, storing nothing (a home that cannot be
    written): the stored events as they are, whether or not they are up to date."""
    inputs = risk_inputs(settings)
    with (
        paused_gc(),
        open_ais_store(settings.home, writable=False) as ais,
        EventStore(ais) as stored,
        ais.snapshot(),
        ListStore(settings.store_path, writable=False) as lists,
    ):
        events, data_end = scoring_events(stored, inputs)
        found, flags = compute_risks(ais, lists, events, inputs, data_end_ms=data_end)
    return filter_bodies(risk_bodies(found, flags), min_level, limit)
