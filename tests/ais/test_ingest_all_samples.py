"""Every committed real AIS file ingests, with every line accounted for.

The counts were read off the ingest and checked against the files: the rejections by
reason are the lines quoted in tests/ais/test_nmea.py (reader level) and test_csv_ingest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
EDGE = DATA / "nmea" / "gfw_ais_tools_edge_cases"

# file -> (lines, accepted, duplicates, rejected, skipped, static reports)
EXPECTED = {
    EDGE / "bad-tagblock-group.nmea": (2, 0, 0, 2, 0, 0),
    EDGE / "bad-type5.nmea": (7, 0, 0, 4, 1, 2),  # line 2, a type 5 of 400 bits: once
    EDGE / "ee-multiline.nmea": (10, 6, 0, 0, 0, 2),
    EDGE / "errors.nmea": (5, 3, 0, 2, 0, 0),
    EDGE / "mixed_types.nmea": (109, 30, 0, 0, 59, 15),  # and 10 static, 10 fragment lines
    EDGE / "multi-part.nmea": (93, 0, 0, 20, 33, 0),  # and 40 fragment lines
    EDGE / "sample.nmea": (3, 1, 0, 0, 0, 2),
    EDGE / "single-message-type-5.nmea": (1, 0, 0, 1, 0, 0),  # its checksum is 62, not 60
    # line 1: one type 5 in two sentences, MMSI 2424139 (rejected at ingest); line 2: bad group
    EDGE / "spire-test.nmea": (2, 0, 0, 2, 0, 0),
    EDGE / "type1-bad-bitcount.nmea": (13, 12, 0, 0, 1, 0),
    EDGE / "type8.nmea": (2, 0, 0, 0, 2, 0),
    DATA / "nmea" / "amsa_risky_nmea-timestamped.txt": (100, 91, 8, 1, 0, 0),
    DATA / "nmea" / "pyais_nmea_data_sample.txt": (898, 558, 4, 320, 14, 2),
    DATA / "nmea" / "amsa_risky_ais_head3000.txt.gz": (3000, 1088, 611, 70, 1113, 118),
    DATA / "csv" / "dma_aisdk_20180208_10rows.csv": (11, 10, 0, 0, 1, 0),  # header skipped
    # One vessel (338926283) reports no name, IMO, call sign, type or size: 997 identities.
    DATA / "csv" / "noaa_marinecadastre_20230111_1000rows.csv": (1001, 998, 0, 2, 1, 997),
}


def test_every_committed_sample_is_listed() -> None:
    # (The peer decoders' files are checked by test_peers.py.)
    found = {
        p
        for p in DATA.rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md" and "peers" not in p.relative_to(DATA).parts
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED), ids=lambda p: p.name)
def test_sample_ingests_with_every_position_accounted_for(tmp_path: Path, path: Path) -> None:
    store = open_store(tmp_path / "home")
    counts = ingest_file(store, Source(path))
    skipped = sum(counts.skipped_by_reason.values())
    got = (counts.lines, counts.accepted, counts.duplicates, counts.rejected, skipped,
           counts.statics)  # fmt: skip
    assert got == EXPECTED[path]
    # Every decoded position is stored, a duplicate, or rejected with a reason.
    assert counts.positions_read == counts.accepted + counts.duplicates + counts.positions_rejected
    assert sum(counts.rejected_by_reason.values()) == counts.rejected
    # One outcome per line, for every format.
    assert sum(counts.line_outcomes.values()) == counts.lines
    if counts.rejected:
        assert counts.quarantine is not None
        lines = Path(counts.quarantine).read_text("utf-8").splitlines()
        assert len(lines) == counts.rejected
    # Re-ingesting adds nothing.
    again = ingest_file(store, Source(path))
    assert (again.accepted, again.duplicates) == (0, counts.accepted + counts.duplicates)
