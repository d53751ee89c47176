"""A small home for the chain tests: real list excerpts (OFAC SDN 2024-05-03 rows and the
UN DPRK excerpt, provenance beside them) and DMA CSV rows written here: CHONG CHON GANG's
listed IMO 7937317 broadcast as "SUNNY BAY" from a Panama MMSI, meeting a clean ship at
sea in the Yellow Sea for four hours (a ship-to-ship encounter the detector finds), and a
ferry passing far away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
OFAC_EXCERPT = ROOT / "tests" / "linking" / "data" / "sdn_2024-05-03.csv"
UN_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"
LAUNDERED = 352001234
CLEAN = 352009999
FERRY = 440123456
START = datetime(2024, 3, 1, tzinfo=UTC)


def _ts(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%d/%m/%Y %H:%M:%S")


def encounter_rows(day: int = 0) -> list[str]:
    """Six hours of both ships 100 m apart and drifting, 100 km off any port; the ferry
    at 15 knots in the Korea Strait the whole time."""
    rows = []
    base = day * 24 * 60
    for step in range(0, 6 * 60 + 1, 10):
        when = _ts(base + step)
        ferry_lat = f"{34.5 + step * 0.004:.4f}"
        rows += [
            dma_row(when, str(LAUNDERED), "36.5000", "123.5000", sog="0.4", imo="7937317",
                    name="SUNNY BAY", type="Cargo", length="100"),
            dma_row(when, str(CLEAN), "36.5009", "123.5000", sog="0.3", imo="9179842",
                    name="ANGARA", type="Cargo", length="110"),
            dma_row(when, str(FERRY), ferry_lat, "129.0000", sog="15.0", imo="9312341",
                    name="NEW CAMELLIA", type="Passenger"),
        ]  # fmt: skip
    return rows


def write_day(path: Path, day: int = 0) -> Path:
    return write(path, [DMA_HEADER, *encounter_rows(day)])
