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

from sanctionwatch.ais.counts import IngestCounts, ingest_summary_lines
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from tests.ais.nmea_support import T0, checksum, lines, position, sentence, tag, voyage, with_tag

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


def assert_adds_up(counts: IngestCounts) -> None:
    assert sum(counts.line_outcomes.values()) == counts.lines
    assert counts.line_outcomes.get("stored", 0) == counts.accepted
    assert counts.line_outcomes.get("duplicate", 0) == counts.duplicates
    rejected = {k: v for k, v in counts.line_outcomes.items() if k.startswith("rejected:")}
    skipped = {k: v for k, v in counts.line_outcomes.items() if k.startswith("skipped:")}
    assert sum(rejected.values()) == counts.rejected
    assert {k.removeprefix("rejected:"): v for k, v in rejected.items()} == (
        counts.rejected_by_reason
    )
    assert {k.removeprefix("skipped:"): v for k, v in skipped.items()} == (counts.skipped_by_reason)


def test_a_tag_block_time_of_twenty_digits_rejects_its_line_not_the_file(tmp_path: Path) -> None:
    huge = with_tag("c:99999999999999999999", position())
    good = with_tag(f"c:{T0}", position(mmsi=211000002))
    counts = ingest(tmp_path, lines(huge, good))
    assert counts.accepted == 1
    assert counts.rejected_by_reason == {"malformed tag block time 'c:99999999999999999999'": 1}
    assert_adds_up(counts)


def test_text_after_the_checksum_with_a_backslash_is_one_rejected_line(tmp_path: Path) -> None:
    glued = with_tag(f"c:{T0}", position()) + "\\junk"
    counts = ingest(tmp_path, lines(glued))
    assert (counts.lines, counts.accepted, counts.rejected) == (1, 0, 1)
    assert [row["line"] for row in quarantined(counts)] == [1]
    assert_adds_up(counts)


def test_a_junk_line_full_of_backslashes_is_one_quarantine_row(tmp_path: Path) -> None:
    junk = with_tag(f"c:{T0}", position()) + "\\x" * 5_000
    counts = ingest(tmp_path, lines(junk, with_tag(f"c:{T0}", position(mmsi=211000002))))
    assert (counts.lines, counts.accepted, counts.rejected) == (2, 1, 1)
    assert len(quarantined(counts)) == 1
    assert_adds_up(counts)


def test_two_sentence_type5_is_one_static_and_one_fragment(tmp_path: Path) -> None:
    first, second = voyage()
    counts = ingest(tmp_path, lines(with_tag(f"c:{T0}", first), second))
    assert counts.line_outcomes == {"static": 1, "fragment": 1}
    assert_adds_up(counts)


def test_type19_is_one_position_line_and_type21_with_junk_one_rejected_line(
    tmp_path: Path,
) -> None:
    data = lines(
        with_tag(f"c:{T0}", TYPE_19),
        with_tag(f"c:{T0}", TYPE_21) + "\\c:1*00\\",
        with_tag(f"c:{T0}", TYPE_21),
    )
    counts = ingest(tmp_path, data)
    assert counts.lines == 3
    assert counts.line_outcomes["stored"] == 1
    assert counts.line_outcomes["skipped:message type 21"] == 1
    assert sum(v for k, v in counts.line_outcomes.items() if k.startswith("rejected:")) == 1
    assert counts.statics == 1  # the type 19's name, kept in the identity history too
    assert_adds_up(counts)


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
    assert_adds_up(counts)


def test_uscg_fields_without_a_time_still_need_one(tmp_path: Path) -> None:
    counts = ingest(tmp_path, lines(position() + ",s36310,d-081,T59.01777335"))
    assert counts.rejected_by_reason == {"no timestamp": 1}


