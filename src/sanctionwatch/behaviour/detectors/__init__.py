"""The registered detectors, by event type."""

from __future__ import annotations

from sanctionwatch.behaviour.detectors import (
    draught_change,
    encounter,
    gap,
    identity,
    loitering,
    port_call,
)
from sanctionwatch.behaviour.detectors.base import Detector

DETECTORS: dict[str, Detector] = {
    detector.name: detector
    for detector in (
        gap.DETECTOR,
        encounter.DETECTOR,
        loitering.DETECTOR,
        port_call.DETECTOR,
        draught_change.DETECTOR,
        identity.DETECTOR,
    )
}
