"""The detectors on one real hour of the Panama Canal (`data/ais/aisparser_panama_20140405.nmea.gz`,
npm aisparser 0.1.2, Apache-2.0; provenance in data/ais/PROVENANCE.md), checked by hand in
docs/real-traffic-check.md.

Ships wait at anchor off Balboa and Cristobal, tie up at the Balboa berths, lie in the lock
chambers, and canal tugs and launches come alongside them all the time: everything here is
legitimate, so every event the tests below forbid would be a false one. Three of them
were false events the hand check found (lockages as port calls, one hull read as a shared
MMSI); each comment says the cause and the rule that mends it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import Params, default_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine

PANAMA = Path(__file__).resolve().parents[2] / "data" / "ais" / "aisparser_panama_20140405.nmea.gz"

OVERSEAS_LEYTE = 538004255  # tanker at anchor off Balboa all hour (nav status 1, 0.0-0.1 kn)
MAERSK_ROUBAIX = 477143100  # container ship stopped off Balboa all hour (0.0-0.1 kn)
FEGULUS = 518369000  # cargo ship at anchor south of Balboa all hour
JULIET = 319855000  # yacht at anchor off La Playita / Amador all hour
HAFNIA_LEO = 636016317  # tanker: Miraflores locks, Miraflores Lake, Pedro Miguel lock
HANJIN_PIRAEUS = 370082000  # container ship: Pedro Miguel lock, then Gaillard Cut at 8 kn
EVER_DEVELOP = 356391000  # container ship: Gatun locks, then Gatun Lake southbound at 5-6 kn


@pytest.fixture(scope="module")
def panama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IngestCounts, DuckDBEngine]]:
    store = open_store(tmp_path_factory.mktemp("panama") / "home")
    counts = ingest_file(store, Source(PANAMA))
    engine = DuckDBEngine(store)
    yield counts, engine
    engine.close()


@pytest.fixture(scope="module")
def events(panama: tuple[IngestCounts, DuckDBEngine]) -> list[Event]:
    return detect(panama[1], default_params())


def _params(**encounter: float) -> Params:
    params = default_params()
    params["encounter"].update(encounter)
    return params


def test_the_log_is_dated_by_its_base_stations(panama: tuple[IngestCounts, DuckDBEngine]) -> None:
    counts, _ = panama
    # Only the 138 lines before the first type 4 report (line 153) lack a time.
    assert counts.rejected_by_reason["no timestamp"] == 138
    assert counts.accepted == 21_892
    assert counts.vessels == 271
    assert counts.first_ts is not None and counts.last_ts is not None
    assert (counts.last_ts - counts.first_ts) / 60_000 == pytest.approx(63.2, abs=0.1)


def test_no_encounter_between_ships_at_canal_berths_and_anchorages(
    panama: tuple[IngestCounts, DuckDBEngine],
) -> None:
    # The log lasts 63 minutes, so the 2 h rule alone would hide any pair: with 30 minutes,
    # 243 pairs lie within 500 m below 2 kn (berths at Balboa and Cristobal, the anchorages),
    # and every one is within 10 km of a port place. Before the place model (6cca81e, World
    # Port Index points only) 51 of them were encounters.
    engine = panama[1]
    alongside = detect(engine, _params(min_hours=0.5, min_port_km=0.0), only=["encounter"])
    assert len(alongside) >= 200
    assert detect(engine, _params(min_hours=0.5), only=["encounter"]) == []


def test_no_encounter_gap_or_loitering_in_the_hour(events: list[Event]) -> None:
    assert {e.type for e in events} == {"port_call", "identity", "draught_change"}


def test_ships_at_anchor_off_balboa_make_port_calls(events: list[Event]) -> None:
    calls = {e.mmsi: e for e in events if e.type == "port_call"}
    for mmsi in (OVERSEAS_LEYTE, JULIET):
        assert calls[mmsi].port == "Panama City"
        assert calls[mmsi].details["open_start"] and calls[mmsi].details["open"]


def test_one_hull_with_two_antenna_reference_points_is_not_a_shared_mmsi(
    events: list[Event],
) -> None:
    # Each of these lies at anchor all hour, one track, with type 5 reports that alternate
    # their size (229 x 32 / 229 x 36 m, 146 x 13 / 147 x 23, 151 x 23 / 250 x 2): the
    # antenna reference point switching, or garbled reports; name, IMO and call sign never
    # change. Size alone is no evidence of a second hull (NAMING_FIELDS).
    shared = {e.mmsi for e in events if e.details.get("kind") == "shared_mmsi"}
    assert not shared & {OVERSEAS_LEYTE, MAERSK_ROUBAIX, FEGULUS}


def test_a_lockage_in_transit_is_not_a_port_call(events: list[Event]) -> None:
    # GFW anchorage points lie in the lock chambers and belong to the places Panama City and
    # Colon. These ships lay 10-16 minutes in a chamber (HAFNIA LEO 18 minutes in two), one
    # position for EVER DEVELOP: a call needs 30 minutes still (min_stop_minutes).
    callers = {e.mmsi for e in events if e.type == "port_call"}
    assert not callers & {HAFNIA_LEO, HANJIN_PIRAEUS, EVER_DEVELOP}
