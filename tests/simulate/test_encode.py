"""The vectorised encoder against pyais, on arbitrary values (hypothesis)."""

from __future__ import annotations

import numpy as np
import pyais
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.simulate import encode

SIXBIT_TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'./", max_size=20).map(
    str.strip
)

position = st.fixed_dictionaries(
    {
        "class_b": st.booleans(),
        "mmsi": st.integers(200_000_000, 799_999_999),
        "status": st.integers(0, 15),
        "sog": st.integers(0, 1022).map(lambda x: x / 10),
        "lat": st.integers(-90 * 600_000, 90 * 600_000).map(lambda x: x / 600_000),
        "lon": st.integers(-180 * 600_000, 180 * 600_000).map(lambda x: x / 600_000),
        "cog": st.integers(0, 3599).map(lambda x: x / 10),
        "heading": st.integers(-1, 359),
        "second": st.integers(0, 59),
    }
)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(position, min_size=1, max_size=20))
def test_position_reports_round_trip(rows: list[dict]) -> None:
    col = {key: np.array([row[key] for row in rows]) for key in rows[0]}
    msg_type = np.where(col["class_b"], 18, 1)
    status = np.where(col["class_b"], -1, col["status"])
    payload = encode.position_payloads(
        msg_type,
        col["mmsi"],
        status,
        col["sog"].astype(float),
        col["lon"].astype(float),
        col["lat"].astype(float),
        col["cog"].astype(float),
        col["heading"],
        col["second"],
    )
    channel = np.full(len(rows), ord("A"), dtype=np.uint8)
    for row, line in zip(rows, encode.sentences(payload, 0, channel), strict=True):
        message = pyais.decode(line.tobytes())
        assert message.msg_type == (18 if row["class_b"] else 1)
        assert message.mmsi == row["mmsi"]
        assert abs(message.lat - row["lat"]) < 1e-6 and abs(message.lon - row["lon"]) < 1e-6
        assert message.speed == row["sog"] and message.course == row["cog"]
        assert message.heading == (511 if row["heading"] < 0 else row["heading"])
        assert message.second == row["second"]
        if not row["class_b"]:
            assert int(message.status) == row["status"]


@settings(max_examples=40, deadline=None, database=None)
@given(
    st.integers(200_000_000, 799_999_999),
    st.integers(0, 9_999_999),
    SIXBIT_TEXT,
    SIXBIT_TEXT,
    SIXBIT_TEXT,
    st.integers(0, 99),
    st.integers(0, 255),
)
def test_static_reports_round_trip(
    mmsi: int, imo: int, name: str, callsign: str, destination: str, ship_type: int, draught: int
) -> None:
    one = np.array
    payload = encode.type5_payloads(
        one([mmsi]),
        one([imo]),
        [callsign[:7]],
        [name],
        one([ship_type]),
        one([100]),
        one([20]),
        one([8]),
        one([9]),
        one([10]),
        one([3]),
        one([12]),
        one([30]),
        one([draught]),
        [destination],
    )
    channel = one([ord("B")], dtype=np.uint8)
    first = encode.sentences(payload[:, :60], 0, channel, 2, 1, one([4]))[0].tobytes()
    second = encode.sentences(payload[:, 60:], 2, channel, 2, 2, one([4]))[0].tobytes()
    message = pyais.decode(first, second)
    assert (message.mmsi, message.imo) == (mmsi, imo)
    assert message.shipname == name.strip()
    assert message.callsign == callsign[:7].strip()
    assert message.destination == destination.strip()
    assert message.draught == draught / 10
    assert (message.month, message.day, message.hour, message.minute) == (10, 3, 12, 30)
    part_a, part_b = encode.type24_payloads(
        one([mmsi]),
        [name],
        one([ship_type]),
        [callsign[:7]],
        one([8]),
        one([2]),
        one([2]),
        one([2]),
    )
    a = pyais.decode(encode.sentences(part_a, 0, channel)[0].tobytes())
    b = pyais.decode(encode.sentences(part_b, 0, channel)[0].tobytes())
    assert a.shipname == name.strip() and a.partno == 0
    assert b.callsign == callsign[:7].strip() and b.ship_type == ship_type and b.partno == 1


def test_tag_block_checksum() -> None:
    tag = encode.tag_blocks(
        np.frombuffer(b"rVVO01", dtype=np.uint8)[None, :], np.array([1696204800])
    )[0].tobytes()
    assert tag == b"\\s:rVVO01,c:1696204800*06\\"
