"""Identity changes from CSV input are timed to the first row that shows them.

A CSV row repeats its vessel's identity columns; the reader reads blocks of about 100,000
rows. These tests check that the identity history is a sequence of runs in time order per
vessel, whatever the block size: a name that goes A -> B -> A is three rows, each starting
at the first message that showed it, within one block and across a block boundary.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sanctionwatch.ais import csv_formats
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write

START = datetime(2024, 3, 1, tzinfo=UTC)
MC_HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)
MINUTE = 60_000
T0 = int(START.timestamp() * 1000)


def dma_at(minute: int) -> str:
    return (START + timedelta(minutes=minute)).strftime("%d/%m/%Y %H:%M:%S")


def mc_row(minute: int, mmsi: int, name: str, draught: str = "6.1") -> str:
    ts = (START + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{mmsi},{ts},42.5,131.5,10.0,90.0,90,{name},IMO9179842,UBRH7,70,0,110,18,{draught},,A"


def history(store: PositionStore, mmsi: int) -> list[tuple[str | None, int, int]]:
    """(name, first seen, last seen), minutes from START, oldest first."""
    return [
        (r.name, (r.first_seen - T0) // MINUTE, (r.last_seen - T0) // MINUTE)
        for r in store.identities(mmsi=mmsi)
    ]


def test_a_name_that_reverts_within_one_block_is_three_runs(tmp_path: Path) -> None:
    # ANGARA every 10 minutes, BRAVO from 02:00 to 02:50, ANGARA again from 03:00; a second
    # vessel interleaved, and the file not quite in time order (a receiver's late rows).
    identity = {"imo": "9179842", "callsign": "UBRH7", "type": "Cargo"}
    rows = []
    for minute in range(0, 300, 10):
        name = "BRAVO" if 120 <= minute < 180 else "ANGARA"
        rows.append(dma_row(dma_at(minute), "273000020", "42.5", "131.5", name=name, **identity))
        rows.append(dma_row(dma_at(minute + 1), "273000021", "42.0", "131.0", name="OTHER"))
    rows[10], rows[12] = rows[12], rows[10]  # minutes 50 and 60 swapped in the file
    path = write(tmp_path / "dma.csv", [DMA_HEADER, *rows])
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(path))
    assert history(store, 273000020) == [
        ("ANGARA", 0, 110),
        ("BRAVO", 120, 170),
        ("ANGARA", 180, 290),
    ]
    assert history(store, 273000021) == [("OTHER", 1, 291)]
    # Where each run was first seen: the file line of its first message (header = line 1).
    sources = [r.first_source for r in store.identities(mmsi=273000020)]
    assert sources == [f"{path}:{2}", f"{path}:{2 + 24}", f"{path}:{2 + 36}"]
    # The same file again changes nothing.
    ingest_file(store, Source(path))
    assert history(store, 273000020) == [
        ("ANGARA", 0, 110),
        ("BRAVO", 120, 170),
        ("ANGARA", 180, 290),
    ]


def test_changes_across_a_block_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # MarineCadastre layout, blocks of about four rows: the first block ends inside a run
    # of BRAVO, which goes on in the second block, and the second block changes back and
    # forth (ANGARA at 40-50, BRAVO again at 60).
    monkeypatch.setattr(csv_formats, "BLOCK_BYTES", 4 * len(mc_row(0, 273000030, "ANGARA")))
    names = ["ANGARA", "ANGARA", "BRAVO", "BRAVO", "BRAVO", "ANGARA", "ANGARA", "BRAVO"]
    rows = [mc_row(10 * k, 273000030, name) for k, name in enumerate(names)]
    path = write(tmp_path / "mc.csv", [MC_HEADER, *rows])
    store = open_store(tmp_path / "home")
    counts = ingest_file(store, Source(path))
    assert counts.accepted == 8
    assert history(store, 273000030) == [
        ("ANGARA", 0, 10),
        ("BRAVO", 20, 40),  # one run across the boundary
        ("ANGARA", 50, 60),
        ("BRAVO", 70, 70),
    ]


def test_draught_back_and_forth_inside_a_block_keeps_its_times(tmp_path: Path) -> None:
    # The draught goes 6.1 -> 8.4 -> 6.1 inside one block: the loading is at 00:30, the
    # discharge at 01:30 (the draught_change detector reads these times).
    rows = [
        mc_row(minute, 273000031, "ANGARA", "8.4" if 30 <= minute < 90 else "6.1")
        for minute in range(0, 150, 10)
    ]
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(write(tmp_path / "mc.csv", [MC_HEADER, *rows])))
    draughts = [
        (r.draught, (r.first_seen - T0) // MINUTE, (r.last_seen - T0) // MINUTE)
        for r in store.identities(mmsi=273000031)
    ]
    assert draughts == [(6.1, 0, 20), (8.4, 30, 80), (6.1, 90, 140)]


def test_a_later_file_continues_the_history(tmp_path: Path) -> None:
    # File 1 ends with BRAVO; file 2 goes on with BRAVO, then back to ANGARA: BRAVO's row
    # is widened, not repeated, and the return to ANGARA starts at its first message.
    first = [mc_row(m, 273000032, "ANGARA" if m < 60 else "BRAVO") for m in range(0, 120, 10)]
    second = [
        mc_row(m, 273000032, "ANGARA" if 150 <= m < 170 else "BRAVO") for m in range(120, 240, 10)
    ]
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(write(tmp_path / "one.csv", [MC_HEADER, *first])))
    ingest_file(store, Source(write(tmp_path / "two.csv", [MC_HEADER, *second])))
    assert history(store, 273000032) == [
        ("ANGARA", 0, 50),
        ("BRAVO", 60, 140),
        ("ANGARA", 150, 160),
        ("BRAVO", 170, 230),
    ]
