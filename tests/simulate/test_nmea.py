"""The NMEA output: tag blocks, checksums, corruption and duplicates as counted, and every
sentence decoding (with pyais) to exactly the truth positions and static reports."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pyais

from tests.simulate.conftest import Run
from tests.simulate.nmea_support import Line, parse


def read_all(run: Run) -> tuple[list[Line], list[bytes]]:
    good: list[Line] = []
    bad: list[bytes] = []
    for path in run.result.files["nmea"]:
        lines, broken = parse(path)
        good += lines
        bad += broken
    return good, bad


def test_every_sentence_is_valid_except_the_counted_corrupt_ones(run: Run) -> None:
    good, bad = read_all(run)
    counts = run.result.counts
    corrupt = counts["nmea_corrupt_bad_checksum"] + counts["nmea_corrupt_truncated"]
    assert corrupt > 0
    assert len(bad) == corrupt
    assert len(good) + len(bad) == counts["nmea_sentences"]
    # About 0.2 % of the lines, as asked.
    assert 0.001 < corrupt / counts["nmea_sentences"] < 0.004
    truncated = [line for line in bad if b"*" not in line.split(b"\\")[-1]]
    assert len(truncated) == counts["nmea_corrupt_truncated"]


def test_tag_blocks_carry_station_and_receive_time_in_order(run: Run) -> None:
    good, _ = read_all(run)
    firsts = [line for line in good if line.fields[2] == "1"]
    assert all(set(line.tags) >= {"s", "c"} for line in firsts)
    times = [int(line.tags["c"]) for line in firsts]
    assert times == sorted(times)  # files are time-ordered
    assert {line.tags["s"] for line in firsts} >= {"rVVO01", "rNJK02", "sSAT01"}
    assert all(len(line.tags["c"]) == 10 for line in firsts)


def test_positions_decode_to_the_truth(run: Run) -> None:
    good, _ = read_all(run)
    truth = run.positions
    received = truth["received"]
    # (MMSI, second) is not unique: an impostor shares an MMSI with another ship.
    expected: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for row in np.flatnonzero(received):
        expected[(int(truth["mmsi"][row]), int(truth["ts"][row]))].append(int(row))
    seen: Counter[tuple[int, int, int]] = Counter()
    stations: defaultdict[tuple[int, int, int], set[str]] = defaultdict(set)
    for line in good:
        if line.fields[1] != "1":
            continue
        message = pyais.decode(line.sentence)
        if message.msg_type not in (1, 18):
            continue
        key = (message.mmsi, int(line.tags["c"]))
        rows = expected[key]
        assert rows, f"a position the truth does not have: {line.raw!r}"
        close = [
            r
            for r in rows
            if abs(message.lat - truth["lat"][r]) < 1e-6
            and abs(message.lon - truth["lon"][r]) < 1e-6
        ]
        assert len(close) == 1
        row = close[0]
        assert message.speed == round(float(truth["sog"][row]), 1)
        assert message.course == round(float(truth["cog"][row]), 1)
        assert message.second == key[1] % 60
        heading = int(truth["heading"][row])
        assert message.heading == (511 if heading < 0 else heading)
        if message.msg_type == 1:
            assert int(message.status) == int(truth["nav_status"][row])
        else:
            assert truth["nav_status"][row] == -1
        seen[(*key, row)] += 1
        stations[(*key, row)].add(line.tags["s"])
    # Every received position is in the NMEA, except the few lost to corruption.
    assert len(seen) / int(received.sum()) > 0.995
    duplicated = [key for key, n in seen.items() if n > 1]
    assert duplicated
    assert all(n == 2 and len(stations[key]) == 2 for key, n in seen.items() if n > 1)
    # No position outside coverage is in the NMEA.
    assert not any(not received[row] for _, _, row in seen)
    assert (~received).sum() > 0


def test_static_messages_decode_to_the_truth(run: Run) -> None:
    good, _ = read_all(run)
    statics = run.statics
    truth = {
        (m, t): row
        for row, (m, t, ok) in enumerate(
            zip(statics["mmsi"], statics["ts"], statics["received"], strict=True)
        )
        if ok
    }
    groups: defaultdict[str, list[Line]] = defaultdict(list)
    decoded = 0
    for line in good:
        if line.group is not None:
            groups[line.group.split("-")[2]].append(line)
    for parts in groups.values():
        if len(parts) != 2:
            continue  # one fragment was corrupted
        first, second = sorted(parts, key=lambda line: line.tags["g"])
        assert first.tags["g"].startswith("1-2-") and second.tags["g"].startswith("2-2-")
        message = pyais.decode(first.sentence, second.sentence)
        assert message.msg_type == 5
        row = truth[(message.mmsi, int(first.tags["c"]))]
        assert message.imo == statics["imo"][row]
        assert message.shipname == statics["name"][row]
        assert message.callsign == statics["callsign"][row]
        assert message.draught == round(statics["draught"][row], 1)
        assert message.destination == statics["destination"][row]
        assert message.to_bow + message.to_stern == statics["length"][row]
        assert int(message.ship_type) == statics["ship_type"][row]
        decoded += 1
    class_b = 0
    for line in good:
        if line.group is None and line.fields[1] == "1" and line.fields[5].startswith("H"):
            message = pyais.decode(line.sentence)
            assert message.msg_type == 24
            row = truth[(message.mmsi, int(line.tags["c"]))]
            if message.partno == 0:
                assert message.shipname == statics["name"][row]
            else:
                assert message.callsign == statics["callsign"][row]
            class_b += 1
    sent = sum(
        1 for m, ok in zip(statics["msg_type"], statics["received"], strict=True) if m == 5 and ok
    )
    assert decoded > 0.99 * sent
    # Class B ships send type 24 (parts A and B) instead of type 5.
    class_b_sent = sum(
        1 for m, ok in zip(statics["msg_type"], statics["received"], strict=True) if m == 24 and ok
    )
    assert class_b >= 1.98 * class_b_sent


def test_static_reports_every_six_minutes(run: Run) -> None:
    by_vessel: defaultdict[int, list[int]] = defaultdict(list)
    for vessel, t in zip(run.statics["vessel"], run.statics["ts"], strict=True):
        by_vessel[vessel].append(t)
    steps = np.concatenate([np.diff(sorted(times)) for times in by_vessel.values()])
    assert Counter(steps.tolist()).most_common(1)[0][0] == 360
