"""read_nmea: times (tag blocks, vendor suffixes, $PGHP, the receiver clock), multi-sentence
assembly and the columns it returns."""

from __future__ import annotations

import numpy as np
import pytest

from sanctionwatch.ais.model import (
    POSITION_COLUMNS,
)
from sanctionwatch.ais.nmea import ORPHAN_LINES
from tests.ais.nmea_support import (
    DATA,
    GFW,
    NO_TIME,
    T0,
    base_station,
    checksum,
    lines,
    position,
    read,
    sentence,
    voyage,
    with_tag,
)

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
    # one outcome per line: the message on its last line, its first two lines fragments
    assert result.skipped == {"message type 8": 1}
    assert result.outcomes == {"fragment": 2}
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
