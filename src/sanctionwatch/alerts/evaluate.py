"""What the rules find: candidate alerts, each with the fingerprint that says whether it is
one already raised.

A candidate names its rule and subject and carries its evidence; ``fingerprint`` is the part
of the evidence whose change makes a new alert (the listed entities and ways of linking;
the kinds of reason behind a high score, not their points, which move with every new
event; the encounters; the matched records and scores). The store raises a candidate only
when the last alert of its rule and subject has another fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sanctionwatch.alerts.rules import Rule
from sanctionwatch.behaviour.events import Event
from sanctionwatch.portfolio.model import PortfolioHitChange
from sanctionwatch.risk.evidence import event_evidence, iso_utc

Body = Mapping[str, Any]  # a stored risk line (risk.stored.risk_bodies)


@dataclass(frozen=True)
class Candidate:
    rule: str
    title: str
    severity: str
    subject_key: str  # "vessel:<mmsi>" or "counterparty:<id>"
    subject: dict[str, Any]
    summary: str
    evidence: tuple[dict[str, Any], ...]
    fingerprint: str


def vessel_candidates(
    rules: Sequence[Rule], bodies: Sequence[Body], events: Iterable[Event]
) -> list[Candidate]:
    """Candidates of the vessel rules (linked_vessel, risk_level, encounter)."""
    out: list[Candidate] = []
    encounters = [event for event in events if event.type == "encounter"]
    by_mmsi = {int(body["mmsi"]): body for body in bodies}
    for rule in rules:
        if rule.kind == "linked_vessel":
            out += [c for body in bodies if (c := _linked(rule, body)) is not None]
        elif rule.kind == "risk_level":
            out += [c for body in bodies if (c := _level(rule, body)) is not None]
        elif rule.kind == "encounter":
            out += _encounters(rule, encounters, by_mmsi)
    return out


def portfolio_candidates(
    rules: Sequence[Rule], changes: Iterable[PortfolioHitChange]
) -> list[Candidate]:
    """Candidates of the portfolio_match rules: one per counterparty and matched entity."""
    out = []
    for rule in (r for r in rules if r.kind == "portfolio_match"):
        for change in changes:
            if change.score < rule.share("min_score"):
                continue
            what = "newly matches" if change.change == "new" else "now matches differently"
            out.append(
                _candidate(
                    rule,
                    f"counterparty:{change.counterparty_id}:{change.list}:{change.entity_id}",
                    {
                        "kind": "counterparty",
                        "id": change.counterparty_id,
                        "name": change.counterparty_name,
                    },
                    f"{change.counterparty_name!r} {what} {change.caption} "
                    f"({change.list} record {change.record}), score {change.score:.2f}",
                    change.evidence,
                    [change.entity_id, change.record, round(change.score, 2)],
                )
            )
    return out


def _vessel(body: Body) -> dict[str, Any]:
    return {
        "kind": "vessel",
        "mmsi": body["mmsi"],
        "imo": body.get("imo"),
        "name": body.get("name"),
    }


def _called(body: Body) -> str:
    name = f" {body['name']}" if body.get("name") else ""
    return f"MMSI {body['mmsi']}{name}"


def _links(rule: Rule, body: Body, key: str = "vias") -> list[dict[str, Any]]:
    vias = rule.vias(key)
    least = rule.share("min_confidence") if "min_confidence" in rule.settings else 0.0
    return [
        link
        for link in body.get("links") or ()
        if link["via"] in vias and float(link["confidence"]) >= least
    ]


def _excepted(rule: Rule, body: Body) -> bool:
    excepted = rule.vias("except_vias")
    return any(link["via"] in excepted for link in body.get("links") or ())


def _linked(rule: Rule, body: Body) -> Candidate | None:
    links = _links(rule, body)
    if not links or _excepted(rule, body):
        return None
    best = links[0]
    more = f" and {len(links) - 1} more listed entit{'y' if len(links) == 2 else 'ies'}"
    summary = (
        f"{_called(body)} is linked to {best['caption']} ({best['list']} record "
        f"{best['record']}) via {best['via']}, confidence {best['confidence']:.2f}"
        f"{more if len(links) > 1 else ''}"
    )
    if best.get("laundering"):
        summary += f"; {best['laundering']}"
    evidence = [
        {"kind": "link", **{k: link[k] for k in ("entity_id", "list", "record", "via")},
         "confidence": link["confidence"], "reason": link.get("reason")}
        for link in links
    ]  # fmt: skip
    for link in links:
        evidence += [e for e in link.get("evidence") or () if e not in evidence]
    fingerprint = sorted([link["entity_id"], link["via"]] for link in links)
    return _candidate(rule, f"vessel:{body['mmsi']}", _vessel(body), summary, evidence, fingerprint)


def _level(rule: Rule, body: Body) -> Candidate | None:
    ranks = {"low": 0, "medium": 1, "high": 2}
    if ranks[str(body["level"])] < ranks[str(rule.settings["level"])]:
        return None
    if _excepted(rule, body):
        return None
    factors = list(body.get("factors") or ())
    reasons = "; ".join(str(f["reason"]) for f in factors[:3])
    summary = f"{_called(body)} scores {body['score']} ({body['level']}): {reasons}"
    evidence = [
        {"kind": "factor", "factor": f["factor"], "points": f["points"], "reason": f["reason"],
         "evidence": f.get("evidence") or []}
        for f in factors
    ]  # fmt: skip
    fingerprint = [body["level"], sorted(str(f["factor"]) for f in factors)]
    return _candidate(rule, f"vessel:{body['mmsi']}", _vessel(body), summary, evidence, fingerprint)


def _encounters(
    rule: Rule, encounters: Sequence[Event], by_mmsi: Mapping[int, Body]
) -> list[Candidate]:
    """One candidate per vessel that met a vessel linked as the rule says, citing every
    such encounter (so one more encounter changes the fingerprint)."""
    met: dict[int, list[tuple[Event, int]]] = {}
    for event in encounters:
        if event.other_mmsi is None:
            continue
        for mine, other in ((event.mmsi, event.other_mmsi), (event.other_mmsi, event.mmsi)):
            other_body = by_mmsi.get(other)
            if other_body is not None and _links(rule, other_body):
                met.setdefault(mine, []).append((event, other))
    out = []
    for mmsi, found in sorted(met.items()):
        found.sort(key=lambda pair: pair[0].start_ms)
        body = by_mmsi.get(mmsi) or {"mmsi": mmsi}
        last, other = found[-1]
        other_body = by_mmsi[other]
        listed = _links(rule, other_body)[0]
        summary = (
            f"{_called(body)} met {_called(other_body)}, linked to {listed['caption']} "
            f"({listed['list']} record {listed['record']}) via {listed['via']}, "
            f"from {iso_utc(last.start_ms)}"
            + (f" ({len(found)} such encounters)" if len(found) > 1 else "")
        )
        evidence = [event_evidence(event) for event, _ in found]
        evidence += [
            {"kind": "link", "mmsi": other, **{k: link[k] for k in
             ("entity_id", "list", "record", "via", "confidence")}}
            for other in sorted({o for _, o in found})
            for link in _links(rule, by_mmsi[other])
        ]  # fmt: skip
        fingerprint = [[o, e.start_ms] for e, o in found]
        out.append(
            _candidate(rule, f"vessel:{mmsi}", _vessel(body), summary, evidence, fingerprint)
        )
    return out


def _candidate(
    rule: Rule,
    subject_key: str,
    subject: dict[str, Any],
    summary: str,
    evidence: Iterable[dict[str, Any]],
    fingerprint: object,
) -> Candidate:
    digest = hashlib.sha256(
        json.dumps(fingerprint, sort_keys=True, default=str).encode()
    ).hexdigest()
    return Candidate(
        rule.name, rule.title, rule.severity, subject_key, subject, summary, tuple(evidence), digest
    )
