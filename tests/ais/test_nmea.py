"""read_nmea: framing, checksums, tag blocks, times, multi-sentence assembly and rejections.

Real excerpts live in tests/data/ais/nmea (provenance in PROVENANCE.md there); the small
inputs written here use pyais's encoder for their payloads, so the expected values are
those put in, not ones read back from our own decoder.
"""

from __future__ import annotations

import gzip
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

import numpy as np
import pytest
from pyais import encode_dict

from sanctionwatch.ais.model import (
    POSITION_COLUMNS,
    Columns,
    Rejected,
    StaticReport,
    concat_positions,
)
from sanctionwatch.ais.nmea import ORPHAN_LINES, read_nmea

DATA = Path(__file__).resolve().parents[1] / "data" / "ais" / "nmea"
GFW = DATA / "gfw_ais_tools_edge_cases"
NO_TIME = "no timestamp (no tag block, no vendor time, no base-station time yet)"


@dataclass
class Read:
    """Everything read_nmea produced from one input, chunks joined."""

    positions: Columns
    stations: list[str | None]  # station name of each position row
    statics: list[StaticReport]
    rejected: list[Rejected]
    skipped: Counter[str] = field(default_factory=Counter)
    time_sources: Counter[str] = field(default_factory=Counter)
    lines: int = 0

    def reasons(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)

    def column(self, name: str) -> list[object]:
        return list(self.positions[name].tolist())


def read(data: bytes, chunk_lines: int = 200_000) -> Read:
    parts, stations, statics, rejected = [], [], [], []
    skipped: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    lines = 0
    for chunk in read_nmea(io.BytesIO(data), chunk_lines=chunk_lines):
        parts.append(chunk.positions)
        stations += [chunk.stations[i] if i >= 0 else None for i in chunk.positions["station"]]
        statics += chunk.statics
        rejected += chunk.rejected
        skipped.update(chunk.skipped)
        sources.update(chunk.time_sources)
        lines += chunk.lines_read
    return Read(concat_positions(parts), stations, statics, rejected, skipped, sources, lines)


def read_file(path: Path) -> Read:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return read(handle.read())


def checksum(body: str) -> str:
    return f"{reduce(lambda a, b: a ^ b, body.encode(), 0):02X}"


def sentence(body: str) -> str:
    """``!body*hh`` with a correct checksum."""
    return f"!{body}*{checksum(body)}"


def tag(body: str) -> str:
    """A tag block ``\\body*hh\\`` with a correct checksum."""
    return f"\\{body}*{checksum(body)}\\"


def lines(*texts: str) -> bytes:
    return "".join(text + "\n" for text in texts).encode()


def position(mmsi: int = 211000001, **fields: object) -> str:
    """A single-sentence type 1 position report (pyais's encoder)."""
    data: dict[str, object] = {"type": 1, "mmsi": mmsi, "lat": 54.5, "lon": 10.25, "speed": 12.3}
    data.update(fields)
    (text,) = encode_dict(data, talker_id="AI", sentence_type="VDM")  # type: ignore[arg-type]
    return text


def base_station(hour: int = 11, minute: int = 47, second: int = 2, **fields: object) -> str:
    data: dict[str, object] = {"type": 4, "mmsi": 2190047, "year": 2012, "month": 1, "day": 27}
    data.update(hour=hour, minute=minute, second=second, **fields)
    (text,) = encode_dict(data, talker_id="AI", sentence_type="VDM")  # type: ignore[arg-type]
    return text


def voyage(seq_id: int = 3) -> list[str]:
    """A two-sentence type 5 static and voyage report."""
    data = {
        "type": 5,
        "mmsi": 255917000,
        "imo": 9507984,
        "callsign": "CQXP",
        "shipname": "IVER ACTION",
        "ship_type": 80,
        "to_bow": 75,
        "to_stern": 24,
        "to_port": 14,
        "to_starboard": 4,
        "month": 11,
        "day": 3,
        "hour": 17,
        "minute": 0,
        "draught": 5.3,
        "destination": "PTLIS",
    }
    return encode_dict(data, talker_id="AI", sentence_type="VDM", seq_id=seq_id)  # type: ignore[arg-type]


def with_tag(tag_body: str, text: str) -> str:
    return tag(tag_body) + text


