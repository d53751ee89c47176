"""Our decoder against pyais's expectations, field by field.

pyais (MIT, tests/data/ais/peers/pyais, PROVENANCE.md there) keeps its expected decodes in
its test code; ``pyais_expectations.extract`` reads them as data (``ast``, never run). Each
distinct input (a test function's sentences) is fed to ``read_nmea`` with a tag-block time,
and has exactly one verdict:

- compared: a message type we store (positions 1, 2, 3, 18, 19, 27; statics 5, 19, 24), so
  every field we keep that pyais asserts must come out the same. pyais rounds degrees to 6
  decimals and gives knots and degrees to 0.1 (type 27: whole), so ours are rounded alike,
  or as the assert rounds. Fields that pyais gives as "not available" raw values are our
  missing values: heading 511 (or 360+) is -1, speed 102.3 and course 360 are NaN (as in
  test_peers.py). Sizes are to_bow + to_stern and to_port + to_starboard; 0 and "" are None;
- not stored: any other message type must be skipped as "message type N";
- refused by both: pyais expects an exception and we store nothing from it;
- a known difference (KNOWN below, each with its reason): what our reader says instead is
  asserted. Inputs refused only for a bad checksum are also compared with their checksum
  corrected, where the rest of the message is whole.

pyais's ``assert msg["lon"], 2 == -88.810394`` (test_msg_type_19) asserts nothing but that
lon is truthy; it is not read as an expectation.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.ais.nmea_support import T0, Read, checksum, read, tag
from tests.ais.pyais_expectations import Expected, PyaisCase, Unresolved, extract

PYAIS = Path(__file__).resolve().parents[1] / "data" / "ais" / "peers" / "pyais"
EXTRACTED = 129  # distinct inputs in pyais @38afd748's test_decode.py (fails if fewer are read)
COMPARED_FIELDS = 132  # field values compared, checksum-corrected inputs included
POSITION_TYPES = {1, 2, 3, 18, 19, 27}
STATIC_TYPES = {5, 19, 24}
POSITION_FIELDS = {
    "mmsi": "mmsi",
    "msg_type": "msg_type",
    "lat": "lat",
    "lon": "lon",
    "speed": "sog",
    "course": "cog",
    "heading": "heading",
    "status": "nav_status",
}
STATIC_FIELDS = {
    "mmsi": "mmsi",
    "shipname": "name",
    "callsign": "callsign",
    "imo": "imo",
    "ship_type": "ship_type",
    "draught": "draught",
    "destination": "destination",
}
SIZES = {"length": ("to_bow", "to_stern"), "width": ("to_port", "to_starboard")}
BAD_CHECKSUM = "checksum mismatch"


@dataclass(frozen=True)
class Known:
    """What our reader says instead (the start of a rejection or skip reason), and why."""

    reason: str
    why: str
    compare_corrected: bool = False  # compare with the checksum corrected


PYAIS_IGNORES_CHECKSUM = "pyais does not verify checksums by default; we reject the line"
# (pyais test function, first sentence): our decision. Every entry must be hit.
KNOWN = {
    ("test_decode_pos_1_2_3", "!AIVDM,1,1,,B,0S9edj0P03PecbBN`ja@0?w42cFC,0*7C"): Known(
        "message type 0 is not defined",
        "ITU-R M.1371 defines types 1-27; pyais reads a type 0 with the type 1 layout",
    ),
    ("test_decode_1_speed", "!AIVDM,1,1,,A,13@nePh01>PjcO4PGReoJEmL0HJg,0*67"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM, compare_corrected=True
    ),
    (
        "test_msg_with_more_that_82_chars_payload",
        "!AIVDM,1,1,,B,53ktrJ82>ia4=50<0020<5=@Dhv0t8T@u<0000001PV854Si0;mR@CPH13p0hDm1C3h0000,2*35",
    ): Known(BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM, compare_corrected=True),
    (
        "test_msg_type_8_multipart",
        "!AIVDO,2,1,,A,8=?eN>0000:C=4B1KTTsgLoUelGetEo0FoWr8jo=?045TNv5Tge6sAUl4MKWo,0*5F",
    ): Known(BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (fragment 2 is then alone)"),
    ("test_nmea_decode_unknown_msg", "!AIVDO,1,1,,,C>qc:003wk?8mP=18D3Q3wgTiT;T,0*13"): Known(
        BAD_CHECKSUM, "hand-edited sentence; pyais raises only because the test sets ais_id 29"
    ),
    ("test_msg_too_short_enum_is_none", "!AIVDM,1,1,,B,E>lt;,2*52"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    ("test_msg_too_short_enum_is_none", "!AIVDM,1,1,,B,15M6,0*5C"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    ("test_msg_too_short_enum_is_none", "!AIVDM,2,1,1,A,55?MbV02;H,0*00"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    ("test_type_25_very_short", "!AIVDO,1,1,,A,Ig,0*65"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    ("test_type_26_very_short", "!AIVDO,1,1,,A,Jgg,4*4E"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    ("test_type_22_very_short", "!AIVDO,1,1,,A,F0001,0*74"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a truncated payload)"
    ),
    (
        "test_decode_does_not_raise_an_error_if_error_if_checksum_invalid_is_false",
        "!AIVDM,1,1,,B,15NG6V0P01G?cFhE`R2IU?wn28R>,0*FF",
    ): Known(BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM),
    (
        "test_decode_does_not_raise_an_error_by_default",
        "!AIVDM,1,1,,B,15NG6V0P01G?cFhE`R2IU?wn28R>,0*FF",
    ): Known(BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM),
    ("test_issue_88", "!AIVDM,1,1,,B,3815;`100!PhmnPPwL=3OmUd0Dg:,0*45"): Known(
        BAD_CHECKSUM, PYAIS_IGNORES_CHECKSUM + " (a '!' inside the payload)"
    ),
    ("test_msg_type_28_authed", "!AIVDO,1,1,,A,L1mg=5@@G:uk?S:I0@ph>A5E>L@1,0*43"): Known(
        "message type 28 is not defined",
        "type 28 is not in ITU-R M.1371 (1-27); pyais decodes a draft layout of its own",
    ),
    (
        "test_decode_out_of_order",
        "!AIVDM,2,2,4,A,000000000000000,2*20",
    ): Known(
        "fragment 2 of 2 (seq 4, channel A) without fragment 1",
        "fragments are assembled in the order received, as gpsd does; pyais sorts them",
    ),
    (
        "test_issue_46_a",
        "!ARVDM,2,1,3,B,E>m1c1>9TV`9WW@97QUP0000000F@lEpmdceP00003b,0*5C",
    ): Known(
        "orphan fragment 1 of 2",
        "fragment 1 of 2 alone: pyais decodes what is there, we wait for fragment 2",
    ),
    (
        "test_that_decode_works_for_fragmented_messages_with_empty_payloads",
        "!AIVDM,2,1,0,A,8@2R5Ph0GhRbUqe?n>KS?wvlFR06EuOwiOl?wnSwe7wvlOwwsAwwnSGmwvwt,0*4E",
    ): Known(
        "empty payload",
        "a fragment with an empty payload is rejected (its message, a type 8, is not stored)",
    ),
    (
        "test_timestamp_message",
        "$PGHP,1,2004,12,21,23,59,58,999,219,219000001,219000002,1,6D*56",
    ): Known(
        "$PGHP checksum mismatch",
        "not AIS: pyais parses this Gatehouse time without checking its checksum (57)",
    ),
}


@cache
def cases() -> tuple[PyaisCase, ...]:
    return tuple(extract(PYAIS / "test_decode.py.txt"))


def run(sentences: tuple[bytes, ...]) -> Read:
    """Our reader on the sentences, each AIS sentence given a tag-block time."""
    stamp = tag(f"c:{T0}").encode()
    return read(b"".join((stamp + s if s.lstrip()[:1] == b"!" else s) + b"\n" for s in sentences))


def corrected(sentence: bytes) -> bytes:
    head, _, _ = sentence.rpartition(b"*")
    body = head.lstrip()[1:].decode()
    return b"!" + body.encode() + b"*" + checksum(body).encode()


def message_type(sentences: tuple[bytes, ...]) -> int | None:
    """The AIS type of the first sentence's payload (None when no AIS sentence)."""
    for text in sentences:
        fields = text.lstrip().split(b",")
        if text.lstrip()[:1] == b"!" and len(fields) > 5 and fields[5]:
            code = fields[5][0] - 48
            return code - 8 if code > 40 else code
    return None


