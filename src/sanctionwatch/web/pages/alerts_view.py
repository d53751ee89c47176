"""What the alerts inbox shows: the view (filters, sort, page) as a URL, and the alerts of
``cases/triage.py`` shaped for the templates.

The view lives in the URL's query string so that a filtered inbox can be shared, reloaded
or restored from history: the full page and the htmx partial read the same parameters, and
the page's write routes re-read them from the ``HX-Current-URL`` header to redraw the view
the analyst is looking at. Only values that differ from the defaults go into the URL.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from sanctionwatch.alerts.rules import load_rules
from sanctionwatch.cases import triage
from sanctionwatch.config import Settings
from sanctionwatch.errors import AlertRulesError, InputError

PAGE_SIZE = 50
# The same bounds as GET /api/alerts.
Item = dict[str, Any]  # an alert as triage.list_alerts gives it
TEXT_MAX = {"rule": 200, "severity": 10, "status": 10, "vessel": 20, "since": 40, "until": 40}
SORT_LABELS = {"created": "Created", "severity": "Severity", "rule": "Rule"}
ORDER_LABELS = {"desc": "Descending", "asc": "Ascending"}


@dataclass(frozen=True)
class InboxView:
    """One state of the inbox: each filter narrows (None: any); ``page`` counts from 1."""

    rule: str | None = None
    severity: str | None = None
    status: str | None = None
    vessel: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "created"
    order: str = "desc"
    page: int = 1

    def query(self, **changes: Any) -> str:
        """The query string of this view (with ``changes``), defaults left out."""
        view = replace(self, **changes)
        default = InboxView()
        pairs = [
            (name, str(value))
            for name, value in asdict(view).items()
            if value is not None and value != getattr(default, name)
        ]
        return urlencode(pairs)

    def url(self, **changes: Any) -> str:
        query = self.query(**changes)
        return f"/alerts?{query}" if query else "/alerts"

    @property
    def filtered(self) -> bool:
        return any(getattr(self, name) is not None for name in TEXT_MAX)


def view_from(params: Mapping[str, str]) -> InboxView:
    """The view a query string asks for: blank fields are "any"; values are checked by
    ``triage.list_alerts`` (severity, status, sort, order, vessel number, dates), lengths
    and the page number here."""
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(InboxView)):
        raw = params.get(name)
        text = raw.strip() if raw is not None else ""
        if not text:
            continue
        if name == "page":
            if not text.isdigit() or not 1 <= int(text) <= 10**9:
                raise InputError(f"page {text[:20]!r} is not a page number")
            values[name] = int(text)
            continue
        limit = TEXT_MAX.get(name, 10)
        if len(text) > limit:
            raise InputError(f"{name} is at most {limit} characters")
        values[name] = text
    return InboxView(**values)


@dataclass(frozen=True)
class Inbox:
    """One page of the inbox and the counts over every alert the filters keep; ``rules``
    the rule names to filter by."""

    view: InboxView
    total: int
    pages: int
    rows: list[dict[str, Any]]
    by_rule: list[tuple[str, int]]
    by_severity: list[tuple[str, int]]
    unnamed: int  # alerts of rules no longer configured (not in ``by_rule``)
    rules: list[str]

    @property
    def first(self) -> int:
        return 0 if not self.rows else (self.view.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def load_inbox(session: Session, settings: Settings, view: InboxView) -> Inbox:
    """The view's page of alerts with their decisions (a page past the end shows the last
    page), and the counts per severity and per rule of all the alerts its filters keep.

    Without a status filter the counts are totals of ``triage.list_alerts`` asked for no
    rows, one per severity and per rule (SQL counts: reading every matching alert to count
    it took 0.8 s at 10,000 alerts, this 0.08 s). The rules counted are the configured ones,
    those on the page and the one filtered by; alerts of a rule since removed from the
    configuration are counted together in ``unnamed``. A status filter reads every decision
    on each call, so then the matching alerts are read once and counted here instead."""

    def find(page: InboxView, limit: int | None, **narrower: str) -> tuple[int, list[Item]]:
        filters = {name: getattr(page, name) for name in TEXT_MAX} | narrower
        return triage.list_alerts(
            session, settings, **filters, sort=page.sort, order=page.order, limit=limit,
            offset=(page.page - 1) * (limit or 0),
        )  # fmt: skip

    rules = _configured_rules(settings) | ({view.rule} if view.rule else set())
    if view.status is None:
        total, items = find(view, PAGE_SIZE)
        if view.page > (pages := _pages(total)):
            view = replace(view, page=pages)
            total, items = find(view, PAGE_SIZE)
        rules |= {str(item["rule"]) for item in items}
        first = replace(view, page=1)
        wanted = triage.SEVERITIES if view.severity is None else (view.severity,)
        severities = Counter({s: find(first, 0, severity=s)[0] for s in wanted if total})
        counted = sorted(rules) if view.rule is None else [view.rule]
        by_rule = Counter({rule: find(first, 0, rule=rule)[0] for rule in counted if total})
    else:
        _total, everything = find(replace(view, page=1), None)
        total = len(everything)
        view = replace(view, page=min(view.page, _pages(total)))
        start = (view.page - 1) * PAGE_SIZE
        items = everything[start : start + PAGE_SIZE]
        severities = Counter(str(item["severity"]) for item in everything)
        by_rule = Counter(str(item["rule"]) for item in everything)
        rules |= set(by_rule)
    named = sorted(((r, c) for r, c in by_rule.items() if c), key=lambda pair: (-pair[1], pair[0]))
    return Inbox(
        view=view,
        total=total,
        pages=_pages(total),
        rows=[row(item) for item in items],
        by_rule=named,
        by_severity=[(s, severities[s]) for s in triage.SEVERITIES if severities[s]],
        unnamed=total - sum(count for _rule, count in named),
        rules=sorted(rules),
    )


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _configured_rules(settings: Settings) -> set[str]:
    try:
        return {rule.name for rule in load_rules(settings.alert_rules)}
    except AlertRulesError:  # the inbox still works; ``run`` reports the broken file
        return set()


def row(item: dict[str, Any]) -> dict[str, Any]:
    """An alert as the table shows it: its subject's name, MMSI and IMO apart (a vessel's
    MMSI links to its page), and its evidence as (field, text) pairs."""
    subject = item["subject"] if isinstance(item["subject"], dict) else {}
    mmsi = subject.get("mmsi")
    return {
        "id": item["id"],
        "rule": item["rule"],
        "title": item["title"],
        "severity": item["severity"],
        "summary": item["summary"],
        "created": item["created"],
        "status": item["status"],
        "triage": item["triage"],
        "name": _text(subject.get("name")),
        "kind": _text(subject.get("kind")),
        "mmsi": mmsi if isinstance(mmsi, int) else None,
        "imo": subject.get("imo"),
        "other": [(k, _text(v)) for k, v in subject.items() if k not in _SUBJECT_SHOWN],
        "evidence": [_evidence(entry) for entry in item["evidence"]],
    }


_SUBJECT_SHOWN = frozenset({"name", "kind", "mmsi", "imo"})


def _evidence(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        return {"kind": "", "fields": [("value", _text(entry))]}
    return {
        "kind": _text(entry.get("kind")),
        "fields": [(str(k), _text(v)) for k, v in entry.items() if k != "kind" and v is not None],
    }


def _text(value: Any) -> str:
    """A value as text (the template escapes it); nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
