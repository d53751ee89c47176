"""The draught-change detector on hand-made identity histories."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.ais.store import PositionStore
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.geo.ports import find_port
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.test_gap import ms, store_with

IDENTITY = {"imo": "9179842", "name": "ANGARA", "callsign": "UBRH7", "type": "Cargo"}


def changes(store: PositionStore) -> list:
    return detect(DuckDBEngine(store), load_params(), None, ["draught_change"])


def rows(mmsi: str, where: tuple[float, float], draughts: list[tuple[str, str]]) -> list[str]:
    lat, lon = where
    return [
        dma_row(
            f"01/03/2024 {stamp}", mmsi, f"{lat:.4f}", f"{lon:.4f}", **IDENTITY, draught=draught
        )
        for stamp, draught in draughts
    ]


def test_loaded_in_port_and_discharged_at_sea(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctionwatch.ais.csv_formats as csv_module

    # Row by row, as NMEA is read (a CSV block groups equal identity rows first: see
    # docs/ais.md), so that the flapping below is seen as it happens.
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 150)
    rajin = find_port("Rajin")
    track = [
        *rows(
            "273000030",
            (rajin.lat - 0.01, rajin.lon),
            [("01:00:00", "4.4"), ("03:00:00", "4.4"), ("05:00:00", "6.6")],
        ),
        *rows("273000030", (40.5, 134.0), [("09:00:00", "6.6"), ("12:00:00", "4.5")]),
        # Two ships on one MMSI, one at 3.4 m, one at 7.5 m: flapping, not cargo.
        *rows(
            "273000031",
            (41.0, 133.0),
            [
                ("01:00:00", "3.4"),
                ("01:06:00", "7.5"),
                ("01:12:00", "3.4"),
                ("01:18:00", "7.5"),
                ("01:24:00", "3.4"),
            ],
        ),
        # Under the thresholds (0.3 m): no change.
        *rows("273000032", (40.0, 135.0), [("01:00:00", "5.0"), ("05:00:00", "5.3")]),
    ]
    found = changes(store_with(tmp_path, track))
    summary = [
        (e.mmsi, e.start_ms, e.port, e.details["cargo"], e.details["change_m"]) for e in found
    ]
    assert summary == [
        (273000030, ms("2024-03-01T05:00:00"), "Najin", "loaded", 2.2),
        (273000030, ms("2024-03-01T12:00:00"), None, "discharged", -2.1),
    ]
    assert found[1].details["at_sea"] is True and found[1].end_ms is None


def underway(
    mmsi: str, minutes: list[int], draught_at: dict[int, str], sog: str = "9.4"
) -> list[str]:
    """Sailing north at ``sog`` knots (about 0.03 degrees per 10 minutes), reporting at
    ``minutes`` after 00:00 on 1 March; the draught broadcast from each minute of
    ``draught_at`` on."""
    out, draught = [], ""
    for minute in minutes:
        draught = draught_at.get(minute, draught)
        day, hour, rest = 1 + minute // 1440, minute % 1440 // 60, minute % 60
        out.append(dma_row(f"{day:02d}/03/2024 {hour:02d}:{rest:02d}:00", mmsi,
                           f"{8.0 + minute * 0.0003:.4f}", "-79.9000", **IDENTITY,
                           draught=draught, sog=sog))  # fmt: skip
    return out


def test_a_draught_retyped_under_way_is_not_cargo(tmp_path: Path) -> None:
    # Real traffic (Panama, 2014): TAAGBORG broadcast 6.3 m, then 9.6 m at 9.4 kn in the
    # report that also changed its destination, never having stopped: a correction. Cargo
    # moves when the ship lies still or out of sight: one of the two must show in the 24 h
    # (since_max_hours) before the change. Here 26 h under way, in sight, before it.
    every_10 = list(range(0, 2880, 10))
    change = 1560  # 02:00 on 2 March
    rows = [
        *underway("273000040", every_10, {0: "6.3", change: "9.6"}),
        # The same, but silent for 2 h 10 min before the new draught: it may have loaded.
        *underway(
            "273000041",
            [m for m in every_10 if not 1430 < m < change],
            {0: "6.3", change: "9.6"},
        ),
    ]
    found = changes(store_with(tmp_path, rows))
    assert [e.mmsi for e in found] == [273000041]
    assert found[0].details["since_old_draught"] == {"slowest_kn": 9.4, "longest_silence_h": 2.17}