def reasons(ours: Read) -> list[str]:
    return [r.reason for r in ours.rejected] + list(ours.skipped)


def same(ours: object, expected: Expected, default_digits: int | None) -> bool:
    value = float(str(expected.value)) if expected.as_text else expected.value
    if value is None or isinstance(ours, str | None):
        return ours == value
    if isinstance(ours, float) and math.isnan(ours):
        return False
    assert isinstance(ours, int | float) and isinstance(value, int | float)
    digits = expected.digits if expected.digits is not None else default_digits
    return (round(ours, digits) if digits is not None else ours) == value


def position_expected(kind: int, field: str, value: object) -> object:
    """pyais's raw "not available" values as our missing values."""
    if field == "heading" and isinstance(value, int) and value >= 360:
        return -1
    if field == "speed" and value in ((63,) if kind == 27 else (102.3, "102.3")):
        return math.nan
    if field == "course" and value in ((511,) if kind == 27 else (360, 360.0, "360.0")):
        return math.nan
    return value


def position_differences(case: PyaisCase, kind: int, ours: Read) -> tuple[int, list[str]]:
    """(fields compared, differences) over every position row we read."""
    compared, differences = 0, []
    whole = 0 if kind == 27 else 1
    digits = {"lat": 6, "lon": 6, "speed": whole, "course": whole}
    for field, column in POSITION_FIELDS.items():
        if field not in case.expected:
            continue
        expected = case.expected[field]
        want = position_expected(kind, field, expected.value)
        for got in ours.column(column):
            compared += 1
            if isinstance(want, float) and math.isnan(want):
                ok = isinstance(got, float) and math.isnan(got)
            else:
                ok = same(got, Expected(want, expected.digits, expected.as_text), digits.get(field))
            if not ok:
                differences.append(f"{case.test}: {field} {got} vs pyais {expected.value}")
    return compared, differences


