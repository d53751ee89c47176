"""Our decoder against other decoders' expectations, field by field.

tests/data/ais/peers holds gpsd's sample.aivdm with gpsd's decoded JSON (BSD-2-Clause) and
libais's example per message type with its decoded dict (Apache-2.0); PROVENANCE.md there.
Every sentence gets a tag-block time (the samples have none, and the reader does not
invent one), then every position and static report the peer decoded must come out of our
reader with the same values. Known, decided differences (docs/ais.md):

- a heading of 360 or more (only 0-359 and 511 are defined) is stored as missing; gpsd
  keeps the raw value;
- speed 102.3 and course 360 ("not available") are stored as missing, where the peers give
  the raw value.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.ais.nmea import read_nmea
from tests.ais.nmea_support import T0, tag

PEERS = Path(__file__).resolve().parents[1] / "data" / "ais" / "peers"
POSITION_TYPES = {1, 2, 3, 18, 19, 27}


def read_timed(
    path: Path,
) -> tuple[dict[tuple[int, int], list[dict[str, Any]]], dict[int, list[Any]]]:
    """Our positions by (type, mmsi) and static reports by mmsi, every line timed."""
    timed = b"".join(
        (tag(f"c:{T0}").encode() + line if line.startswith(b"!") else line)
        for line in path.read_bytes().splitlines(keepends=True)
    )
    positions: dict[tuple[int, int], list[dict[str, Any]]] = {}
    statics: dict[int, list[Any]] = {}
    for chunk in read_nmea(io.BytesIO(timed)):
        columns = {k: v.tolist() for k, v in chunk.positions.items()}
        for row in zip(*columns.values(), strict=True):
            record = dict(zip(columns, row, strict=True))
            positions.setdefault((record["msg_type"], record["mmsi"]), []).append(record)
        for report in chunk.statics:
            statics.setdefault(report.mmsi, []).append(report)
    return positions, statics


def close(ours: float, theirs: float, tolerance: float) -> bool:
    return abs(ours - theirs) <= tolerance


def scaled(peer: dict[str, Any]) -> dict[str, Any]:
    """gpsd's daemon logs give raw AIS units ("scaled": false): 1/10,000 minute (type 27:
    1/10 minute), 0.1 knot and 0.1 degree (type 27: whole)."""
    if peer.get("scaled", True) or "lat" not in peer:
        return peer
    long_range = peer["type"] == 27
    per_degree = 600.0 if long_range else 600_000.0
    tenths = 1.0 if long_range else 10.0
    out = dict(peer, lat=peer["lat"] / per_degree, lon=peer["lon"] / per_degree)
    if "speed" in peer:
        out["speed"] = (
            102.3 if peer["speed"] == (63 if long_range else 1023) else peer["speed"] / tenths
        )
    if "course" in peer:
        out["course"] = peer["course"] / tenths
    return out


def position_matches(ours: dict[str, Any], peer: dict[str, Any]) -> bool:
    speed, course = peer.get("speed"), peer.get("course")
    heading = peer.get("heading", 511)
    # gpsd prints type 27 to 4 decimals; libais gives float32 (about 1.5e-5 at 160 degrees)
    degrees = 1e-4 if peer["type"] == 27 else 2e-5
    checks = [
        close(ours["lat"], peer["lat"], degrees) and close(ours["lon"], peer["lon"], degrees),
        math.isnan(ours["sog"])
        if speed is None or speed >= 102.3
        else close(ours["sog"], speed, 0.051),
        math.isnan(ours["cog"])
        if course is None or course >= 360
        else close(ours["cog"], course, 0.051),
        ours["heading"] == (-1 if heading >= 360 else heading),
    ]
    if "status" in peer and peer["type"] in (1, 2, 3, 27):
        checks.append(ours["nav_status"] == peer["status"])
    return all(checks)


def compare(peers: list[dict[str, Any]], path: Path) -> tuple[int, list[str]]:
    """(messages matched, differences) for the position and static messages in ``peers``."""
    positions, statics = read_timed(path)
    matched, differences = 0, []
    for peer in map(scaled, peers):
        kind, mmsi = peer.get("type"), peer.get("mmsi")
        if kind in POSITION_TYPES and "lat" in peer:
            if any(position_matches(o, peer) for o in positions.get((kind, mmsi), [])):
                matched += 1
            else:
                differences.append(f"type {kind} {mmsi}: {positions.get((kind, mmsi))} vs {peer}")
        if kind in (5, 24, 19):
            name = (peer.get("shipname") or "").strip() or None
            callsign = (peer.get("callsign") or "").strip() or None
            imo = int(peer.get("imo") or 0) or None
            reports = statics.get(mmsi, [])
            # Type 24 parts A (name) and B (call sign) are two reports: either may say it.
            ok = (
                (name is None or any(r.name == name for r in reports))
                and (callsign is None or any(r.callsign == callsign for r in reports))
                and (kind != 5 or any(r.imo == imo for r in reports))
            )
            if kind == 19:  # counted with the positions; its name is checked here
                if not ok:
                    differences.append(f"type 19 {mmsi}: {reports} vs {peer}")
            elif reports and ok:
                matched += 1
            else:
                differences.append(f"type {kind} {mmsi}: {reports} vs {peer}")
    return matched, differences


# (expected decodes, input): messages of position and static types each peer decoded.
CASES = {
    "gpsd sample.aivdm": ("gpsd/sample.aivdm.js.chk", "gpsd/sample.aivdm", 17),
    "gpsd ais-nmea.log": ("gpsd/ais-nmea.log.chk", "gpsd/ais-nmea.log", 265),
    "gpsd ais-18-27.log": ("gpsd/ais-18-27.log.chk", "gpsd/ais-18-27.log", 138),
    "gpsd ais-raw-messages.log": (
        "gpsd/ais-raw-messages.log.chk", "gpsd/ais-raw-messages.log", 97
    ),
    "gpsd ais_unpack_sixbit.log": (
        "gpsd/ais_unpack_sixbit.log.chk", "gpsd/ais_unpack_sixbit.log", 9
    ),
    "libais typeexamples": ("libais/typeexamples.json", "libais/typeexamples.nmea", 7),
    "libais tagblock": ("libais/tagblock.json", "libais/tagblock.nmea", 4),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_message_the_peer_decoded_matches_field_by_field(case: str) -> None:
    expected, nmea, count = CASES[case]
    peers = [
        json.loads(line)
        for line in (PEERS / expected).read_text("utf-8").splitlines()
        if line.startswith("{")
    ]
    peers = [p for p in peers if p.get("class", "AIS") == "AIS"]
    relevant = [p for p in peers if p.get("type") in POSITION_TYPES | {5, 24}]
    matched, differences = compare(peers, PEERS / nmea)
    assert differences == []  # no message the peer decoded is missing or different
    assert matched == len(relevant) == count


def test_uscg_receiver_times_of_the_libais_examples_are_read() -> None:
    """Without added tag blocks: libais's examples carry USCG fields after the checksum
    (``...*28,d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001``); the
    last field is the time (before: every such line rejected for "no timestamp")."""
    data = (PEERS / "libais" / "typeexamples.nmea").read_bytes()
    chunks = list(read_nmea(io.BytesIO(data)))
    reasons = [r.reason for c in chunks for r in c.rejected]
    assert not [r for r in reasons if r.startswith("no timestamp")]
    first = chunks[0].positions
    assert first["ts"].tolist()[0] == 1_325_394_001_000  # line 2, a type 1
