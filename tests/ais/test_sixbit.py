"""The vectorised decoder agrees with pyais, field by field.

Every position, static and base station message in the NMEA excerpts under tests/data/ais
is decoded by both (pyais assembles multi-sentence messages itself), then random messages
built by pyais's encoder are. Our conventions differ from pyais's in known ways, applied to
pyais's values before comparing: speed 102.3 kn (63 kn for type 27) and course 360 and
above become NaN, heading 360 and above becomes -1, class B reports have no status (-1),
latitudes and longitudes are not rounded to 6 decimals (so compared to 1e-6), and texts are
cut at the first '@'.
"""

from __future__ import annotations

import gzip
import io
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais import decode, encode_dict
from pyais.bit_vector import bit_vector
from pyais.stream import IterMessages

from sanctionwatch.ais.nmea import read_nmea
from sanctionwatch.ais.sixbit import (
    POSITION_BITS,
    Payloads,
    decode_base_station_times,
    decode_positions,
    decode_statics,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "ais" / "nmea"
NMEA_FILES = sorted(p for p in DATA.rglob("*") if p.suffix in (".nmea", ".txt", ".gz"))


def file_lines(path: Path) -> list[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return handle.read().splitlines()


def sentences(path: Path) -> Iterator[bytes]:
    """The AIS sentences of a file, tag blocks and vendor times removed."""
    for line in file_lines(path):
        for piece in line.split(b"\\"):
            if piece[:1] == b"!" and b"*" in piece:
                star = piece.index(b"*")
                yield piece[: star + 3]


def pyais_messages(path: Path) -> list[tuple[bytes, int, dict[str, Any]]]:
    """(payload, fill bits, pyais's decoded fields) of every message pyais reads in a file."""
    out = []
    for message in IterMessages(list(sentences(path))):
        try:
            decoded = message.decode().asdict()
        except Exception:  # pyais raises on empty payloads and undefined types: not ours
            continue
        out.append((message.payload, message.fill_bits, decoded))
    return out


def expected_position(fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields["msg_type"]
    long_range = kind == 27
    speed, course = fields["speed"], fields["course"]
    heading = fields.get("heading", 511)
    return {
        "mmsi": fields["mmsi"],
        "msg_type": kind,
        "sog": math.nan if speed == (63 if long_range else 102.3) else np.float32(speed),
        "cog": math.nan if course >= 360 else np.float32(course),
        "heading": -1 if long_range or heading >= 360 else heading,
        "nav_status": int(fields["status"]) if kind in (1, 2, 3, 27) else -1,
        "lat": fields["lat"],
        "lon": fields["lon"],
    }


def assert_positions_agree(
    payloads: list[bytes], fills: list[int], fields: list[dict[str, Any]]
) -> None:
    columns = decode_positions(Payloads.pack(payloads, fills), np.arange(len(payloads)))
    for row, pyais_fields in enumerate(fields):
        want = expected_position(pyais_fields)
        for name in ("mmsi", "msg_type", "heading", "nav_status"):
            assert columns[name][row] == want[name], (name, pyais_fields)
        for name in ("sog", "cog"):
            got = columns[name][row]
            assert (math.isnan(got) and math.isnan(want[name])) or got == want[name], (
                name,
                pyais_fields,
            )
        for name in ("lat", "lon"):
            assert abs(columns[name][row] - want[name]) <= 1e-6, (name, pyais_fields)


def position_messages(path: Path) -> list[tuple[bytes, int, dict[str, Any]]]:
    return [
        (payload, fill, fields)
        for payload, fill, fields in pyais_messages(path)
        if fields["msg_type"] in POSITION_BITS
        and 6 * len(payload) - fill >= POSITION_BITS[fields["msg_type"]]
    ]


WITH_POSITIONS = [path for path in NMEA_FILES if position_messages(path)]


@pytest.mark.parametrize("path", WITH_POSITIONS, ids=[p.name for p in WITH_POSITIONS])
def test_every_position_in_the_excerpts_agrees_with_pyais(path: Path) -> None:
    payloads, fills, fields = zip(*position_messages(path), strict=True)
    assert_positions_agree(list(payloads), list(fills), list(fields))


def test_the_excerpts_hold_every_position_type() -> None:
    kinds = {fields["msg_type"] for path in NMEA_FILES for _, _, fields in pyais_messages(path)}
    assert kinds >= set(POSITION_BITS)


@pytest.mark.parametrize("path", NMEA_FILES, ids=[p.name for p in NMEA_FILES])
def test_read_nmea_rows_agree_with_pyais_decode_of_their_line(path: Path) -> None:
    """Each position row's line holds one AIS sentence; pyais decodes it to the same."""
    lines = file_lines(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    for chunk in read_nmea(io.BytesIO(data)):
        columns = chunk.positions
        for row, line in enumerate(columns["line"].tolist()):
            (text,) = [p for p in lines[line - 1].split(b"\\") if p[:1] == b"!"]
            fields = decode(text[: text.index(b"*") + 3]).asdict()
            want = expected_position(fields)
            for name in ("mmsi", "msg_type", "heading", "nav_status"):
                assert columns[name][row] == want[name]
            assert abs(columns["lat"][row] - want["lat"]) <= 1e-6


def clean(text: object) -> str | None:
    return text.split("@", 1)[0].strip() or None if isinstance(text, str) else None


SHIP_TYPE_BIT = {5: 232, 19: 263, 24: 40}


def expected_static(payload: bytes, fill: int, fields: dict[str, Any]) -> dict[str, Any]:
    """pyais's fields in StaticReport conventions (None for "not available").

    The ship type is read from pyais's bit vector: pyais's ShipType turns reserved codes
    (38, 39, 100-255) into 0, "not available", and 57 into 56, where we keep the code sent.
    """
    kind = fields["msg_type"]
    ship_type = None
    if kind in (5, 19) or fields.get("partno") == 1:
        ship_type = bit_vector(payload, fill).get(SHIP_TYPE_BIT[kind], 8) or None
    dims: list[int] = [fields.get(n, -1) for n in ("to_bow", "to_stern", "to_port", "to_starboard")]
    length = width = None
    if min(dims) >= 0:  # none for auxiliary craft, whose part B holds a mother ship MMSI
        length = float(dims[0] + dims[1]) or None
        width = float(dims[2] + dims[3]) or None
    eta = None
    if fields["msg_type"] == 5:
        month, day, hour, minute = (fields[n] for n in ("month", "day", "hour", "minute"))
        if 1 <= month <= 12 and day >= 1 and hour <= 23 and minute <= 59:
            eta = f"{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
    return {
        "mmsi": fields["mmsi"],
        "imo": fields.get("imo") or None,
        "name": clean(fields.get("shipname")),
        "callsign": clean(fields.get("callsign")),
        "ship_type": ship_type,
        "length": length,
        "width": width,
        "draught": fields.get("draught") or None,
        "destination": clean(fields.get("destination")),
        "eta": eta,
    }


def test_every_static_report_in_the_excerpts_agrees_with_pyais() -> None:
    minimum = {5: 424, 19: 312, 24: 160}  # full-length ones: pyais reads cut fields partly
    messages = [
        (payload, fill, fields)
        for path in NMEA_FILES
        for payload, fill, fields in pyais_messages(path)
        if fields["msg_type"] in minimum and 6 * len(payload) - fill >= minimum[fields["msg_type"]]
    ]
    assert {fields["msg_type"] for _, _, fields in messages} == {5, 19, 24}
    payloads = Payloads.pack([m[0] for m in messages], [m[1] for m in messages])
    decoded = decode_statics(payloads, np.arange(len(messages)))
    for row, (payload, fill, fields) in enumerate(messages):
        want = expected_static(payload, fill, fields)
        got = {name: getattr(decoded, name)[row] for name in want}
        assert got == want, fields
        assert decoded.part[row] == fields.get("partno", -1)


def test_every_base_station_time_in_the_excerpts_agrees_with_pyais() -> None:
    messages = [
        (payload, fill, fields)
        for path in NMEA_FILES
        for payload, fill, fields in pyais_messages(path)
        if fields["msg_type"] == 4 and 6 * len(payload) - fill >= 168
    ]
    assert len(messages) > 300
    payloads = Payloads.pack([m[0] for m in messages], [m[1] for m in messages])
    times = decode_base_station_times(payloads, np.arange(len(messages)))
    for row, (_, _, f) in enumerate(messages):
        try:
            when = datetime(
                f["year"], f["month"], f["day"], f["hour"], f["minute"], f["second"], tzinfo=UTC
            )
            want = int(when.timestamp() * 1000) if f["year"] >= 2000 else -1
        except ValueError:  # the "not available" values: month 0, hour 24, ...
            want = -1
        assert times[row] == want, f


# -- random messages from pyais's encoder ---------------------------------------------------------

tenths = st.integers(0, 1023).map(lambda v: v / 10)


@st.composite
def position_fields(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([1, 2, 3, 18, 19, 27]))
    fields: dict[str, Any] = {"type": kind, "mmsi": draw(st.integers(0, 2**30 - 1))}
    if kind == 27:  # 1/10 minute resolution, whole knots and degrees
        fields["lat"] = draw(st.integers(-54000, 54600)) / 600
        fields["lon"] = draw(st.integers(-108000, 108600)) / 600
        fields["speed"] = draw(st.integers(0, 63))
        fields["course"] = draw(st.integers(0, 511))
        fields["status"] = draw(st.integers(0, 15))
        return fields
    fields["lat"] = draw(st.integers(-54_000_000, 54_600_000)) / 600_000
    fields["lon"] = draw(st.integers(-108_000_000, 108_600_000)) / 600_000
    fields["speed"] = draw(tenths)
    fields["course"] = draw(st.integers(0, 4095)) / 10
    fields["heading"] = draw(st.integers(0, 511))
    fields["second"] = draw(st.integers(0, 63))
    if kind in (1, 2, 3):
        fields["status"] = draw(st.integers(0, 15))
    if kind == 19:
        fields["shipname"] = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789", max_size=20))
    return fields


@settings(max_examples=300, deadline=None)
@given(st.lists(position_fields(), min_size=1, max_size=20))
def test_random_positions_agree_with_pyais(messages: list[dict[str, Any]]) -> None:
    payloads, fills, fields = [], [], []
    for data in messages:
        (text,) = encode_dict(data, talker_id="AI", sentence_type="VDM")
        body = text[1 : text.index("*")].split(",")
        payloads.append(body[5].encode())
        fills.append(int(body[6]))
        fields.append(decode(text).asdict())
    assert_positions_agree(payloads, fills, fields)
    seconds = decode_positions(Payloads.pack(payloads, fills), np.arange(len(payloads)))["second"]
    assert seconds.tolist() == [f.get("second", 60) for f in fields]


def test_payload_helpers() -> None:
    payloads = Payloads.pack([b"13RlIW", b"", b"w{0", b"H0"], [0, 0, 2, 4])
    assert payloads.bit_counts().tolist() == [36, 0, 16, 8]
    assert payloads.first_bad_character().tolist() == [-1, -1, 1, -1]
    assert payloads.message_types().tolist() == [1, -1, 63, 24]
