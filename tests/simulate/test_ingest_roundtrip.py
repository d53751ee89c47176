"""The project's own AIS readers take every generated format back to the truth positions."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest

from tests.simulate.conftest import Run

nmea = pytest.importorskip("sanctionwatch.ais.nmea")
csv_formats = pytest.importorskip("sanctionwatch.ais.csv_formats")
model = pytest.importorskip("sanctionwatch.ais.model")


def read(fmt: str, paths: list[Path]) -> dict[str, np.ndarray]:
    chunks = []
    for path in paths:
        if fmt == "nmea":
            with path.open("rb") as stream:
                chunks += list(nmea.read_nmea(stream))
        else:
            layout = csv_formats.DMA if fmt == "dma" else csv_formats.MARINECADASTRE
            chunks += list(csv_formats.read_csv(partial(path.open, "rb"), layout))
    return dict(model.concat_positions([chunk.positions for chunk in chunks]))


@pytest.mark.parametrize(
    ("fmt", "tolerance"), [("nmea", 1e-6), ("dma", 6e-7), ("marinecadastre", 6e-6)]
)
def test_each_format_ingests_back_to_the_truth(run: Run, fmt: str, tolerance: float) -> None:
    truth = run.positions
    got = read(fmt, run.result.files[fmt])
    sent: dict[tuple[int, int], list[int]] = {}
    for row in np.flatnonzero(truth["received"]):
        sent.setdefault((int(truth["mmsi"][row]), int(truth["ts"][row])), []).append(int(row))
    matched: set[int] = set()
    for mmsi, ts, lat, lon in zip(
        got["mmsi"], got["ts"] // 1000, got["lat"], got["lon"], strict=True
    ):
        rows = [
            r
            for r in sent[(int(mmsi), int(ts))]  # KeyError: a position that was never sent
            if abs(truth["lat"][r] - lat) <= tolerance and abs(truth["lon"][r] - lon) <= tolerance
        ]
        assert len(rows) == 1
        matched.add(rows[0])
    missing = int(truth["received"].sum()) - len(matched)
    if fmt == "nmea":  # only the corrupted sentences are lost (duplicates are read twice)
        counts = run.result.counts
        assert missing <= counts["nmea_corrupt_bad_checksum"] + counts["nmea_corrupt_truncated"]
    else:
        assert missing == 0