def static_expected(case: PyaisCase) -> dict[str, Expected]:
    """pyais's static fields under our names: sizes summed, 0 and "" as None."""
    out = {STATIC_FIELDS[k]: v for k, v in case.expected.items() if k in STATIC_FIELDS}
    for name, (one, other) in SIZES.items():
        if one in case.expected and other in case.expected:
            total = case.expected[one].value + case.expected[other].value  # type: ignore[operator]
            out[name] = Expected(float(total))
    for name, expected in out.items():
        if name != "mmsi" and expected.value in (0, ""):
            out[name] = Expected(None)
    return out


def static_differences(case: PyaisCase, ours: Read) -> tuple[int, list[str]]:
    compared, differences = 0, []
    for field, expected in static_expected(case).items():
        for report in ours.statics:
            compared += 1
            got = getattr(report, field)
            if not same(got, expected, 1):
                differences.append(f"{case.test}: {field} {got!r} vs pyais {expected.value!r}")
    return compared, differences


@dataclass
class Tally:
    compared_cases: int = 0
    compared_fields: int = 0
    matched_fields: int = 0
    verdicts: Counter[str] | None = None


def compare(case: PyaisCase, sentences: tuple[bytes, ...], tally: Tally) -> list[str]:
    """Assert a stored type's outcome; return the field differences."""
    kind = message_type(sentences)
    assert kind is not None
    ours = run(sentences)
    differences: list[str] = []
    compared = 0
    if kind in POSITION_TYPES:
        assert len(ours.column("mmsi")) >= 1, (case.test, reasons(ours))
        n, found = position_differences(case, kind, ours)
        compared, differences = compared + n, differences + found
    if kind in STATIC_TYPES:
        assert ours.statics, (case.test, reasons(ours))
        n, found = static_differences(case, ours)
        compared, differences = compared + n, differences + found
    if "msg_type" in case.expected and kind not in POSITION_TYPES:
        compared += 1
        if case.expected["msg_type"].value != kind:
            differences.append(f"{case.test}: type {kind} vs {case.expected['msg_type']}")
    if compared:
        tally.compared_cases += 1
    tally.compared_fields += compared
    tally.matched_fields += compared - len(differences)
    return differences


