"""The rajin scenario, written in all three formats, ingests back to the same positions.

End to end through ``ingest_file`` and the store (the reader-level check is in
tests/simulate/test_ingest_roundtrip.py): the two CSV stores hold exactly the received
positions; the NMEA store holds them less the sentences the generator corrupted on purpose,
and its duplicates (the same message heard by two stations) are skipped as duplicates.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.simulate import SimulationResult, simulate

# The documented shuttle vessels of the scenario (IMO numbers from the case notes).
SHUTTLE_IMOS = {9179842, 8517839, 9161003, 9358010}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(tmp_path_factory.mktemp("sim"), scenario="rajin", days=1, vessels=14, seed=3)


def ingest_all(home: Path, paths: list[Path]) -> tuple[PositionStore, list[IngestCounts]]:
    store = open_store(home)
    return store, [ingest_file(store, Source(path)) for path in paths]


def stored(store: PositionStore) -> dict[tuple[int, int], list[tuple[float, float]]]:
    """(mmsi, second) -> sorted positions: two ships may share an MMSI (the scenario's
    identity theft), so a key can hold two positions."""
    rows: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for path in store.part_files():
        table = pq.read_table(path, columns=["mmsi", "ts", "lat", "lon"])
        ts = (table.column("ts").cast("int64").to_numpy() // 1000).tolist()
        for key in zip(table.column("mmsi").to_pylist(), ts, table.column("lat").to_pylist(),
                       table.column("lon").to_pylist(), strict=True):  # fmt: skip
            rows.setdefault((key[0], key[1]), []).append((key[2], key[3]))
    return {key: sorted(value) for key, value in rows.items()}


def same_places(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    # MarineCadastre writes 5 decimals, DMA 6, NMEA 1/600,000 degree.
    return len(a) == len(b) and all(
        abs(p[0] - q[0]) <= 1e-5 and abs(p[1] - q[1]) <= 1e-5 for p, q in zip(a, b, strict=True)
    )


def test_three_formats_ingest_to_the_same_positions(
    generated: SimulationResult, tmp_path: Path
) -> None:
    truth = pq.read_table(generated.positions_path).to_pydict()
    received = sum(truth["received"])
    stores = {}
    for fmt in ("dma", "marinecadastre", "nmea"):
        store, counts = ingest_all(tmp_path / fmt, generated.files[fmt])
        stores[fmt] = store
        accepted = sum(c.accepted for c in counts)
        if fmt != "nmea":
            assert accepted == received
            assert sum(c.rejected + c.duplicates for c in counts) == 0
        else:
            lost = (
                generated.counts["nmea_corrupt_bad_checksum"]
                + generated.counts["nmea_corrupt_truncated"]
            )
            assert received - lost <= accepted < received
            assert sum(c.duplicates for c in counts) > 0  # heard twice, stored once
        vessels = {row.mmsi for row in store.identities()}
        imos = {row.imo for row in store.identities()}
        assert imos >= SHUTTLE_IMOS, fmt
        assert len(vessels) >= 12  # the whole cast identified itself

    dma = stored(stores["dma"])
    marinecadastre = stored(stores["marinecadastre"])
    assert marinecadastre.keys() == dma.keys()
    assert all(same_places(marinecadastre[key], dma[key]) for key in dma)
    nmea = stored(stores["nmea"])
    assert nmea.keys() <= dma.keys() and len(dma.keys() - nmea.keys()) <= lost
    for key, places in nmea.items():  # each NMEA position is one that DMA holds too
        assert all(any(same_places([p], [q]) for q in dma[key]) for p in places), key
