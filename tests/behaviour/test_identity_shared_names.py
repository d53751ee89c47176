"""Two hulls on one MMSI: their alternating names are evidence of the sharing, not renames.

CSV input read in its default blocks (about 100,000 rows: each file here is one block), so
the identity history is what a real ingest gives. The names each hull broadcast are
reported inside the one ``shared_mmsi`` event, with when each was seen; a real rename stays
a ``name_change``.
"""

from __future__ import annotations

from pathlib import Path

from tests.behaviour.test_gap import ms
from tests.behaviour.test_identity import (
    KN_10_MIN_DEG,
    VICTIM,
    identity_events,
    iso,
    kinds,
    stored,
    track,
)

EAST_12KN = 12 * KN_10_MIN_DEG / 10 / 0.77  # degrees of longitude a minute at 40 N


def zulu(minute: int) -> str:
    return iso(minute) + "Z"


def victim(minutes: list[int], **identity: str) -> list[str]:
    """The MMSI's owner sailing east at 12 kn, reporting at ``minutes``."""
    return [
        row
        for m in minutes
        for row in track(273000001, [m], 40.0, 135.0 + EAST_12KN * m, **identity)
    ]


def impostor(minutes: range) -> list[str]:
    """Another hull on the same MMSI, about 500 km away, under a name of its own."""
    return track(273000001, minutes, 42.0905, 131.0, dlat=0.0005, **{**VICTIM, "name": "FAKE"})


def test_names_alternating_every_few_minutes(tmp_path: Path) -> None:
    # Both hulls report every 10 minutes from 03:05 to 07:55: the names alternate at every
    # message. One shared_mmsi, both names with when each was seen, no name_change.
    rows = [*victim(list(range(0, 720, 10)), **VICTIM), *impostor(range(185, 481, 10))]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [(273000001, "shared_mmsi", None)]
    details = found[0].details
    assert (found[0].start_ms, found[0].end_ms) == (ms(iso(185)), ms(iso(475)))
    assert details["names"] == ["FAKE", "VICTIM"]
    assert details["names_seen"] == [
        {"name": "FAKE", "first_seen": zulu(185), "last_seen": zulu(475), "runs": 30},
        {"name": "VICTIM", "first_seen": zulu(0), "last_seen": zulu(710), "runs": 31},
    ]
    assert details["alternating"] == {"name": ["FAKE", "VICTIM"]}


def test_names_alternating_hours_apart(tmp_path: Path) -> None:
    # The owner is silent while the other hull uses its MMSI (03:05 to 07:55): the name
    # changes to FAKE and back five hours later, longer than flap_hours (1 h). The two
    # tracks show the sharing: the changes are part of it, not renames.
    minutes = [*range(0, 181, 10), *range(485, 720, 10)]
    rows = [*victim(minutes, **VICTIM), *impostor(range(185, 481, 10))]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [(273000001, "shared_mmsi", None)]
    details = found[0].details
    assert details["reasons"] == ["two_tracks", "identity_alternates"]
    assert details["alternating"] == {"name": ["FAKE", "VICTIM"]}
    assert details["names_seen"] == [
        {"name": "FAKE", "first_seen": zulu(185), "last_seen": zulu(475), "runs": 1},
        {"name": "VICTIM", "first_seen": zulu(0), "last_seen": zulu(715), "runs": 2},
    ]


def test_a_real_rename_stays_a_name_change(tmp_path: Path) -> None:
    # After the sharing (03:05 to 07:55) the owner is renamed NEW NAME at 10:00, for good:
    # a name_change from VICTIM, timed at its first message. Another ship renamed once in
    # the same file: a name_change too.
    minutes = [*range(0, 181, 10), *range(485, 600, 10)]
    rows = [
        *victim(minutes, **VICTIM),
        *victim(list(range(600, 720, 10)), **{**VICTIM, "name": "NEW NAME"}),
        *impostor(range(185, 481, 10)),
        *track(273000002, range(0, 300, 10), 41.0, 133.0, name="OLD"),
        *track(273000002, range(300, 720, 10), 41.0, 133.0, name="RENAMED"),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [
        (273000001, "shared_mmsi", None),
        (273000002, "name_change", None),
        (273000001, "name_change", None),
    ]
    shared, other, renamed = found
    assert shared.details["alternating"] == {"name": ["FAKE", "VICTIM"]}
    assert (renamed.start_ms, renamed.end_ms) == (ms(iso(600)), None)
    assert renamed.details["changed"] == {"name": {"from": "VICTIM", "to": "NEW NAME"}}
    assert other.start_ms == ms(iso(300))
    assert other.details["changed"] == {"name": {"from": "OLD", "to": "RENAMED"}}


def test_one_hull_whose_dimensions_alternate_is_not_a_shared_mmsi(tmp_path: Path) -> None:
    # Real traffic (Panama Canal, 2014): a tanker at anchor all hour, one track, whose type 5
    # reports alternate 229 x 32 and 229 x 36 m (its transponder switching antenna
    # reference point, or a garbled report), name, IMO and call sign never changing. Two
    # hulls would show two tracks or two names: this is one ship.
    rows = [
        *track(273000005, range(0, 240, 10), 41.0, 132.0, **{**VICTIM, "width": "32"}),
        *track(273000005, range(5, 240, 30), 41.0, 132.0, **{**VICTIM, "width": "36"}),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert [k for k in kinds(found) if k[1] == "shared_mmsi"] == []
    # The same alternation with the name alternating too is two transmitters.
    rows = [
        *track(273000006, range(0, 240, 10), 41.0, 132.0, **{**VICTIM, "width": "32"}),
        *track(273000006, range(5, 240, 30), 41.0, 132.0, **{**VICTIM, "name": "TWO"}),
    ]
    found = identity_events(stored(tmp_path / "two", rows))
    assert kinds(found) == [(273000006, "shared_mmsi", None)]
