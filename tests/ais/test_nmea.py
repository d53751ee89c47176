"""read_nmea: real excerpts, framing, checksums, tag blocks and rejections (times and
multi-sentence assembly: test_nmea_assembly.py).

Real excerpts live in tests/data/ais/nmea (provenance in PROVENANCE.md there); the small
inputs written here use pyais's encoder for their payloads, so the expected values are
those put in, not ones read back from our own decoder.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.ais.model import (
    StaticReport,
)
from tests.ais.nmea_support import (
    DATA,
    GFW,
    NO_TIME,
    T0,
    checksum,
    lines,
    position,
    read,
    read_file,
    sentence,
    tag,
    voyage,
    with_tag,
)

# -- counts on the real excerpts ---------------------------------------------------------------
# Each row was checked against the lines themselves (see the comments) and, for the two
# larger files, against an independent reading with pyais.

COUNTS = [
    # file, lines, positions, statics, rejected reasons, skipped reasons
    (
        GFW / "bad-tagblock-group.nmea",  # "g:1-2--001": four dash-separated parts
        2, 0, 0,
        {"malformed tag block group 'g:1-2--001'": 1, "malformed tag block group 'g:2-2--001'": 1},
        {},
    ),
    (
        # line 1: type 5 of 448 bits (longer than 424: accepted), fragments from talkers AB
        # and AI joined by their shared station rMT2083; line 2: 400 bits (one line, one
        # rejection); line 3: 444 bits; line 4 blank; lines 5-7 bare payloads
        GFW / "bad-type5.nmea",
        7, 0, 2,
        {"type 5 payload is 400 bits, expected 424": 1, "not an NMEA sentence": 3},
        {"blank line": 1},
    ),
    (GFW / "ee-multiline.nmea", 10, 6, 2, {}, {}),  # two g: groups, 1278 and 1279
    (
        # lines 1 and 3 are 186-bit reports with good checksums (accepted: longer than 168);
        # lines 2 and 4 are the same cut to 168 bits but keep the old checksum
        GFW / "errors.nmea",
        5, 3, 0,
        {
            "checksum mismatch: line says 77, computed 6D": 1,
            "checksum mismatch: line says 6A, computed 64": 1,
        },
        {},
    ),
    (
        # five of each of 20 types, types 5 and 17 in two sentences (their first lines are
        # fragments, the message counts on its last); types 1, 2, 3, 18, 19, 27 are
        # positions, 5, 19, 24 statics; timed by the type 4 reports of lines 1-5
        GFW / "mixed_types.nmea",
        109, 30, 15,
        {},
        {
            "message type 4 (base station)": 5,
            "message type 7": 5,
            "message type 8": 4,
            "message type 9": 5,
            "message type 10": 5,
            "message type 11": 5,
            "message type 12": 5,
            "message type 14": 5,
            "message type 15": 5,
            "message type 17": 5,
            "message type 20": 5,
            "message type 21": 5,
        },
    ),
    (
        # every message assembles (33 messages skipped on their last lines, 40 fragment
        # lines); ten type 5 (20 sentences) have no time at all
        GFW / "multi-part.nmea",
        93, 0, 0,
        {NO_TIME: 20},
        {
            "message type 6": 2,
            "message type 8": 1,
            "message type 12": 10,
            "message type 14": 10,
            "message type 17": 10,
        },
    ),
    (GFW / "sample.nmea", 3, 1, 2, {}, {}),  # type 18, then type 24 parts A and B
    (
        GFW / "single-message-type-5.nmea",  # fill bits edited from 0 to 2
        1, 0, 0, {"checksum mismatch: line says 60, computed 62": 1}, {},
    ),
    (
        # line 1: tag blocks with *00 checksums (accepted) around a two-sentence type 5;
        # line 2: second tag block "g:2-1-1" says sentence 2 of 1 (the line is rejected whole)
        GFW / "spire-test.nmea",
        2, 0, 1,
        {"malformed tag block group 'g:2-1-1'": 1},
        {},
    ),
    (GFW / "type1-bad-bitcount.nmea", 13, 12, 0, {}, {"blank line": 1}),  # 186-bit reports
    (GFW / "type8.nmea", 2, 0, 0, {}, {"message type 8": 1, "blank line": 1}),
    (DATA / "amsa_risky_nmea-timestamped.txt", 100, 100, 0, {}, {}),  # 75 type 1, 25 type 3
    (
        # 100 empty payloads, 20 first fragments whose second never comes, 196 positions
        # before the first type 4 report (line 236)
        DATA / "pyais_nmea_data_sample.txt",
        898, 566, 2,
        {
            "empty payload": 100,
            NO_TIME: 196,
            **{
                f"orphan fragment 1 of 2 (seq {seq}, channel {channel})": count
                for (seq, channel), count in {
                    (9, "A"): 3, (8, "A"): 2, (0, "A"): 2, (1, "A"): 2, (2, "B"): 2, (4, "A"): 2,
                    (5, "B"): 2, (3, "A"): 1, (6, "A"): 1, (7, "B"): 1, (3, "B"): 1, (0, "B"): 1,
                }.items()
            },
        },
        {"message type 4 (base station)": 6, "message type 15": 7, "message type 20": 1},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "line_count", "positions", "statics", "rejected", "skipped"),
    COUNTS,
    ids=[row[0].name for row in COUNTS],
)
def test_counts_on_real_excerpts(
    path: Path,
    line_count: int,
    positions: int,
    statics: int,
    rejected: dict[str, int],
    skipped: dict[str, int],
) -> None:
    result = read_file(path)
    assert result.lines == line_count
    assert len(result.positions["mmsi"]) == positions
    assert len(result.statics) == statics
    assert result.reasons() == Counter(rejected)
    assert result.skipped == Counter(skipped)
    # One outcome per line: a position, a static report, a fragment, rejected or skipped.
    outcomes = positions + sum(result.outcomes.values()) + len(result.rejected)
    assert outcomes + sum(skipped.values()) == line_count


def test_amsa_log_excerpt() -> None:
    """The first 3,000 lines of AMSA's log: 46 sentences carry a vendor time (44 of them
    are stored, two are other types); the rest take the receiver clock, and the positions
    before the first base station report (line 10) have no time."""
    result = read_file(DATA / "amsa_risky_ais_head3000.txt.gz")
    assert result.lines == 3000
    assert len(result.positions["mmsi"]) == 1758
    assert len(result.statics) == 119
    assert result.reasons() == {
        NO_TIME: 7,  # lines 1-8 but line 2, a $BSALR
        "checksum mismatch: line says 32, computed 12": 1,  # line 359, a cut-off type 3
        "no checksum: sentence truncated?": 1,  # line 1168, "!BSVDM,1,1,,A,3"
        "type 5 payload is 216 bits, expected 424": 1,  # line 1965
    }
    assert sum(result.skipped.values()) == 1113
    assert result.skipped["message type 4 (base station)"] == 330
    assert result.skipped["$PSHI sentence"] == 90
    assert result.skipped["!AIPWR sentence"] == 18
    assert result.skipped["$PGHP sentence"] == 4
    assert result.time_sources == {"receiver clock (type 4)": 1833, "vendor time": 44}
    rejected_lines = [r.line for r in result.rejected]
    assert rejected_lines == [1, 3, 4, 5, 6, 7, 8, 359, 1168, 1965]
    assert result.rejected[-1].text == "!AIVDM,1,1,,B,5EKsbc@J1D8humttJ2KCgSM>JSlkeS;K6Hni,0*4D"


def test_static_report_fields_from_real_type5() -> None:
    """bad-type5.nmea line 1: IVER ACTION, a 448-bit type 5 split across two tag-blocked
    sentences on one line; the time is the first fragment's c: (the second says 1 s less)."""
    (report, _) = read_file(GFW / "bad-type5.nmea").statics
    assert report == StaticReport(
        mmsi=255917000,
        ts=1698785948000,
        line=1,
        imo=9507984,
        name="IVER ACTION",
        callsign="CQXP",
        ship_type=80,
        length=99.0,
        width=18.0,
        draught=5.3,
        destination="PTLIS > EP",
        eta="11-03 17:00",
    )


