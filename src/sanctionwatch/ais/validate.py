"""Checks every position must pass before it is stored; each failure has its own reason.

Vectorised over a chunk's columns. The reason strings are stable (the quarantine and the
ingest summary group by them); the detail (the offending value) goes in the reason too,
since an analyst reading the quarantine wants to see it without opening the input.
"""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt

from sanctionwatch.ais.model import Columns, Rejected

EARLIEST_MS = 631_152_000_000  # 1990-01-01T00:00:00Z: AIS did not exist before
FUTURE_TOLERANCE_MS = 3_600_000  # receiver clocks run fast; an hour ahead is still "now"


def check_positions(
    positions: Columns, lines_text: dict[int, str] | None = None, now_ms: int | None = None
) -> tuple[npt.NDArray[np.bool_], list[Rejected]]:
    """Which rows are usable positions, and a :class:`Rejected` for each one that is not.

    ``lines_text`` maps a line number to the input text, when the reader kept it; the
    rejection then carries the text, else a rendering of the decoded values.
    """
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    mmsi = positions["mmsi"]
    ts = positions["ts"]
    lat = positions["lat"]
    lon = positions["lon"]
    checks: list[tuple[str, npt.NDArray[np.bool_]]] = [
        ("MMSI is not 9 digits", (mmsi < 100_000_000) | (mmsi > 999_999_999)),
        ("position not available: latitude 91 or longitude 181", (lat == 91) | (lon == 181)),
        (
            "impossible coordinates",
            ~np.isfinite(lat) | ~np.isfinite(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180),
        ),
        ("position 0,0 (no fix)", (lat == 0) & (lon == 0)),
        ("timestamp before 1990", ts < EARLIEST_MS),
        ("timestamp in the future", ts > now_ms + FUTURE_TOLERANCE_MS),
    ]
    bad = np.zeros(len(mmsi), dtype=bool)
    rejected: list[Rejected] = []
    for reason, hit in checks:
        new = hit & ~bad
        if new.any():
            bad |= new
            for i in np.flatnonzero(new).tolist():
                line = int(positions["line"][i])
                text = (lines_text or {}).get(line) or _render(positions, i)
                rejected.append(Rejected(line, _detail(reason, positions, i), text))
    rejected.sort(key=lambda r: r.line)
    return ~bad, rejected


def _detail(reason: str, positions: Columns, i: int) -> str:
    if reason.startswith("MMSI"):
        return f"{reason}: {int(positions['mmsi'][i])}"
    if reason.startswith("timestamp"):
        stamp = np.datetime64(int(positions["ts"][i]), "ms")
        return f"{reason}: {stamp}Z"
    if reason == "impossible coordinates":
        return f"{reason}: lat {positions['lat'][i]}, lon {positions['lon'][i]}"
    return reason


def _render(positions: Columns, i: int) -> str:
    return ",".join(f"{name}={positions[name][i]}" for name in ("mmsi", "ts", "lat", "lon"))
