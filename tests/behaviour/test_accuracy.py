"""The accuracy rules' notion of what the received AIS can show (behaviour/accuracy.py)."""

from __future__ import annotations

from typing import Any

from sanctionwatch.behaviour.accuracy import visible


def call(seen_minutes: float | None, ais_visible: bool = True) -> dict[str, Any]:
    details: dict[str, Any] = {"ais_visible": ais_visible}
    if seen_minutes is not None:
        details["seen_minutes"] = seen_minutes
    return {"type": "port_call", "details": details}


def test_a_call_cut_to_less_than_the_stop_a_call_needs_is_not_visible() -> None:
    # A port call needs 30 minutes still (port_call.min_stop_minutes): a truth call of which
    # the run holds 22 minutes (it began 22 minutes before the end) cannot be shown yet.
    assert visible(call(22.0)) is False
    assert visible(call(45.0)) is True
    assert visible(call(45.0, ais_visible=False)) is False
    # Truth files written before seen_minutes existed keep their old meaning.
    assert visible(call(None)) is True