def test_tag_block_groups_inherit_time_and_station() -> None:
    """ee-multiline.nmea: the second sentence of group 1278 has only g: in its tag block."""
    result = read_file(GFW / "ee-multiline.nmea")
    first = result.statics[0]
    assert (first.line, first.ts, first.mmsi) == (3, 1661782369000, 417178141)
    assert first.name == "IMULA 1781 MTR"
    assert set(result.stations) == {"66"}
    assert result.column("line") == [1, 4, 5, 8, 9, 10]
    assert result.column("ts")[:2] == [1661782474000, 1661782475000]


def test_tag_block_milliseconds() -> None:
    """sample.nmea: c:1599239526500 is milliseconds (above 1e11)."""
    result = read_file(GFW / "sample.nmea")
    assert result.column("ts") == [1599239526500]
    assert result.stations == ["sdr-experiments"]
    assert [s.ts for s in result.statics] == [1599239587658, 1599239644720]
    part_a, part_b = result.statics
    assert part_a.name == "DAKUWAQA" and part_a.ship_type is None  # 162-bit part A accepted
    assert part_b.name is None and part_b.ship_type is not None


# -- checksums, framing and malformed input ------------------------------------------------


def test_checksum_mismatch_reason() -> None:
    good = position()
    bad = good[:-2] + ("00" if good[-2:] != "00" else "01")
    result = read(lines(bad))
    (rejected,) = result.rejected
    assert rejected.reason == f"checksum mismatch: line says {bad[-2:]}, computed {good[-2:]}"
    assert (rejected.line, rejected.text) == (1, bad)


def test_tag_block_checksum_is_verified_unless_placeholder() -> None:
    body = f"c:{T0},s:r1"
    good = with_tag(body, position())
    wrong = "\\" + body + "*7F\\" + position()
    placeholder = "\\" + body + "*00\\" + position()
    result = read(lines(good, wrong, placeholder))
    assert result.column("line") == [1, 3]
    assert result.column("ts") == [T0 * 1000, T0 * 1000]
    (rejected,) = result.rejected
    assert rejected.line == 2
    assert (
        rejected.reason == f"tag block checksum mismatch: line says 7F, computed {checksum(body)}"
    )


