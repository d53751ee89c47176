"""Factors from who a vessel is: links to list records, linking's identity flags, what its
MMSI and IMO number say, and the identity events of the behaviour detectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.behaviour.events import Event
from sanctionwatch.linking.model import IdentityFlag, Link
from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.risk.evidence import (
    Evidence,
    Factor,
    capped,
    event_evidence,
    identity_evidence,
    listing,
    per_event,
    when,
)
from sanctionwatch.risk.params import RiskParams

DPRK_MID = 445  # ITU-R M.585: the Democratic People's Republic of Korea
DPRK = "kp"
MS_PER_DAY = 86_400_000

# Which links make which factor. A link via IMO or MMSI is the listed ship itself.
LINK_FACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sanctioned_identity", ("imo", "mmsi")),
    ("sanctioned_name", ("name", "former_name")),
    ("sanctioned_owner", ("owner",)),
)
DECISIVE_VIAS = ("imo", "mmsi")
CHANGE_KINDS = ("name_change", "callsign_change", "imo_change", "flag_change", "mmsi_change")
SHARED_KINDS = ("shared_mmsi", "imo_clone")
CITED_KINDS = ("event", "list_record", "identity")  # the evidence kinds of the contract


def link_factors(links: Sequence[Link], params: RiskParams) -> list[Factor]:
    """One factor per kind of link: the most confident link's points, every link cited."""
    out = []
    for name, vias in LINK_FACTORS:
        chosen = [link for link in links if link.via in vias]
        if not chosen:
            continue
        best = max(link.confidence for link in chosen)
        reasons = []
        evidence: list[Evidence] = []
        for link in chosen:
            said = (
                f"{link.caption} ({link.list} record {link.record}) via {link.via},"
                f" confidence {link.confidence:.2f}: {link.reason}"
            )
            if link.laundering and link.laundering not in link.reason:
                said += f"; broadcast under another identity: {link.laundering}"
            reasons.append(said)
            evidence += _link_evidence(link, evidence)
        out.append(
            Factor(
                name, round(params[name]["points"] * best, 2), "; ".join(reasons), tuple(evidence)
            )
        )
    return out


def _link_evidence(link: Link, already: list[Evidence]) -> list[Evidence]:
    """The link's own evidence of the contract's kinds (the screening explanation stays in
    the link), with the list record made up from the link when its evidence has none."""
    found = [e for e in link.evidence if e.get("kind") in CITED_KINDS]
    if not any(e["kind"] == "list_record" for e in found):
        found.append(
            {
                "kind": "list_record",
                "list": link.list,
                "record": link.record,
                "entity_id": link.entity_id,
            }
        )
    return [e for e in found if e not in already]


def is_decisive(links: Sequence[Link]) -> bool:
    """A link via IMO or MMSI puts the vessel at high whatever its score."""
    return any(link.via in DECISIVE_VIAS for link in links)


def flag_factor(flags: Sequence[IdentityFlag], params: RiskParams) -> list[Factor]:
    if not flags:
        return []
    reason = "; ".join(f"{flag.kind}: {flag.reason}" for flag in flags)
    evidence = tuple(e for flag in flags for e in flag.evidence)
    return [Factor("identity_flag", params["identity_flag"]["points"], reason, evidence)]