def test_every_line_of_a_mixed_file_has_one_outcome(tmp_path: Path) -> None:
    first, second = voyage()
    data = lines(
        "$PSHI,001,01.53524524,,01691,32611,114701.28,2,0057,-079*3B",
        "",
        with_tag(f"c:{T0}", position()),
        with_tag(f"c:{T0}", position()),  # the same position again: a duplicate
        with_tag(f"c:{T0}", first),
        second,
        with_tag(f"c:{T0}", first),  # orphan: its second sentence never comes
        "not nmea",
        sentence("AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"),  # no time
        tag(f"c:{T0 + 1}") + "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*" + "00",
        with_tag(f"c:{T0}", TYPE_19),
    )
    counts = ingest(tmp_path, data)
    assert counts.lines == 11
    assert counts.line_outcomes == {
        "skipped:$PSHI sentence": 1,
        "skipped:blank line": 1,
        "stored": 2,
        "duplicate": 1,
        "static": 1,
        "fragment": 1,
        "rejected:orphan fragment 1 of 2": 1,
        "rejected:not an NMEA sentence": 1,
        "rejected:no timestamp": 1,
        "rejected:checksum mismatch": 1,
    }
    assert_adds_up(counts)
    summary = "\n".join(ingest_summary_lines(counts))
    assert "11 lines: 2 stored, 1 duplicate, 1 static, 1 fragment, 2 skipped, 4 rejected" in (
        summary
    )


def test_csv_lines_add_up_with_the_header(tmp_path: Path) -> None:
    from tests.ais.test_csv_ingest import DMA_HEADER, dma_row

    rows = [
        DMA_HEADER,
        dma_row("08/02/2018 00:00:00", "219000001", "55.0", "10.0"),
        dma_row("08/02/2018 00:00:00", "219000001", "55.0", "10.0"),
        dma_row("08/02/2018 00:00:10", "12345", "55.0", "10.0"),
        dma_row("08/02/2018 00:00:10", "2190047", "55.0", "10.0", kind="Base Station"),
    ]
    counts = ingest(tmp_path, ("\n".join(rows) + "\n").encode(), "dma.csv")
    assert counts.lines == 5
    assert counts.line_outcomes == {
        "skipped:header line": 1,
        "stored": 1,
        "duplicate": 1,
        "rejected:MMSI is not 9 digits": 1,
        "skipped:Type of mobile base station (not a vessel)": 1,
    }
    assert_adds_up(counts)


def test_checksum_helper_matches_a_real_sentence() -> None:
    assert checksum("AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0") == "5F"


def short_by(text: str, fill: int, cut_chars: int = 0) -> str:
    """``text`` (a single sentence) with its payload cut by ``cut_chars`` characters and
    ``fill`` fill bits, checksum recomputed."""
    fields = text[1 : text.index("*")].split(",")
    fields[5] = fields[5][: len(fields[5]) - cut_chars] if cut_chars else fields[5]
    fields[6] = str(fill)
    return sentence(",".join(fields))


def test_payloads_a_few_bits_short_are_decoded_with_a_warning(tmp_path: Path) -> None:
    """As gpsd and libais do: a 163-bit type 1 and a 160-bit type 24 part B (pyais's
    encoder; the peers' own examples are in test_peers.py)."""
    from pyais import encode_dict

    (part_b,) = encode_dict(
        {"type": 24, "mmsi": 211000004, "partno": 1, "ship_type": 70, "callsign": "ABCD",
         "to_bow": 10, "to_stern": 20, "to_port": 3, "to_starboard": 4},
        talker_id="AI",
    )  # fmt: skip
    data = lines(
        with_tag(f"c:{T0}", short_by(position(), fill=5)),  # 163 bits
        with_tag(f"c:{T0}", short_by(part_b, fill=2, cut_chars=1)),  # 160 bits
        with_tag(f"c:{T0}", short_by(position(mmsi=211000009), fill=0, cut_chars=5)),  # 138
    )
    counts = ingest(tmp_path, data)
    assert counts.line_outcomes == {
        "stored": 1,
        "static": 1,
        "rejected:type 1 payload is 138 bits, expected 168": 1,
    }
    assert counts.warnings == {
        "type 1 payload short of 168 bits, decoded": 1,
        "type 24 part B payload short of 168 bits, decoded": 1,
    }
