"""One outcome per input line: `ais ingest` says what became of every line, and the
outcomes add up to the line count for every format.

Each case here is a finding of the mutation fuzz (issue 10) on real lines, written small:
a tag-block time too large for any clock, junk glued after a checksum, multi-sentence
messages and type 19 counted twice or not at all, USCG receiver times after the checksum.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from tests.ais.nmea_support import T0, lines, position, with_tag

# Real sentences (tests/data/ais/peers): a type 19 from gpsd's sample.aivdm, a type 21
# from pyais's decode tests.
TYPE_19 = "!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B"
TYPE_21 = "!AIVDM,1,1,,B,E>lt;KLab21@1bb@I@@@@@@@@@@D8k2tnmvs000003v0@,2*52"


def ingest(tmp_path: Path, data: bytes, name: str = "in.nmea") -> IngestCounts:
    path = tmp_path / name
    path.write_bytes(data)
    store = open_store(tmp_path / "home")
    try:
        return ingest_file(store, Source(path))
    finally:
        store.close()


def quarantined(counts: IngestCounts) -> list[dict[str, object]]:
    if counts.quarantine is None:
        return []
    text = Path(counts.quarantine).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_tag_block_time_of_twenty_digits_rejects_its_line_not_the_file(tmp_path: Path) -> None:
    huge = with_tag("c:99999999999999999999", position())
    good = with_tag(f"c:{T0}", position(mmsi=211000002))
    counts = ingest(tmp_path, lines(huge, good))
    assert counts.accepted == 1
    assert counts.rejected_by_reason == {"malformed tag block time 'c:99999999999999999999'": 1}


@pytest.mark.parametrize(
    "suffix",
    [
        ",s28089,d-103,T39.44353985,x147521,r08TPHI1,1242958962",
        ",d-117,S1234,t123456.00,T56.12345,r003669930,1242958962",
    ],
)
def test_uscg_receiver_time_after_the_checksum(tmp_path: Path, suffix: str) -> None:
    counts = ingest(tmp_path, lines(position() + suffix))
    assert (counts.accepted, counts.rejected) == (1, 0)
    assert counts.first_ts == 1_242_958_962_000


def test_uscg_fields_without_a_time_still_need_one(tmp_path: Path) -> None:
    counts = ingest(tmp_path, lines(position() + ",s36310,d-081,T59.01777335"))
    assert counts.rejected_by_reason == {"no timestamp": 1}
