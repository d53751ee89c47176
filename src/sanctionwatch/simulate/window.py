"""One time window of the run: every vessel's reports, with noise, quantised, received or not.

Position noise: the transmitted position is the true one plus Gaussian noise of
``POSITION_SIGMA_M`` metres per axis (a GNSS receiver's scatter); SOG gets 0.1 kn, COG 1
degree (5 when slower than 2 kn), heading 1 degree. Moored and anchored ships report COG
at random, as real ones do when GNSS jitter is all that moves. Values are then quantised
to what AIS carries (1/10000 minute, 0.1 kn, 0.1 degree, whole degrees), so decoding a
sentence gives back exactly the row of ``positions.parquet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate import hashing
from sanctionwatch.simulate.motion import evaluate, report_times, static_times
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.reception import Reception

POSITION_SIGMA_M = 3.0
AIS_DEGREE_UNITS = 600_000.0  # 1/10000 minute

NOISE = 21  # hash stream of the per-report noise

Columns = dict[str, npt.NDArray[Any]]


@dataclass
class PlanIndex:
    """Per-vessel lookup arrays for identities and voyages (built once per run)."""

    identity_times: npt.NDArray[np.int64]
    identity_mmsi: npt.NDArray[np.int64]
    voyage_times: npt.NDArray[np.int64]

    @classmethod
    def of(cls, plan: VesselPlan) -> PlanIndex:
        voyages = plan.voyages or []
        return cls(
            identity_times=np.array([t for t, _ in plan.identities], dtype=np.int64),
            identity_mmsi=np.array([i.mmsi for _, i in plan.identities], dtype=np.int64),
            voyage_times=np.array([t for t, _ in voyages], dtype=np.int64),
        )

    def identity(self, t: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.asarray(
            np.maximum(np.searchsorted(self.identity_times, t, side="right") - 1, 0), dtype=np.int64
        )

    def voyage(self, t: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        if self.voyage_times.size == 0:
            return np.full(t.size, -1, dtype=np.int64)
        return np.asarray(
            np.maximum(np.searchsorted(self.voyage_times, t, side="right") - 1, 0), dtype=np.int64
        )


@dataclass
class Window:
    """Reports transmitted in [start, end): positions and static messages, time-ordered."""

    start: int
    end: int
    positions: Columns
    statics: Columns


def _order(ts: npt.NDArray[np.int64], vessel: npt.NDArray[np.int32]) -> npt.NDArray[np.intp]:
    return np.lexsort((vessel, ts))


def generate_window(
    plans: list[VesselPlan],
    indexes: list[PlanIndex],
    start: int,
    end: int,
    seed: int,
    reception: Reception,
) -> Window:
    """All reports transmitted in [start, end) by all vessels (see the module docstring)."""
    parts: dict[str, list[npt.NDArray[Any]]] = {
        key: []
        for key in (
            "vessel",
            "ts",
            "lat",
            "lon",
            "sog",
            "cog",
            "heading",
            "nav_status",
            "identity",
            "voyage",
            "class_b",
            "stationary",
        )
    }
    static_parts: dict[str, list[npt.NDArray[Any]]] = {
        key: [] for key in ("vessel", "ts", "lat", "lon", "identity", "voyage", "class_b")
    }
    for plan, index in zip(plans, indexes, strict=True):
        vessel = plan.spec.index
        t, owner = report_times(plan, start, end, seed)
        class_b = plan.spec.ais_class == "B"
        if t.size:
            state = evaluate(plan, t, owner)
            parts["vessel"].append(np.full(t.size, vessel, dtype=np.int32))
            parts["ts"].append(t)
            parts["lat"].append(state.lat)
            parts["lon"].append(state.lon)
            parts["sog"].append(state.sog)
            parts["cog"].append(state.cog)
            parts["heading"].append(state.heading)
            parts["nav_status"].append(state.nav_status)
            parts["identity"].append(index.identity(t))
            parts["voyage"].append(index.voyage(t))
            parts["class_b"].append(np.full(t.size, class_b))
            parts["stationary"].append(np.isnan(state.cog))
        t, owner = static_times(plan, start, end, seed)
        if t.size:
            state = evaluate(plan, t, owner)
            static_parts["vessel"].append(np.full(t.size, vessel, dtype=np.int32))
            static_parts["ts"].append(t)
            static_parts["lat"].append(state.lat)
            static_parts["lon"].append(state.lon)
            static_parts["identity"].append(index.identity(t))
            static_parts["voyage"].append(index.voyage(t))
            static_parts["class_b"].append(np.full(t.size, class_b))
    positions = _positions(parts, indexes, seed, reception)
    statics = _statics(static_parts, indexes, reception)
    return Window(start, end, positions, statics)


def _cat(parts: list[npt.NDArray[Any]], dtype: type[np.generic]) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _mmsi(
    vessel: npt.NDArray[np.int32], identity: npt.NDArray[np.int64], indexes: list[PlanIndex]
) -> npt.NDArray[np.int64]:
    mmsi = np.empty(vessel.size, dtype=np.int64)
    for v in np.unique(vessel):
        rows = vessel == v
        mmsi[rows] = indexes[int(v)].identity_mmsi[identity[rows]]
    return mmsi


def _positions(
    parts: dict[str, list[npt.NDArray[Any]]],
    indexes: list[PlanIndex],
    seed: int,
    reception: Reception,
) -> Columns:
    vessel = _cat(parts["vessel"], np.int32)
    ts = _cat(parts["ts"], np.int64)
    order = _order(ts, vessel)
    vessel, ts = vessel[order], ts[order]
    lat = _cat(parts["lat"], np.float64)[order]
    lon = _cat(parts["lon"], np.float64)[order]
    sog = _cat(parts["sog"], np.float64)[order]
    cog = _cat(parts["cog"], np.float64)[order]
    heading = _cat(parts["heading"], np.float64)[order]
    nav_status = _cat(parts["nav_status"], np.int8)[order]
    identity = _cat(parts["identity"], np.int64)[order]
    voyage = _cat(parts["voyage"], np.int64)[order]
    class_b = _cat(parts["class_b"], np.bool_)[order]
    stationary = _cat(parts["stationary"], np.bool_)[order]

    u = hashing.streams(seed, NOISE, 7, vessel, ts)
    north, east = hashing.normal_pair(u[0], u[1])
    sog_noise, cog_noise = hashing.normal_pair(u[2], u[3])
    heading_noise, _ = hashing.normal_pair(u[4], u[5])
    north = north * POSITION_SIGMA_M
    east = east * POSITION_SIGMA_M
    lat = lat + north / 111_195.0
    lon = lon + east / (111_195.0 * np.cos(np.radians(lat)))
    lat = np.round(lat * AIS_DEGREE_UNITS) / AIS_DEGREE_UNITS
    lon = np.round(lon * AIS_DEGREE_UNITS) / AIS_DEGREE_UNITS

    # Moored and anchored ships show GNSS jitter of 0.0-0.1 kn, never the 0.2 kn that
    # GFW's port-visit rule reads as moving.
    sog = np.where(stationary, np.minimum(np.abs(sog_noise) * 0.04, 0.1), sog + sog_noise * 0.1)
    sog = np.clip(np.round(sog * 10) / 10, 0.0, 102.2)

    cog_sigma = np.where(sog < 2.0, 5.0, 1.0)
    noisy_cog = cog + cog_noise * cog_sigma
    random_cog = u[6] * 360.0
    cog = np.where(stationary, random_cog, noisy_cog)
    cog = (np.round(cog * 10) / 10) % 360.0

    heading = np.round(heading + heading_noise) % 360
    heading = np.where(class_b, -1, heading)
    nav_status = np.where(class_b, -1, nav_status).astype(np.int8)

    received, station, second = reception.receive(lat, lon, ts, vessel.astype(np.int64))
    return {
        "vessel": vessel,
        "mmsi": _mmsi(vessel, identity, indexes),
        "ts": ts,
        "lat": lat,
        "lon": lon,
        "sog": sog.astype(np.float32),
        "cog": cog.astype(np.float32),
        "heading": heading.astype(np.int16),
        "nav_status": nav_status,
        "msg_type": np.where(class_b, 18, 1).astype(np.int8),
        "received": received,
        "station": station,
        "second_station": second,
        "identity": identity,
        "voyage": voyage,
    }


def _statics(
    parts: dict[str, list[npt.NDArray[Any]]],
    indexes: list[PlanIndex],
    reception: Reception,
) -> Columns:
    vessel = _cat(parts["vessel"], np.int32)
    ts = _cat(parts["ts"], np.int64)
    order = _order(ts, vessel)
    vessel, ts = vessel[order], ts[order]
    lat = _cat(parts["lat"], np.float64)[order]
    lon = _cat(parts["lon"], np.float64)[order]
    identity = _cat(parts["identity"], np.int64)[order]
    received, station, second = reception.receive(lat, lon, ts, vessel.astype(np.int64))
    return {
        "vessel": vessel,
        "mmsi": _mmsi(vessel, identity, indexes),
        "ts": ts,
        "identity": identity,
        "voyage": _cat(parts["voyage"], np.int64)[order],
        "class_b": _cat(parts["class_b"], np.bool_)[order],
        "received": received,
        "station": station,
        "second_station": second,
    }
