"""The identity detector: hand-made stores for each trick and for what is not one, and the
generated rajin scenario against its ground truth (two seeds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.ais.store import PositionStore
from sanctionwatch.behaviour.accuracy import matches, score
from sanctionwatch.behaviour.accuracy import ms as when
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.ais.test_csv_ingest import dma_row
from tests.behaviour.support import simulated_store
from tests.behaviour.test_gap import ms, store_with

START = datetime(2024, 3, 1, tzinfo=UTC)
KN_10_MIN_DEG = 1852 / 111_195 / 6  # degrees of latitude sailed in 10 minutes at 1 kn


@pytest.fixture(autouse=True)
def row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Identity read row by row, as NMEA is (a CSV block groups equal identity rows first:
    see docs/ais.md), so that alternating values are seen as they happen."""
    import sanctionwatch.ais.csv_formats as csv_module

    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 150)


def at(minute: float) -> str:
    return (START + timedelta(minutes=minute)).strftime("%d/%m/%Y %H:%M:%S")


def iso(minute: float) -> str:
    return (START + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S")


def track(
    mmsi: int,
    minutes: range | list[int],
    lat: float,
    lon: float,
    dlat: float = 0.0,
    dlon: float = 0.0,
    **identity: str,
) -> list[str]:
    """A report at each of ``minutes``, moving ``dlat``/``dlon`` degrees per minute."""
    rows = []
    first = minutes[0]
    for minute in minutes:
        y = lat + dlat * (minute - first)
        x = (lon + dlon * (minute - first) + 180) % 360 - 180
        rows.append(dma_row(at(minute), str(mmsi), f"{y:.5f}", f"{x:.5f}", **identity))
    return rows


def stored(tmp_path: Path, rows: list[str]) -> PositionStore:
    """A store of ``rows`` in time order, as a receiver writes them (the ingest summarises
    static reports in file order)."""
    return store_with(
        tmp_path, sorted(rows, key=lambda r: datetime.strptime(r[:19], "%d/%m/%Y %H:%M:%S"))
    )


def identity_events(
    store: PositionStore, window: Window | None = None, **overrides: float
) -> list[Event]:
    params = load_params()
    params["identity"].update(overrides)
    return detect(DuckDBEngine(store), params, window, ["identity"])


def kinds(found: list[Event]) -> list[tuple[int, str, int | None]]:
    return [(e.mmsi, e.details["kind"], e.other_mmsi) for e in found]


VICTIM = {"name": "VICTIM", "callsign": "UVIC1", "imo": "9179842", "type": "Cargo",
          "length": "110", "width": "18"}  # fmt: skip
IMPOSTOR = {"name": "IMPOSTOR", "callsign": "HMIM2", "imo": "9074729", "type": "Tanker",
            "length": "80", "width": "12"}  # fmt: skip


def test_one_mmsi_in_two_places_names_the_impostor(tmp_path: Path) -> None:
    # The victim sails east at 12 kn all day; the impostor, about 500 km away, switches to
    # the victim's MMSI (and a name of its own) from 03:05 to 08:00, its own MMSI silent.
    rows = [
        *track(
            273000001, range(0, 720, 10), 40.0, 135.0, dlon=12 * KN_10_MIN_DEG / 10 / 0.77, **VICTIM
        ),
        *track(273000002, range(0, 181, 10), 42.0, 131.0, dlat=0.0005, **IMPOSTOR),
        *track(
            273000001,
            range(185, 481, 10),
            42.0905,
            131.0,
            dlat=0.0005,
            **{**IMPOSTOR, "name": "FAKE", "imo": "9179842"},
        ),
        *track(273000002, range(485, 720, 10), 42.2405, 131.0, dlat=0.0005, **IMPOSTOR),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [(273000001, "shared_mmsi", 273000002)]
    shared = found[0]
    assert (shared.start_ms, shared.end_ms) == (ms(iso(185)), ms(iso(475)))
    details = shared.details
    assert details["reasons"] == ["two_tracks", "identity_alternates"]
    assert details["names"] == ["FAKE", "VICTIM"]
    assert 450 < details["min_separation_km"] <= details["max_separation_km"] < 600
    assert details["positions"] == [72, 30]
    assert "name" in details["alternating"] and "length" in details["alternating"]


def test_alternating_identity_alone_is_a_shared_mmsi(tmp_path: Path) -> None:
    # Two ships a kilometre apart on one MMSI: the tracks cannot be told apart, the names
    # alternate every few minutes: one shared_mmsi, no name changes.
    a = track(273000003, range(0, 240, 10), 41.0, 132.0, **{**VICTIM, "name": "ONE"})
    b = track(273000003, range(5, 125, 10), 41.009, 132.0, **{**VICTIM, "name": "TWO"})
    found = identity_events(stored(tmp_path, [*a, *b]))
    assert kinds(found) == [(273000003, "shared_mmsi", None)]
    assert found[0].details["reasons"] == ["identity_alternates"]
    assert found[0].details["alternating"] == {"name": ["ONE", "TWO"]}
    assert (found[0].start_ms, found[0].end_ms) == (ms(iso(5)), ms(iso(120)))


def test_changes_of_one_mmsi_one_event_per_instant(tmp_path: Path) -> None:
    renamed = {**VICTIM, "name": "NEW NAME", "callsign": "UNEW1"}
    rows = [
        # Name and call sign change together at 02:10: one event.
        *track(273000010, range(0, 121, 10), 40.0, 135.0, **VICTIM),
        *track(273000010, range(130, 360, 10), 40.0, 135.0, **renamed),
        # No name at first (filled from blank later): no change.
        *track(273000011, range(0, 60, 10), 41.0, 135.0, **{**IMPOSTOR, "name": ""}),
        *track(273000011, range(60, 360, 10), 41.0, 135.0, **IMPOSTOR),
        # An IMO number with a wrong check digit from 03:00.
        *track(273000012, range(0, 180, 10), 42.0, 135.0, imo="9481245"),
        *track(273000012, range(180, 360, 10), 42.0, 135.0, imo="9481246"),
    ]
    store = stored(tmp_path, rows)
    found = identity_events(store)
    assert kinds(found) == [(273000010, "name_change", None), (273000012, "imo_change", None)]
    name, imo = found
    assert (name.start_ms, name.end_ms) == (ms(iso(130)), None)
    assert name.details["changed"] == {
        "name": {"from": "VICTIM", "to": "NEW NAME"},
        "callsign": {"from": "UVIC1", "to": "UNEW1"},
    }
    assert name.details["reasons"] == ["name_change", "callsign_change"]
    assert imo.start_ms == ms(iso(180))
    assert imo.details["changed"] == {"imo": {"from": 9481245, "to": 9481246}}
    assert imo.details["reasons"] == ["imo_change", "invalid_imo"]

    # A window that starts after the changes sees none of them.
    assert identity_events(store, Window(start_ms=ms(iso(200)))) == []


def test_standing_conditions_one_event_per_mmsi(tmp_path: Path) -> None:
    rows = [
        # MID 299 is allocated to no state, and the IMO number fails its check digit.
        *track(299000001, range(0, 240, 10), 40.0, 135.0, **{**VICTIM, "imo": "9179843"}),
        # An invalid IMO number from the first broadcast on.
        *track(273000013, range(30, 240, 10), 41.0, 135.0, **{**IMPOSTOR, "imo": "1234568"}),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [(299000001, "unallocated_mid", None), (273000013, "invalid_imo", None)]
    mid, imo = found
    assert (mid.start_ms, mid.end_ms) == (ms(iso(0)), ms(iso(230)))
    assert mid.details["reasons"] == ["unallocated_mid", "invalid_imo"]
    assert mid.details["mid_problem"] == "MID 299 is not allocated to any state"
    assert (imo.start_ms, imo.end_ms) == (ms(iso(30)), ms(iso(230)))
    assert imo.details["imo"] == 1234568


def test_one_imo_two_mmsis_reflag_and_clone(tmp_path: Path) -> None:
    port = (43.0, 132.0)
    rows = [
        # Re-flagged in port, Russia -> Comoros: new MMSI and call sign, same name and IMO.
        *track(273000020, range(0, 240, 10), *port, **VICTIM),
        *track(620000021, range(250, 480, 10), *port, **{**VICTIM, "callsign": "D6AA1"}),
        # A new MMSI under the same flag.
        *track(273000040, range(0, 240, 10), 44.0, 135.0, **IMPOSTOR),
        *track(273000041, range(250, 480, 10), 44.0, 135.0, **IMPOSTOR),
        # One IMO on two ships far apart at the same time: a clone.
        *track(273000030, range(0, 480, 10), 40.0, 135.0, **{**VICTIM, "imo": "9481245"}),
        *track(273000031, range(60, 300, 10), 41.5, 137.0, **{**IMPOSTOR, "imo": "9481245"}),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert sorted(kinds(found)) == [
        (273000031, "imo_clone", 273000030),
        (273000041, "mmsi_change", 273000040),
        (620000021, "flag_change", 273000020),
    ]
    by_mmsi = {e.mmsi: e for e in found}
    reflag = by_mmsi[620000021]
    assert (reflag.start_ms, reflag.end_ms) == (ms(iso(250)), None)
    assert reflag.details["changed"] == {
        "mmsi": {"from": 273000020, "to": 620000021},
        "flag": {"from": "RU", "to": "KM"},
        "callsign": {"from": "UVIC1", "to": "D6AA1"},
    }
    assert reflag.details["linked_by"] == "imo"
    clone = by_mmsi[273000031]
    assert (clone.start_ms, clone.end_ms) == (ms(iso(60)), ms(iso(290)))
    assert clone.details["imo"] == 9481245


def test_new_mmsi_by_track_handover(tmp_path: Path) -> None:
    ghost = {"name": "GE", "callsign": "5NGE1", "type": "Cargo", "length": "124", "width": "20"}
    rows = [
        *track(
            273000050, range(0, 300, 10), 41.0, 130.0, **{**VICTIM, "length": "124", "width": "20"}
        ),
        *track(657000051, range(305, 720, 10), 41.0, 130.0, dlat=0.002, **ghost),
        # Same place and time, different dimensions: two ships.
        *track(273000052, range(0, 360, 10), 41.5, 130.5, **IMPOSTOR),
        *track(
            273000053, range(365, 720, 10), 41.5, 130.5, **{**IMPOSTOR, "imo": "", "length": "90"}
        ),
        *track(273000054, range(0, 720, 10), 40.0, 135.0),  # the data runs all day
        # Same dimensions, one berth, but two different valid IMO numbers: two ships.
        *track(273000055, range(0, 300, 10), 42.0, 131.0, **{**VICTIM, "imo": "9161003"}),
        *track(273000056, range(305, 720, 10), 42.0, 131.0, **{**VICTIM, "imo": "9358010"}),
    ]
    found = identity_events(stored(tmp_path, rows))
    assert kinds(found) == [(657000051, "flag_change", 273000050)]
    details = found[0].details
    assert details["linked_by"] == "track_handover"
    assert details["changed"] == {
        "mmsi": {"from": 273000050, "to": 657000051},
        "flag": {"from": "RU", "to": "NG"},
        "callsign": {"from": "UVIC1", "to": "5NGE1"},
        "name": {"from": "VICTIM", "to": "GE"},
        "imo": {"from": 9179842, "to": None},
    }
    assert found[0].start_ms == ms(iso(305))


def test_what_is_not_an_identity_trick(tmp_path: Path) -> None:
    east_25kn = 25 * KN_10_MIN_DEG / 10 / 0.766  # degrees of longitude a minute at 40 N
    rows = [
        # 25 kn with a 30-minute gap: fast, but one ship.
        *track(
            273000060,
            [*range(0, 120, 10), *range(140, 300, 10)],
            40.0,
            135.0,
            dlon=east_25kn,
            **VICTIM,
        ),
        # Duplicate time stamps: the same report twice, and one 500 m off.
        *track(273000061, range(0, 300, 10), 41.0, 135.0, **IMPOSTOR),
        *track(273000061, range(0, 300, 30), 41.0, 135.0, **IMPOSTOR),
        *track(273000061, [100], 41.0045, 135.0, **IMPOSTOR),
        # One GPS jump of 100 km: a segment of one position is noise, not a second ship.
        *track(
            273000062,
            [*range(0, 100, 10), *range(110, 300, 10)],
            42.0,
            135.0,
            dlat=0.001,
            **{**VICTIM, "imo": "9481245"},
        ),
        *track(273000062, [105], 42.9, 135.0, **{**VICTIM, "imo": "9481245"}),
        # Two positions 100 km off: still fewer than min_segment_positions (3).
        *track(273000064, range(0, 300, 10), 43.0, 134.0, **{**VICTIM, "imo": "9161003"}),
        *track(273000064, [103, 106], 43.9, 134.0, **{**VICTIM, "imo": "9161003"}),
        # Across the antimeridian at 12 kn.
        *track(
            273000063,
            range(0, 300, 10),
            50.0,
            179.8,
            dlon=12 * KN_10_MIN_DEG / 10 / 0.643,
            **{**IMPOSTOR, "imo": "8604917"},
        ),
    ]
    store = stored(tmp_path, rows)
    engine = DuckDBEngine(store)
    lons = [r["lon"] for r in engine.query("SELECT lon FROM positions WHERE mmsi = 273000063")]
    assert min(lons) < -179.5 and max(lons) > 179.5  # it does cross
    assert identity_events(store) == []
    # Two reports at one time stamp are stored, 500 m apart; and the jumps were looked at:
    # with two-position segments counted as ships, the burst is a second ship.
    same_time = (
        f"SELECT lat FROM positions WHERE mmsi = 273000061 AND epoch_ms(ts) = {ms(iso(100))}"
    )
    assert len({r["lat"] for r in engine.query(same_time)}) == 2
    assert kinds(identity_events(store, min_segment_positions=2)) == [
        (273000064, "shared_mmsi", None)
    ]


def test_punctuation_in_a_name_is_not_a_rename(tmp_path: Path) -> None:
    # Seen in real MarineCadastre data: "JULIE.GONSOULIN" then "JULIE GONSOULIN" (short
    # names here: the autouse fixture reads 150-byte CSV blocks).
    rows = [
        *track(367000001, range(0, 120, 10), 41.0, 135.0, **{**VICTIM, "name": "JO.GO"}),
        *track(367000001, range(120, 240, 10), 41.0, 135.0, **{**VICTIM, "name": "JO.GO"}),
        *track(367000002, range(0, 120, 10), 42.0, 135.0, **{**IMPOSTOR, "name": "DR OR"}),
        *track(367000002, range(120, 240, 10), 42.0, 135.0, **{**IMPOSTOR, "name": "OR"}),
    ]
    assert kinds(identity_events(stored(tmp_path, rows))) == [(367000002, "name_change", None)]


def test_empty_store(tmp_path: Path) -> None:
    assert identity_events(stored(tmp_path, [])) == []


# -- the rajin scenario --------------------------------------------------------------------


def strictly_matches(event: Event, truth: dict[str, Any]) -> bool:
    """The issue's rule: same MMSI, the same pair when both name a second MMSI, times
    overlapping (an end of null runs to the end of the data)."""
    if event.mmsi != truth["mmsi"]:
        return False
    pair = (event.other_mmsi, truth["other_mmsi"])
    return (None in pair or pair[0] == pair[1]) and matches(event, truth)


@pytest.mark.parametrize("seed", [11, 12])
def test_identity_matches_the_ground_truth(tmp_path: Path, seed: int) -> None:
    store, truth = simulated_store(tmp_path, seed=seed)
    found = detect(DuckDBEngine(store), load_params(), None, only=["identity"])
    tricks = [t for t in truth if t["type"] == "identity"]
    assert {t["details"]["kind"] for t in tricks} >= {"shared_mmsi", "name_change", "imo_change"}
    s = score(found, truth, ["identity"])["identity"]
    assert s.precision is not None and s.precision >= 0.9, s.false_positives
    assert s.recall is not None and s.recall >= 0.95, s.missed
    right = [e for e in found if any(strictly_matches(e, t) for t in tricks)]
    recalled = [t for t in tricks if any(strictly_matches(e, t) for e in found)]
    assert len(right) / len(found) >= 0.9, [e.to_dict() for e in found if e not in right]
    assert len(recalled) / len(tricks) >= 0.95, [t for t in tricks if t not in recalled]
    # Stricter still: the shared MMSI names the impostor, and every change is found within
    # an hour of when it was made, as the kind of change the truth says, with its fields.
    for t in tricks:
        event = next(e for e in found if strictly_matches(e, t))
        if t["end"] is None:
            assert abs(event.start_ms - (when(t["start"]) or 0)) <= 3_600_000, event.to_dict()
            assert event.details["kind"] == t["details"]["kind"], event.to_dict()
            assert event.details["changed"] == t["details"]["changed"], event.to_dict()
        else:
            assert event.other_mmsi == t["other_mmsi"], event.to_dict()
