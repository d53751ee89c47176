"""A track hand-over across a hole in the data needs more than matching dimensions (issue
12: two fishing boats of one common size, one leaving before a two-hour hole in reception
and one arriving after it, were read as one ship changing its MMSI)."""

from __future__ import annotations

from pathlib import Path

from tests.behaviour.test_identity import identity_events, kinds, stored, track

BOAT = {"type": "Fishing", "length": "24", "width": "7", "imo": ""}
FIRST = {**BOAT, "name": "HAVBRIS", "callsign": "OU2211"}
SECOND = {**BOAT, "name": "NORDLYS", "callsign": "OW4455"}


def boats(second: dict[str, str], neighbour_minutes: list[int]) -> list[str]:
    """A boat last heard at 04:50, another of the same size from 06:40 a few km away, and a
    neighbour 10 km off heard at ``neighbour_minutes``; a far vessel keeps the data running."""
    return [
        *track(219000101, range(0, 300, 10), 57.50, 10.60, **FIRST),
        *track(219000202, range(400, 720, 10), 57.52, 10.62, **second),
        *track(219000303, neighbour_minutes, 57.55, 10.75),
        *track(273000404, range(0, 720, 10), 42.0, 131.0),
    ]


def test_no_handover_across_a_hole_in_the_data(tmp_path: Path) -> None:
    # the neighbour is silent from 04:50 to 06:40 too: nobody was heard, a hole in the data
    rows = boats(SECOND, [*range(0, 300, 10), *range(400, 720, 10)])
    assert kinds(identity_events(stored(tmp_path, rows))) == []


def test_a_handover_while_the_neighbours_were_heard_is_still_found(tmp_path: Path) -> None:
    rows = boats(SECOND, list(range(0, 720, 10)))
    assert kinds(identity_events(stored(tmp_path, rows))) == [(219000202, "mmsi_change", 219000101)]


def test_across_a_hole_the_same_name_still_links_the_tracks(tmp_path: Path) -> None:
    rows = boats({**SECOND, "name": "HAVBRIS"}, [*range(0, 300, 10), *range(400, 720, 10)])
    assert [k[1:] for k in kinds(identity_events(stored(tmp_path, rows)))] == [
        ("mmsi_change", 219000101)
    ]