T0 = 1_700_000_000  # a tag block time, seconds


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
        # and AI joined by their shared station rMT2083; line 2: 400 bits; line 3: 444 bits;
        # line 4 blank; lines 5-7 bare payloads
        GFW / "bad-type5.nmea",
        7, 0, 2,
        {"type 5 payload is 400 bits, expected 424": 2, "not an NMEA sentence": 3},
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
        # five of each of 20 types, types 5 and 17 in two sentences; types 1, 2, 3, 18, 19,
        # 27 are positions, 5, 19, 24 statics; timed by the type 4 reports of lines 1-5
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
            "message type 17": 10,
            "message type 20": 5,
            "message type 21": 5,
        },
    ),
    (
        # every message assembles; ten type 5 (20 sentences) have no time at all
        GFW / "multi-part.nmea",
        93, 0, 0,
        {NO_TIME: 20},
        {
            "message type 6": 5,
            "message type 8": 3,
            "message type 12": 21,
            "message type 14": 24,
            "message type 17": 20,
        },
    ),
    (GFW / "sample.nmea", 3, 1, 2, {}, {}),  # type 18, then type 24 parts A and B
    (
        GFW / "single-message-type-5.nmea",  # fill bits edited from 0 to 2
        1, 0, 0, {"checksum mismatch: line says 60, computed 62": 1}, {},
    ),
    (
        # line 1: tag blocks with *00 checksums (accepted) around a two-sentence type 5;
        # line 2: second tag block "g:2-1-1" says sentence 2 of 1
        GFW / "spire-test.nmea",
        2, 0, 1,
        {"malformed tag block group 'g:2-1-1'": 1, "orphan fragment 1 of 2 (seq 1, channel A)": 1},
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


# -- time ------------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", " ", "\t"])
def test_vendor_time_after_checksum(separator: str) -> None:
    result = read(lines(position() + separator + "1327664821", position() + ",1327664821123"))
    assert result.column("ts") == [1327664821000, 1327664821123]
    assert result.time_sources == {"vendor time": 2}


def test_tag_block_time_comes_before_vendor_time() -> None:
    result = read(lines(with_tag(f"c:{T0}", position() + ",1327664821")))
    assert result.column("ts") == [T0 * 1000]


def test_gatehouse_pghp_time_goes_to_the_sentence_it_names() -> None:
    """The $PGHP names its sentence by checksum; an unrelated sentence in between (here a
    second position) does not take it."""
    named = position(mmsi=211000002)
    other = position(mmsi=211000003)
    pghp_body = f"PGHP,1,2012,1,27,9,58,31,832,316,2,316000002,1AIS_S,{named[-2:]}"
    pghp = f"${pghp_body}*{checksum(pghp_body)}"
    result = read(lines(base_station(), pghp, other, named))
    assert result.column("mmsi") == [211000003, 211000002]
    _, gatehouse = result.column("ts")
    assert gatehouse == 1327658311832  # 2012-01-27 09:58:31.832 UTC
    assert result.time_sources == {"receiver clock (type 4)": 1, "$PGHP": 1}
    assert result.skipped["$PGHP sentence"] == 1


def test_pghp_with_bad_checksum_is_rejected() -> None:
    result = read(lines("$PGHP,1,2012,1,27,9,58,26,36,316,2,316000002,1AIS_S,0F*33"))
    assert [r.reason for r in result.rejected] == [
        "$PGHP checksum mismatch: line says 33, computed 32"
    ]


def test_receiver_clock_from_base_station_refined_by_utc_second() -> None:
    """Type 4 at 11:47:02; the position's second field 58 means 11:46:58 (nearest such
    instant), 5 means 11:47:05, 60 (not available) means the clock itself."""
    result = read(
        lines(
            position(mmsi=211000001, second=58),  # before any type 4: no time
            base_station(11, 47, 2),
            position(mmsi=211000002, second=58),
            position(mmsi=211000003, second=5),
            position(mmsi=211000004, second=60),
        )
    )
    clock = 1327664822000  # 2012-01-27 11:47:02 UTC
    assert result.column("mmsi") == [211000002, 211000003, 211000004]
    assert result.column("ts") == [clock - 4000, clock + 3000, clock]
    assert [(r.line, r.reason) for r in result.rejected] == [(1, NO_TIME)]
    assert result.skipped == {"message type 4 (base station)": 1}


def test_implausible_base_station_time_is_not_used() -> None:
    result = read(lines(base_station(hour=24), position(), base_station(year=0), position()))
    assert result.reasons() == {NO_TIME: 2}


def test_clock_near_minute_boundary() -> None:
    """Clock 11:47:59, second field 1: the report is at 11:48:01, not 11:47:01."""
    result = read(lines(base_station(11, 47, 59), position(second=1)))
    assert result.column("ts") == [1327664879000 + 2000]


# -- multi-sentence assembly -----------------------------------------------------------------


def test_multi_sentence_message_across_chunk_boundary() -> None:
    first, second = voyage()
    data = lines(with_tag(f"c:{T0}", first), second)
    for chunk_lines in (1, 2, 100):
        result = read(data, chunk_lines=chunk_lines)
        assert [(s.line, s.ts, s.imo) for s in result.statics] == [(2, T0 * 1000, 9507984)]
        assert result.rejected == []


def test_orphan_timeout_is_ten_lines() -> None:
    first, second = voyage()
    filler = [with_tag(f"c:{T0}", position())] * (ORPHAN_LINES - 1)
    in_time = read(lines(with_tag(f"c:{T0}", first), *filler, second))
    assert len(in_time.statics) == 1
    late = read(lines(with_tag(f"c:{T0}", first), *filler, filler[0], second))
    assert late.statics == []
    assert [(r.line, r.reason) for r in late.rejected] == [
        (1, "orphan fragment 1 of 2 (seq 3, channel A)"),
        (12, "fragment 2 of 2 (seq 3, channel A) without fragment 1"),
    ]


def test_orphan_at_end_of_input() -> None:
    first, _ = voyage()
    result = read(lines(first))
    assert [(r.line, r.reason) for r in result.rejected] == [
        (1, "orphan fragment 1 of 2 (seq 3, channel A)")
    ]


def test_duplicate_and_out_of_order_fragments() -> None:
    payload = "8" + "0" * 150  # a type 8 binary broadcast in three sentences
    one, two, three = (
        sentence(f"AIVDM,3,{n},5,A,{payload[60 * (n - 1) : 60 * n]},{0 if n < 3 else 2}")
        for n in (1, 2, 3)
    )
    result = read(lines(one, one, two, two, three))
    # a repeated fragment 1 restarts the message; the repeated fragment 2 is a duplicate
    assert result.reasons() == {
        "incomplete message (a new fragment 1 followed): fragment 1 of 3 (seq 5, channel A)": 1,
        "duplicate fragment 2 of 3 (seq 5, channel A)": 1,
    }
    assert result.skipped == {"message type 8": 3}
    skipped_ahead = read(lines(one, three, two))
    assert skipped_ahead.reasons() == {
        "fragment 3 of 3 (seq 5, channel A) out of order: expected fragment 2": 1,
        "orphan fragment 1 of 3 (seq 5, channel A)": 1,
        "orphan fragment 2 of 3 (seq 5, channel A)": 1,
    }


def test_fragments_of_different_talkers_do_not_mix() -> None:
    """Without a tag block station, talker, sequential id and channel make the key."""
    first, second = voyage()
    other_talker = sentence(second[1 : second.index("*")].replace("AIVDM", "BSVDM"))
    result = read(lines(with_tag(f"c:{T0}", first), other_talker))
    assert result.reasons() == {
        "orphan fragment 1 of 2 (seq 3, channel A)": 1,
        "fragment 2 of 2 (seq 3, channel A) without fragment 1": 1,
    }


# -- columns -----------------------------------------------------------------------------------


def test_position_columns_and_conventions() -> None:
    result = read(
        lines(
            with_tag(f"c:{T0},s:rA", position(mmsi=211000001, lat=-33.5, lon=151.25, speed=102.3,
                                              course=360, heading=511, status=5)),
            with_tag(f"c:{T0},s:rB", position(mmsi=211000002, lat=91, lon=181, speed=0,
                                              course=12.5, heading=13, status=0)),
            with_tag(f"c:{T0}", position(mmsi=211000003)),
        )
    )  # fmt: skip
    columns = result.positions
    assert columns["mmsi"].tolist() == [211000001, 211000002, 211000003]
    assert columns["lat"].tolist()[:2] == pytest.approx([-33.5, 91.0], abs=1e-6)
    assert columns["lon"].tolist()[:2] == pytest.approx([151.25, 181.0], abs=1e-6)
    assert np.isnan(columns["sog"][0]) and np.isnan(columns["cog"][0])
    assert columns["sog"][1] == 0 and columns["cog"][1] == np.float32(12.5)
    assert columns["heading"].tolist()[:2] == [-1, 13]
    assert columns["nav_status"].tolist()[:2] == [5, 0]
    assert columns["msg_type"].tolist() == [1, 1, 1]
    assert columns["line"].tolist() == [1, 2, 3]
    assert result.stations == ["rA", "rB", None]
    assert {name: column.dtype for name, column in columns.items()} == {
        name: np.dtype(dtype) for name, dtype in POSITION_COLUMNS.items()
    }


def test_chunk_size_does_not_change_the_result() -> None:
    sample = (DATA / "pyais_nmea_data_sample.txt").read_bytes()
    data = sample + b"\n" + (GFW / "multi-part.nmea").read_bytes()
    reference = read(data)
    for chunk_lines in (1, 7, 250):
        result = read(data, chunk_lines=chunk_lines)
        for name in ("mmsi", "ts", "line"):
            assert result.column(name) == reference.column(name)
        assert result.statics == reference.statics
        assert sorted((r.line, r.reason) for r in result.rejected) == sorted(
            (r.line, r.reason) for r in reference.rejected
        )
        assert result.skipped == reference.skipped
