"""Factors from what a vessel did at sea: going dark, port calls at DPRK ports and on the
documented route, loitering in known transfer areas, and draught changes soon after a
meeting or a dark period (cargo moved out of sight)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from sanctionwatch.behaviour.events import Event
from sanctionwatch.geo.units import hours_ms
from sanctionwatch.risk.evidence import Factor, capped, event_evidence, listing, per_event, when
from sanctionwatch.risk.params import RiskParams
from sanctionwatch.risk.zones import Zone, zones_at

DPRK_COUNTRY = "KP"


def dark(gap: Event) -> bool:
    """A gap that is the vessel's silence, not a receiver's (an outage silences many)."""
    return not gap.details.get("probable_reception_outage")


def gap_factors(gaps: Sequence[Event], params: RiskParams) -> list[Factor]:
    out = []
    disabling = [g for g in gaps if dark(g) and g.details.get("likely_disabling")]
    if disabling:
        what = "likely disablings of AIS (12 h or more, starting 50 nm or more from shore)"
        out.append(per_event("dark_gap", params, disabling, what, _timed))
    port_calls = [g for g in gaps if dark(g) and g.details.get("likely_dark_port_call")]
    if port_calls:
        what = "likely dark port calls at watched ports"
        out.append(per_event("dark_port_call", params, port_calls, what, _dark_call))
    return out


def port_call_factors(calls: Sequence[Event], params: RiskParams) -> list[Factor]:
    out = []
    dprk = [c for c in calls if _in_dprk(c)]
    if dprk:
        out.append(per_event("dprk_port_call", params, dprk, "port calls in the DPRK", _port_call))
    route = [c for c in calls if c.details.get("watched") and not _in_dprk(c)]
    if route:
        what = "port calls at watched ports on the documented route"
        out.append(per_event("route_port_call", params, route, what, _port_call))
    return out


def _deliberate(gap: Event) -> bool:
    return bool(gap.details.get("likely_disabling") or gap.details.get("likely_dark_port_call"))


def _timed(event: Event) -> str:
    return f"{when(event)} ({event.details.get('hours', '?')} h)"


def _dark_call(gap: Event) -> str:
    return f"{gap.details['likely_dark_port_call']} at {when(gap)}"


def _port_call(call: Event) -> str:
    return f"{call.port} at {when(call)}"


def _loitering(found: tuple[Event, list[Zone]]) -> str:
    event, zones = found
    return f"{zones[0].name} at {when(event)} ({event.details.get('hours', '?')} h)"


def _in_dprk(call: Event) -> bool:
    return str(call.details.get("country") or "").upper() == DPRK_COUNTRY


def loitering_factor(
    loitering: Sequence[Event], zones: tuple[Zone, ...], params: RiskParams
) -> list[Factor]:
    inside = [(e, zones_at(e.lat, e.lon, zones)) for e in loitering]
    inside = [(e, found) for e, found in inside if found]
    if not inside:
        return []
    table = params["loitering_zone"]
    return [
        capped(
            "loitering_zone",
            table,
            [table["points"]] * len(inside),
            f"{len(inside)} times loitering in known ship-to-ship transfer areas:"
            f" {listing(inside, _loitering)}",
            (event_evidence(e) for e, _ in inside),
        )
    ]


def draught_factor(
    mmsi: int,
    changes: Sequence[Event],
    encounters: Sequence[Event],
    gaps: Sequence[Event],
    params: RiskParams,
) -> list[Factor]:
    """Draught changes first broadcast during or within ``within_hours`` after one of the
    vessel's encounters or dark gaps (a gap is over before the change can be broadcast; an
    encounter still going has no end). A dark gap: ``min_gap_hours`` or longer, or a likely
    disabling or dark port call, and no reception outage. A change the detector placed in
    port (``details.at_sea`` false) is trade, not a transfer. Each change cites itself and
    the latest such event."""
    if not changes:
        return []
    table = params["draught_after"]
    within_ms = hours_ms(table["within_hours"])
    windows = [(e.start_ms, e.end_ms, e) for e in encounters]
    min_gap_ms = hours_ms(table["min_gap_hours"])
    windows += [
        (g.start_ms, g.end_ms, g)
        for g in gaps
        if dark(g)
        and g.end_ms is not None
        and (g.end_ms - g.start_ms >= min_gap_ms or _deliberate(g))
    ]
    windows.sort(key=lambda w: w[0])
    starts = [w[0] for w in windows]
    # How far back a window can start and still reach a change (an open encounter: always).
    reach_ms = max((end - start for start, end, _ in windows if end is not None), default=0)
    if any(end is None for _, end, _ in windows):
        reach_ms = 2**62
    found = []
    for change in changes:
        if change.details.get("at_sea") is False:
            continue  # cargo handled in port is trade, whatever came before
        # The latest-starting window that began by the change and ended at most
        # within_hours before it, walking back from the last one that began by then.
        for index in range(bisect_right(starts, change.start_ms) - 1, -1, -1):
            start_ms, end_ms, event = windows[index]
            if start_ms + reach_ms + within_ms < change.start_ms:
                break
            if end_ms is None or change.start_ms <= end_ms + within_ms:
                found.append((change, event))
                break
    if not found:
        return []

    def said(pair: tuple[Event, Event]) -> str:
        change, before = pair
        if before.type == "encounter":
            other = before.other_mmsi if before.mmsi == mmsi else before.mmsi
            after = f"the encounter with {other} from {when(before)}"
        else:
            after = f"the dark gap from {when(before)}"
        return (
            f"{change.details.get('from_m', '?')} -> {change.details.get('to_m', '?')}"
            f" m at {when(change)}, after {after}"
        )

    evidence = [
        cited
        for change, before in found
        for cited in (event_evidence(change), event_evidence(before))
    ]
    return [
        capped(
            "draught_after",
            table,
            [table["points"]] * len(found),
            f"{len(found)} draught changes within {table['within_hours']:g} h of a meeting"
            f" or a dark period: {listing(found, said)}",
            evidence,
        )
    ]


__all__ = ["draught_factor", "gap_factors", "loitering_factor", "port_call_factors"]