def identity_factors(
    mmsi: int,
    summary: dict[str, Any],
    identity_events: Sequence[Event],
    data_end_ms: int,
    params: RiskParams,
) -> list[Factor]:
    """DPRK flag, unallocated or contradicted MID, invalid IMO, shared MMSI and identity
    changes, from the MMSI's digits, the summary's IMO and flag, and identity events."""
    info = mmsi_info(mmsi)
    mid_flags = {flag.lower() for flag in info.flags}
    given_flag = summary.get("flag")
    kinds = [_kinds(event) for event in identity_events]
    out: list[Factor] = []

    # DPRK: the MID, a DPRK flag given for the vessel, or a flag change from or to it.
    dprk: list[Evidence] = []
    said: list[str] = []
    if info.mid == DPRK_MID:
        dprk.append(identity_evidence(mmsi, "mmsi", mmsi, mid=info.mid, flag=DPRK))
        said.append(f"MMSI {mmsi} has the DPRK's MID {DPRK_MID}")
    if isinstance(given_flag, str) and given_flag.lower() == DPRK:
        dprk.append(identity_evidence(mmsi, "flag", given_flag))
        said.append("flag given as the DPRK's")
    for event, found in zip(identity_events, kinds, strict=True):
        flag_change = (event.details.get("changed") or {}).get("flag") or {}
        if "flag_change" in found and DPRK in {str(v).lower() for v in flag_change.values()}:
            dprk.append(event_evidence(event))
            said.append(
                f"flag changed {flag_change.get('from')} -> {flag_change.get('to')}"
                f" at {when(event)}"
            )
    if dprk:
        out.append(Factor("dprk_flag", params["dprk_flag"]["points"], "; ".join(said), tuple(dprk)))

    # An MID allocated to no state (or an MMSI fitting no station pattern).
    unallocated = [
        event_evidence(e)
        for e, k in zip(identity_events, kinds, strict=True)
        if "unallocated_mid" in k
    ]
    if info.problem:
        unallocated.append(identity_evidence(mmsi, "mmsi", mmsi, problem=info.problem))
    if unallocated:
        reason = info.problem or f"MMSI {mmsi}: the MID is allocated to no state"
        out.append(
            Factor(
                "unallocated_mid", params["unallocated_mid"]["points"], reason, tuple(unallocated)
            )
        )

    # A flag given for the vessel that its MID does not imply.
    if isinstance(given_flag, str) and mid_flags and given_flag.lower() not in mid_flags:
        reason = (
            f"flag given as {given_flag}, but MID {info.mid} of MMSI {mmsi} is"
            f" {info.allocated_to}'s ({'/'.join(sorted(mid_flags))})"
        )
        evidence = (
            identity_evidence(mmsi, "flag", given_flag),
            identity_evidence(mmsi, "mmsi", mmsi, mid=info.mid, flag="/".join(sorted(mid_flags))),
        )
        out.append(Factor("mid_mismatch", params["mid_mismatch"]["points"], reason, evidence))

    # An IMO number whose check digit is wrong.
    bad_imo = [
        event_evidence(e) for e, k in zip(identity_events, kinds, strict=True) if "invalid_imo" in k
    ]
    imo = summary.get("imo")
    if imo is not None and not is_ship_imo(str(imo)):
        bad_imo.append(identity_evidence(mmsi, "imo", imo, imo_valid=False))
    if bad_imo:
        reason = (
            f"IMO {imo} has a wrong check digit"
            if imo is not None and not is_ship_imo(str(imo))
            else "an IMO number with a wrong check digit was broadcast"
        )
        out.append(Factor("invalid_imo", params["invalid_imo"]["points"], reason, tuple(bad_imo)))

    shared = [e for e, k in zip(identity_events, kinds, strict=True) if k & set(SHARED_KINDS)]
    if shared:
        what = "times one MMSI or IMO used by two ships at once"
        out.append(per_event("shared_mmsi", params, shared, what, _kind_at))

    changes = [e for e, k in zip(identity_events, kinds, strict=True) if k & set(CHANGE_KINDS)]
    if changes:
        out.append(_changes(changes, data_end_ms, params["identity_changes"]))
    return out


def _changes(changes: list[Event], data_end_ms: int, table: dict[str, float]) -> Factor:
    recent_ms = table["recent_days"] * MS_PER_DAY
    recent = [data_end_ms - event.start_ms <= recent_ms for event in changes]
    points = [table["points"] * (1.0 if new else table["older_share"]) for new in recent]

    def said(index: int) -> str:
        event = changes[index]
        reasons = event.details.get("reasons") or [event.details.get("kind")]
        what = "/".join(k for k in reasons if k in CHANGE_KINDS) or event.details.get("kind")
        return f"{what} at {when(event)}{'' if recent[index] else ' (older)'}"

    reason = (
        f"{len(changes)} identity changes ({sum(recent)} within {table['recent_days']:g} days"
        f" of the end of the data): {listing(range(len(changes)), said)}"
    )
    return capped("identity_changes", table, points, reason, map(event_evidence, changes))


def _kind_at(event: Event) -> str:
    return f"{event.details.get('kind')} at {when(event)}"


def _kinds(event: Event) -> set[str]:
    """Everything one identity event reports: its kind and its reasons."""
    found = {str(event.details.get("kind"))}
    found.update(str(r) for r in event.details.get("reasons") or ())
    return found


__all__ = ["flag_factor", "identity_factors", "is_decisive", "link_factors"]