def verdict(case: PyaisCase, tally: Tally) -> tuple[str, list[str]]:
    """Check one input; (verdict, differences)."""
    key = (case.test, case.sentences[0].decode())
    ours = run(case.sentences)
    assert ours.lines == len(case.sentences)
    stored = len(ours.column("mmsi")) + len(ours.statics)
    if key in KNOWN:
        known = KNOWN[key]
        assert any(r.startswith(known.reason) for r in reasons(ours)), (key, reasons(ours))
        if known.compare_corrected:
            fixed = tuple(corrected(s) if s.startswith(b"!") else s for s in case.sentences)
            return "known", compare(case, fixed, tally)
        return "known", []
    if case.raises is not None:
        assert stored == 0 and reasons(ours), (case.test, case.raises)
        return "refused by both", []
    kind = message_type(case.sentences)
    if kind in POSITION_TYPES | STATIC_TYPES:
        before = tally.compared_cases
        found = compare(case, case.sentences, tally)
        return ("compared" if tally.compared_cases > before else "stored, no field asserted"), found
    assert stored == 0 and f"message type {kind}" in " ".join(ours.skipped), case.test
    return "not stored", []


def test_every_pyais_input_is_extracted_with_its_values() -> None:
    found = cases()
    assert len(found) >= EXTRACTED
    unresolved = [
        (c.test, k, v.value)
        for c in found
        for k, v in c.expected.items()
        if isinstance(v.value, Unresolved) and k in POSITION_FIELDS | STATIC_FIELDS.keys()
    ]
    assert unresolved == []
    # spot checks that the reading of asserts works (pyais's own values)
    by_test = {c.test: c for c in found}
    assert by_test["test_msg_type_1_a"].expected["status"].value == 3  # RestrictedManoeuverability
    assert by_test["test_msg_type_3"].expected["lat"] == Expected(37.8107, 4, line=223)
    assert by_test["test_empty_channel"].expected["lon"].as_text
    assert len(by_test["test_byte_stream"].sentences) == 4
    assert by_test["test_decode_does_raise_an_error_if_error_if_checksum_invalid_is_true"].raises
    assert "lon" not in by_test["test_msg_type_19"].expected  # `assert x, 2 == y` asserts nothing


def test_every_pyais_input_has_one_verdict_and_every_compared_field_matches() -> None:
    tally = Tally(verdicts=Counter())
    differences: list[str] = []
    hit = set()
    for case in cases():
        name, found = verdict(case, tally)
        assert tally.verdicts is not None
        tally.verdicts[name] += 1
        differences += found
        if name == "known":
            hit.add((case.test, case.sentences[0].decode()))
    print(
        f"pyais: {len(cases())} extracted, {tally.compared_cases} compared "
        f"({tally.compared_fields} fields, {tally.matched_fields} matching), "
        f"{len(hit)} known differences; verdicts {dict(tally.verdicts or {})}"
    )
    assert differences == []
    assert hit == set(KNOWN)  # no stale entry
    assert tally.compared_fields >= COMPARED_FIELDS
    assert sum((tally.verdicts or Counter()).values()) == len(cases())


@pytest.mark.parametrize("key", sorted(KNOWN))
def test_each_known_difference_is_explained(key: tuple[str, str]) -> None:
    assert KNOWN[key].why
    assert any(c.test == key[0] and c.sentences[0].decode() == key[1] for c in cases())
