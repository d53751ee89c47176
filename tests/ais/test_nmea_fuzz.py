"""read_nmea on hostile input: random bytes and mutated real lines never make it raise, and
every line read has exactly one outcome.

The invariant, per chunk: the chunk's lines plus the lines the previous chunk left pending
(fragments waiting for the rest of their message) equal its positions, plus its static
and fragment lines, plus those rejected, plus those skipped, plus the lines left pending;
nothing is pending after the last chunk. No line is both a position and a rejection, or
rejected twice. Line numbers stay within the input, every physical line is read exactly
once, and the result does not depend on how the input is cut into chunks. (The same at
the level of a whole ingest, with the store's dedup: test_ingest_fuzz.py.)
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionwatch.ais.model import StaticReport
from sanctionwatch.ais.nmea import read_nmea

GFW = Path(__file__).resolve().parents[1] / "data" / "ais" / "nmea" / "gfw_ais_tools_edge_cases"
# Real lines of every kind: tag blocks, groups, several sentences on a line, multi-sentence
# messages, checksum errors, $ sentences, vendor times.
REAL_LINES = [
    line
    for path in sorted(GFW.glob("*.nmea"))
    for line in path.read_bytes().splitlines()
    if line.strip()
] + [
    b"$PGHP,1,2012,1,27,9,58,26,36,316,2,316000002,1AIS_S,0F*32",
    b"!AIVDM,1,1,,A,>l=<Q930900J284@90f4bS>N8<TEb7D,2*0F",
    b"!AIVDM,1,1,,B,H52KsnQ8DDj1Lu9@PhE=>222220,2*30,1327664821",
    b"$PSHI,001,01.53524524,,01691,32611,114701.28,2,0057,-079*3B",
    b"!ASVDO,1,1,4,A,4@4k0W1uhMcfsbf=MQkvWTW00000,0*0D",
    b"!AIVDM,1,1,,B,,0*25",
]
TAG_BLOCKS = [b"\\c:1420030798*00\\", b"\\g:1-2-7,s:x*1A\\", b"\\g:2-2-7*52\\", b"\\*\\", b"\\"]
JUNK = b"!$\\*,:-0123456789ABZaz@`w\x00\xff\r\t "


@st.composite
def mutated_line(draw: st.DrawFn) -> bytes:
    line = bytearray(draw(st.sampled_from(REAL_LINES)))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["flip", "truncate", "insert", "tag", "double", "delete"]))
        at = draw(st.integers(0, len(line)))
        if action == "flip" and line:
            line[min(at, len(line) - 1)] = draw(st.sampled_from(JUNK))
        elif action == "truncate":
            del line[at:]
        elif action == "insert":
            line[at:at] = bytes([draw(st.sampled_from(JUNK))])
        elif action == "tag":
            line[at:at] = draw(st.sampled_from(TAG_BLOCKS))
        elif action == "double":
            line.extend(bytes(line))
        elif action == "delete" and line:
            del line[min(at, len(line) - 1)]
    return bytes(line)


any_line = st.one_of(
    mutated_line(),
    st.sampled_from(REAL_LINES),
    st.binary(max_size=90).map(lambda b: b.replace(b"\n", b"")),
)


def summary(data: bytes, chunk_lines: int) -> tuple[object, ...]:
    """What a reading produced, independent of how it was cut into chunks."""
    positions: list[tuple[int, int, int, str | None]] = []
    statics: list[StaticReport] = []
    rejected: list[tuple[int, str, str]] = []
    skipped: Counter[str] = Counter()
    for chunk in read_nmea(io.BytesIO(data), chunk_lines=chunk_lines):
        columns = chunk.positions
        names = [chunk.stations[i] if i >= 0 else None for i in columns["station"].tolist()]
        columns_used = (columns["line"].tolist(), columns["mmsi"].tolist(), columns["ts"].tolist())
        positions += zip(*columns_used, names, strict=True)
        statics += chunk.statics
        rejected += [(r.line, r.reason, r.text) for r in chunk.rejected]
        skipped.update(chunk.skipped)
    return positions, statics, sorted(rejected), skipped


def check(data: bytes, chunk_lines: int) -> None:
    # Lines end with b"\n" (so b"\r\n" too); a lone b"\r" does not end one.
    physical_lines = data.count(b"\n") + (bool(data) and not data.endswith(b"\n"))
    pending = 0
    lines_read = 0
    position_lines: list[int] = []
    rejected_lines: list[int] = []
    chunks = list(read_nmea(io.BytesIO(data), chunk_lines=chunk_lines))
    for chunk in chunks:
        skipped = sum(chunk.skipped.values())
        decided = len(chunk.positions["mmsi"]) + sum(chunk.outcomes.values())
        decided += len(chunk.rejected) + skipped
        assert chunk.lines_read + pending == decided + chunk.lines_pending
        assert all(count > 0 for count in chunk.outcomes.values())
        pending = chunk.lines_pending
        lines_read += chunk.lines_read
        first, last = lines_read - chunk.lines_read + 1, lines_read
        assert all(1 <= r.line <= last for r in chunk.rejected)
        assert all(first <= line <= last for line in chunk.positions["line"].tolist())
        assert all(first <= s.line <= last for s in chunk.statics)
        assert all(-1 <= s < len(chunk.stations) for s in chunk.positions["station"].tolist())
        columns = {len(column) for column in chunk.positions.values()}
        assert len(columns) == 1
        position_lines += chunk.positions["line"].tolist()
        rejected_lines += [r.line for r in chunk.rejected]
    assert pending == 0
    assert lines_read == physical_lines
    # One outcome per line: a line is at most one position or one rejection, never both.
    assert len(set(position_lines)) == len(position_lines)
    assert len(set(rejected_lines)) == len(rejected_lines)
    assert not set(position_lines) & set(rejected_lines)
    assert summary(data, chunk_lines) == summary(data, 1_000_000)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_line, max_size=40), st.integers(1, 8), st.sampled_from([b"\n", b"\r\n"]))
def test_never_raises_and_accounts_for_every_record(
    lines: list[bytes], chunk_lines: int, newline: bytes
) -> None:
    check(newline.join(lines), chunk_lines)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.integers(1, 50))
def test_random_bytes(data: bytes, chunk_lines: int) -> None:
    check(data, chunk_lines)


def test_all_real_lines_in_one_stream() -> None:
    check(b"\n".join(REAL_LINES * 3), 7)
