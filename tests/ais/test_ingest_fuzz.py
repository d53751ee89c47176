"""Whole ingests of mutated real lines (AMSA, pyais, gpsd, GFW): never a crash, one outcome
per line (the outcomes add up to the line count, with the store's dedup), a quarantine
that stays within its cap. The reader alone is fuzzed harder in test_nmea_fuzz.py."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.input_limits import IngestLimits
from sanctionwatch.ais.store import open_store
from tests.ais.test_nmea_fuzz import REAL_LINES, mutated_line

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
with gzip.open(DATA / "nmea" / "amsa_risky_ais_head3000.txt.gz", "rb") as _amsa:
    AMSA = _amsa.read().splitlines()[:400]
GPSD = [
    line
    for line in (DATA / "peers" / "gpsd" / "sample.aivdm").read_bytes().splitlines()
    if line.startswith(b"!")
]
PYAIS = (DATA / "nmea" / "pyais_nmea_data_sample.txt").read_bytes().splitlines()[:200]
LIMITS = IngestLimits.from_mapping({"quarantine_rows": 5, "nmea_line_bytes": 300})

any_line = st.one_of(
    mutated_line(),
    st.sampled_from(REAL_LINES + AMSA + GPSD + PYAIS),
    st.sampled_from(AMSA + GPSD).map(lambda line: line + b"\\" + line),
    st.sampled_from(GPSD).map(lambda line: line * 5),  # over the 300-byte limit
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_line, min_size=1, max_size=30))
def test_every_line_has_one_outcome_and_the_quarantine_stays_bounded(
    lines: list[bytes],
) -> None:
    # A real sentence first, so that the file is recognised as NMEA whatever follows.
    data = b"\n".join([GPSD[0], *lines]) + b"\n"
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "fuzz.nmea"
        path.write_bytes(data)
        store = open_store(Path(work) / "home")
        try:
            counts = ingest_file(store, Source(path), limits=LIMITS, now_ms=1_800_000_000_000)
        finally:
            store.close()
        assert counts.lines == data.count(b"\n")
        assert sum(counts.line_outcomes.values()) == counts.lines
        assert counts.line_outcomes.get("stored", 0) == counts.accepted
        if counts.quarantine is not None:
            rows = Path(counts.quarantine).read_text("utf-8").splitlines()
            assert len(rows) == min(counts.rejected, 5) + (counts.rejected > 5)
            assert all(len(json.loads(row)["text"]) <= 1_100 for row in rows)
