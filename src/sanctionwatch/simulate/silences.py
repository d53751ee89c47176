"""Gaps and coverage gaps, found by following every MMSI through the windows as they stream.

A gap is what a detector with perfect reception would see: a silence of 6 h or more between
two transmissions on one MMSI, whatever its cause (transponder off, identity switched to
another MMSI, MMSI changed for good). A coverage gap is a silence of 1 h or more between two
*received* reports while the vessel kept transmitting (a receiver hole): never a dark period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate.land import LandMask
from sanctionwatch.simulate.motion import state_at
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.scenario import CoverageHole
from sanctionwatch.simulate.truth import TruthEvent, iso

HOUR = 3600
GAP_S = 6 * HOUR
COVERAGE_GAP_S = HOUR


def shore_nm(mask: LandMask, lat: float, lon: float) -> float:
    """Nautical miles from (lat, lon) to the nearest coast point."""
    distance = mask.distance_to_shore_m(np.array([lat]), np.array([lon]))[0]
    return round(float(distance) / 1852.0, 1)


@dataclass
class _MmsiState:
    last_tx: int
    last_tx_vessel: int
    last_tx_lat: float
    last_tx_lon: float
    last_rx: int | None
    last_rx_lat: float
    last_rx_lon: float
    unreceived: int


class SilenceTracker:
    """Follows every MMSI through the windows and records gaps and coverage gaps."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.state: dict[int, _MmsiState] = {}
        self.gaps: list[tuple[int, int, int | None, int, float, float, float, float]] = []
        self.coverage: list[tuple[int, int, int | None, int, float, float, int]] = []

    def update(self, positions: dict[str, npt.NDArray[Any]]) -> None:
        mmsi = positions["mmsi"]
        if mmsi.size == 0:
            return
        order = np.lexsort((positions["ts"], mmsi))
        mmsi = mmsi[order]
        ts = positions["ts"][order]
        vessel = positions["vessel"][order]
        lat = positions["lat"][order]
        lon = positions["lon"][order]
        received = positions["received"][order]
        bounds = np.flatnonzero(np.diff(mmsi)) + 1
        for group in np.split(np.arange(mmsi.size), bounds):
            self._group(
                int(mmsi[group[0]]),
                ts[group],
                vessel[group],
                lat[group],
                lon[group],
                received[group],
            )

    def _group(
        self,
        mmsi: int,
        ts: npt.NDArray[np.int64],
        vessel: npt.NDArray[np.int32],
        lat: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        received: npt.NDArray[np.bool_],
    ) -> None:
        state = self.state.get(mmsi)
        if state is not None:
            prev_ts = np.concatenate([[state.last_tx], ts[:-1]])
            prev_vessel = np.concatenate([[state.last_tx_vessel], vessel[:-1]])
            prev_lat = np.concatenate([[state.last_tx_lat], lat[:-1]])
            prev_lon = np.concatenate([[state.last_tx_lon], lon[:-1]])
            rows = np.arange(ts.size)
        else:
            prev_ts, prev_vessel, prev_lat, prev_lon = ts[:-1], vessel[:-1], lat[:-1], lon[:-1]
            rows = np.arange(1, ts.size)
        for i in np.flatnonzero(ts[rows] - prev_ts >= GAP_S):
            row = int(rows[i])
            self.gaps.append(
                (
                    mmsi,
                    int(prev_ts[i]),
                    int(ts[row]),
                    int(prev_vessel[i]),
                    float(prev_lat[i]),
                    float(prev_lon[i]),
                    float(lat[row]),
                    float(lon[row]),
                )
            )
        # Coverage: silences between received reports with transmissions in between.
        last_rx = state.last_rx if state else None
        rx_lat = state.last_rx_lat if state else 0.0
        rx_lon = state.last_rx_lon if state else 0.0
        unreceived = state.unreceived if state else 0
        got = np.flatnonzero(received)
        position = 0
        for row in got.tolist():
            unreceived += row - position
            position = row + 1
            t = int(ts[row])
            if last_rx is not None and unreceived > 0 and t - last_rx >= COVERAGE_GAP_S:
                self.coverage.append(
                    (mmsi, last_rx, t, int(vessel[row]), rx_lat, rx_lon, unreceived)
                )
            last_rx, rx_lat, rx_lon, unreceived = t, float(lat[row]), float(lon[row]), 0
        unreceived += ts.size - position
        self.state[mmsi] = _MmsiState(
            int(ts[-1]),
            int(vessel[-1]),
            float(lat[-1]),
            float(lon[-1]),
            last_rx,
            rx_lat,
            rx_lon,
            unreceived,
        )

    def finish(self, end: int) -> None:
        """Close the run: silences still going at ``end`` become open events."""
        self.end = end
        for mmsi, state in self.state.items():
            if end - state.last_tx >= GAP_S:
                self.gaps.append(
                    (
                        mmsi,
                        state.last_tx,
                        None,
                        state.last_tx_vessel,
                        state.last_tx_lat,
                        state.last_tx_lon,
                        float("nan"),
                        float("nan"),
                    )
                )
            if (
                state.unreceived
                and state.last_rx is not None
                and end - state.last_rx >= COVERAGE_GAP_S
            ):
                self.coverage.append(
                    (
                        mmsi,
                        state.last_rx,
                        None,
                        state.last_tx_vessel,
                        state.last_rx_lat,
                        state.last_rx_lon,
                        state.unreceived,
                    )
                )

    def gap_events(self, plans: list[VesselPlan], mask: LandMask) -> list[TruthEvent]:
        events = []
        for mmsi, t0, t1, vessel, lat, lon, end_lat, end_lon in self.gaps:
            plan = plans[vessel]
            until = t1 if t1 is not None else self.end
            causes = [
                {
                    "cause": "transponder off",
                    "reason": p.reason,
                    "off": iso(p.start),
                    "on": iso(p.end),
                    **p.details,
                }
                for p in plan.dark
                if p.start < until and p.end > t0
            ]
            switched = [
                {"cause": "identity switched", "mmsi_used": who.mmsi, "from": iso(since)}
                for since, who in plan.identities
                if t0 < since < until and who.mmsi != mmsi
            ]
            start_shore = shore_nm(mask, lat, lon)
            silent = ((t1 if t1 is not None else self.end) - t0) / HOUR
            details: dict[str, Any] = {
                "vessel": plan.spec.key,
                "duration_h": round(silent, 2) if t1 is not None else None,
                "silent_h_at_end_of_run": round(silent, 2) if t1 is None else None,
                "start_distance_from_shore_nm": start_shore,
                "gfw_likely_disabling": bool(silent >= 12 and start_shore >= 50),
                "causes": causes + switched or [{"cause": "unexplained"}],
            }
            if t1 is not None:
                details.update(end_lat=round(end_lat, 6), end_lon=round(end_lon, 6))
            events.append(TruthEvent("gap", mmsi, t0, t1, lat, lon, details=details))
        return events

    def coverage_events(
        self, plans: list[VesselPlan], holes: list[CoverageHole]
    ) -> list[TruthEvent]:
        events = []
        for mmsi, t0, t1, vessel, lat, lon, missed in self.coverage:
            middle = t0 + ((t1 if t1 is not None else t0 + 2 * HOUR) - t0) // 2
            where = state_at(plans[vessel], np.array([middle], dtype=np.int64))
            names = [
                hole.name
                for hole in holes
                if hole.contains(where.lat, where.lon, np.array([middle]))[0]
            ]
            events.append(
                TruthEvent(
                    "coverage_gap",
                    mmsi,
                    t0,
                    t1,
                    lat,
                    lon,
                    details={
                        "vessel": plans[vessel].spec.key,
                        "duration_h": round((t1 - t0) / HOUR, 2) if t1 is not None else None,
                        "positions_not_received": missed,
                        "holes": names,
                        "note": "the vessel kept transmitting; nothing was received "
                        "(not a dark period)",
                    },
                )
            )
        return events
