"""The last steps of ``sanctionwatch demo``: every vessel linked to the lists and ranked by
risk with its reasons, and the alerts the rules raise (``chain.refresh``)."""

from __future__ import annotations

import time
from collections import Counter

from rich.console import Console

from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.chain import refresh
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import WriterLock
from sanctionwatch.risk.stored import RiskStore

SHOWN_VESSELS = 12
SHOWN_REASONS = 3
SHOWN_ALERTS = 8


def run_risk_demo(settings: Settings, out: Console, first_step: int, writer: WriterLock) -> None:
    out.rule(
        f"{first_step}. Linked to the lists and ranked by risk, with reasons "
        "(real listed identities; synthetic and real traffic)"
    )
    started = time.perf_counter()
    done = refresh(settings, writer)
    with RiskStore(settings.home, writable=False) as store:
        ranked = store.risks(limit=SHOWN_VESSELS)
        levels = Counter(str(body["level"]) for body in store.risks())
    out.print(
        f"  {done.vessels:,} vessels linked and scored in {time.perf_counter() - started:.1f} s: "
        f"{levels['high']} high, {levels['medium']} medium, {levels['low']} low"
    )
    for rank, body in enumerate(ranked, 1):
        linked = ", ".join(
            f"{link['caption']} ({link['list']} {link['record']}, via {link['via']})"
            for link in body["links"]
            if link["via"] != "owner"
        )
        out.print(
            f"  {rank:2d}. {body['name'] or '?'} (MMSI {body['mmsi']}, IMO {body['imo'] or '-'}) "
            f"{body['score']:g} {body['level']}" + (f"; listed as {linked}" if linked else "")
        )
        for factor in body["factors"][:SHOWN_REASONS]:
            out.print(f"        +{factor['points']:g} {_short(str(factor['reason']))}")
    out.rule(f"{first_step + 1}. Alerts raised (sanctionwatch alerts list)")
    with AlertStore(settings.home, writable=False) as alerts:
        raised = alerts.alerts()
    by_rule = Counter(alert.row.rule for alert in raised)
    out.print("  " + ", ".join(f"{n} {rule}" for rule, n in sorted(by_rule.items())))
    severity = {"high": 0, "medium": 1, "low": 2}
    for alert in sorted(raised, key=lambda a: (severity[a.row.severity], a.row.id))[:SHOWN_ALERTS]:
        out.print(f"  [{alert.row.severity}] {alert.row.rule}: {_short(alert.row.summary, 150)}")


def _short(text: str, limit: int = 130) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