P = "13RlIW?04F1beOVEFLB9bRvH0L0L"  # a type 1 payload from the pyais sample


def test_tagged_fast_path_and_general_path_agree() -> None:
    """A tagged single-sentence line takes a fast path; a trailing space sends the same line
    down the general one. Both must give the same time, station and rejection reasons."""
    good = with_tag(f"c:{T0},s:r1,t:feed", position())
    bad_tag = "\\c:1,s:r1*7F\\" + position()
    bad_sentence = good[:-2] + ("00" if good[-2:] != "00" else "01")
    fast = read(lines(good, bad_tag, bad_sentence))
    general = read(lines(good + " ", bad_tag + " ", bad_sentence + " "))
    assert fast.column("ts") == general.column("ts") == [T0 * 1000]
    assert fast.stations == general.stations == ["r1"]
    assert [(r.line, r.reason) for r in fast.rejected] == [
        (r.line, r.reason) for r in general.rejected
    ]
    assert (
        fast.rejected[0].reason
        == f"tag block checksum mismatch: line says 7F, computed {checksum('c:1,s:r1')}"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("!AIVDM,1,1,,B,,0*25", "empty payload"),
        ("!AIVDM,1,1,,A,13u", "no checksum: sentence truncated?"),
        ("hello world", "not an NMEA sentence"),
        (P, "not an NMEA sentence"),
        (sentence(f"AIVDM,x,1,,A,{P},0"), "fragment count 'x' is not a number 1-9"),
        (sentence(f"AIVDM,2,3,,A,{P},0"), "fragment number '3' is not a number 1-2"),
        (sentence(f"AIVDM,1,1,,A,{P},7"), "fill bits '7' is not a number 0-5"),
        (sentence(f"AIVDM,1,1,,A,{P}"), "sentence has 6 fields, expected 7"),
        (
            sentence(f"AIVDM,1,1,,A,{P[:15]}{{{P[16:]},0"),
            "payload character '{' (position 16) is not in the AIS six-bit alphabet",
        ),
        (sentence(f"AIVDM,1,1,,A,{P[:22]},0"), "type 1 payload is 132 bits, expected 168"),
        (
            sentence(f"AIVDM,1,1,,A,w{P[1:]},0"),
            "message type 63 is not defined (ITU-R M.1371: 1-27)",
        ),
        (sentence(f"AIV>l,1,1,,A,{P},0"), "not an NMEA sentence (malformed sentence id)"),
        (
            sentence(f"AIVDM,1,1,,A,{P},0") + "!AIVDM",
            "unexpected text after the checksum: '!AIVDM'",
        ),
        ("\\c:1,s:x*00\\", "tag block without a sentence"),
        ("\\c:1,s:x*00" + position(), "tag block not closed by a backslash"),
        (tag("c:12ab") + position(), "malformed tag block time 'c:12ab'"),
        (tag("c:1,bogus") + position(), "malformed tag block field 'bogus'"),
        ("\\c:1" + "\\" + position(), "tag block without checksum"),
        (
            tag(f"g:1-3-7,c:{T0}") + position(),
            "tag block group says sentence 1 of 3, the sentence says fragment 1 of 1",
        ),
    ],
)
def test_rejection_reasons(text: str, reason: str) -> None:
    result = read(lines(text))
    assert [(r.line, r.reason, r.text) for r in result.rejected] == [(1, reason, text)]
    assert len(result.positions["mmsi"]) == 0


def test_non_utf8_and_non_ascii_lines() -> None:
    data = position().encode() + b"\xff\xfe\n" + "!AIVDM,é\n".encode()
    result = read(data)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (1, "non-UTF-8 bytes"),
        (2, "non-ASCII characters (NMEA 0183 is ASCII)"),
    ]
    assert result.rejected[0].text.startswith(position())


def test_dollar_and_other_sentences_are_skipped_by_id() -> None:
    text = lines(
        "$PSHI,001,01.53524524,,01691,32611,114701.28,2,0057,-079*3B",
        "$AIVSI,,114701.28,0057,-079,0*6F",
        "$AIVSI,,114702.54,0062,-084,0*63",
        "!AIPWR,UNIT=0,PWV",
        "$81130.00,038,A,V,DGNSS input failed*53",
        "",
        "   ",
    )
    result = read(text)
    assert result.rejected == []
    assert result.skipped == {
        "$PSHI sentence": 1,
        "$AIVSI sentence": 2,
        "!AIPWR sentence": 1,
        "$ sentence with a malformed id": 1,
        "blank line": 2,
    }


def test_several_tag_block_sentence_pairs_on_one_line() -> None:
    first, second = voyage()
    text = with_tag(f"s:r1,c:{T0}", first) + with_tag(f"s:r1,c:{T0 + 5}", second) + "\n"
    result = read(text.encode())
    (report,) = result.statics
    assert (report.line, report.ts, report.name) == (1, T0 * 1000, "IVER ACTION")
