"""The evaders and decoys of ``simulate.evaders``: identities drawn at run time from the lists
the caller loaded (the real UK OFSI list of 2018-04-13 and eleven real OFAC SDN rows of
2024-05-03, tests/linking/data), each trick with the identity it claims, and on the water:
the ship that met a listed one is dark afterwards, the crossing decoy passes close at speed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.geo import haversine_m
from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.simulate import load_scenario
from sanctionwatch.simulate.evaders import (
    DECOYS,
    EVADERS_FILE,
    TRICKS,
    ListedShip,
    NoListedShipsError,
    Planted,
    evader_scenario,
    listed_dprk_ships,
    read_planted,
    simulate_evaders,
)
from tests.conftest import UK_OFSI_2018

ROOT = Path(__file__).resolve().parents[2]
OFAC_EXCERPT = ROOT / "tests" / "linking" / "data" / "sdn_2024-05-03.csv"


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ListStore]:
    with ListStore(tmp_path_factory.mktemp("lists") / "lists.sqlite") as store:
        load_lists(store, [OFAC_EXCERPT], workers=1)
        load_lists(store, [UK_OFSI_2018], workers=1)
        yield store


@pytest.fixture(scope="module")
def ships(lists: ListStore) -> list[ListedShip]:
    return listed_dprk_ships(lists)


def test_only_listed_dprk_ships_are_read_with_their_list_identity(ships: list[ListedShip]) -> None:
    captions = {ship.caption for ship in ships}
    # OFAC excerpt: the DPRK-programme ships, not the Iranian ARTAVIL or DINO I, nor
    # ST. VITAMIN (another programme); UK: the North Korea regime's, not NADINE (Libya).
    assert {"CHONG CHON GANG", "DAWNLIGHT", "EVER BRIGHT 88", "STAR 18"} <= captions
    assert {"TONG SAN 2", "PETREL 8", "HAO FAN 6", "JIE SHUN", "CHON MA SAN"} <= captions
    assert not {"ARTAVIL", "DINO I", "ST. VITAMIN", "NADINE"} & captions
    [tong_san] = [s for s in ships if s.caption == "TONG SAN 2"]
    assert (tong_san.list_name, tong_san.imo, tong_san.mmsis) == (
        "uk_ofsi",
        "8937675",
        (445539000,),
    )
    [star] = [s for s in ships if s.caption == "STAR 18"]
    assert set(star.previous_names) == {"SAM 5", "THINH CUONG"}
    assert all(ship.imo is None or is_ship_imo(ship.imo) for ship in ships)


def _by_trick(planted: list[Planted]) -> dict[str, Planted]:
    return {ship.trick: ship for ship in planted}


def test_each_trick_broadcasts_the_identity_it_claims(ships: list[ListedShip]) -> None:
    scenario, planted = evader_scenario(load_scenario("rajin"), ships, seed=4)
    assert [p.trick for p in planted] == [*TRICKS, *DECOYS]
    cast = {str(raw["key"]): raw for raw in scenario.cast}
    by_ship = {(s.list_name, s.record_id): s for s in ships}
    tricks = _by_trick(planted)

    def listed(trick: str) -> ListedShip:
        record = tricks[trick].listed
        assert record is not None
        return by_ship[(record["list"], record["record"])]

    for ship in planted:  # the truth says what the transponder says
        raw = cast[ship.key]
        assert (raw["mmsi"], raw["name"], raw["imo"] or None) == (ship.mmsi, ship.name, ship.imo)
    laundered = listed("laundered_imo")
    assert str(tricks["laundered_imo"].imo) == laundered.imo
    assert tricks["laundered_imo"].name != laundered.caption
    flag = str(cast[tricks["laundered_imo"].key]["flag"]).lower()
    assert flag not in {*laundered.flags, "kp"}
    plain = listed("plain_sight")
    assert (tricks["plain_sight"].name, str(tricks["plain_sight"].imo)) == (
        plain.caption,
        plain.imo,
    )
    assert mmsi_info(tricks["plain_sight"].mmsi).mid == 445 and "kp" in plain.flags
    assert tricks["name_only"].name == listed("name_only").caption
    assert tricks["name_only"].imo is None
    assert tricks["former_name"].name in listed("former_name").previous_names
    assert tricks["former_name"].name == "THINH CUONG"  # "SAM 5" says too little alone
    assert tricks["listed_mmsi"].mmsi in listed("listed_mmsi").mmsis
    assert (
        tricks["listed_mmsi"].imo is None
        and tricks["listed_mmsi"].name != listed("listed_mmsi").caption
    )
    met = tricks["met_and_dark"]
    # the clean ship: its own identity; the listed ship it meets is the one in plain sight
    assert met.listed == tricks["plain_sight"].listed and met.partner == tricks["plain_sight"].key
    assert met.imo is not None and str(met.imo) not in {s.imo for s in ships}
    assert scenario.meetings[0]["supplier"] == tricks["plain_sight"].key
    assert scenario.meetings[0]["receiver"] == met.key
    # Decoys: a listed name with a valid IMO of its own; a clean ship crossing a listed one.
    homonym = tricks["homonym"]
    assert homonym.kind == "decoy" and homonym.imo is not None
    assert homonym.name == listed("homonym").caption
    assert is_ship_imo(str(homonym.imo)) and str(homonym.imo) != listed("homonym").imo
    crossing = tricks["crossing"]
    assert crossing.listed is not None and cast[crossing.key]["role"] == "crosser"
    assert cast[crossing.key]["crosses"][0] == tricks["laundered_imo"].key
    # No hull is used twice, and no clean ship is named like a listed one.
    # A ship under a listed identity is that ship: its hull is of the listed kind.
    for trick in ("laundered_imo", "plain_sight", "name_only", "former_name", "listed_mmsi"):
        said = " ".join(listed(trick).types).lower()
        tanker = int(cast[tricks[trick].key]["ship_type"]) // 10 == 8
        if "tanker" in said or "cargo" in said:
            assert tanker == ("tanker" in said), (trick, said)
    used = [listed(t) for t in TRICKS if t != "met_and_dark"]
    assert len({ship.imo or ship.caption for ship in used}) == 5
    captions = {s.caption for s in ships}
    assert tricks["met_and_dark"].name not in captions
    assert tricks["crossing"].name not in captions
    assert len({p.mmsi for p in planted}) == len(planted)


def test_the_seed_chooses_the_identities_the_same_way_each_time(ships: list[ListedShip]) -> None:
    base = load_scenario("rajin")
    first = evader_scenario(base, ships, seed=4)
    assert evader_scenario(base, ships, seed=4) == first
    others = [evader_scenario(base, ships, seed=seed)[1] for seed in range(5, 10)]
    assert any(other != first[1] for other in others)


def test_lists_without_the_needed_ships_are_refused_with_a_message(
    ships: list[ListedShip],
) -> None:
    without_mmsi = [replace(ship, mmsis=()) for ship in ships]
    with pytest.raises(NoListedShipsError, match="listed_mmsi"):
        evader_scenario(load_scenario("rajin"), without_mmsi, seed=1)


@pytest.fixture(scope="module")
def run(lists: ListStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planted]]:
    result, planted = simulate_evaders(
        tmp_path_factory.mktemp("evaders"), lists, seed=3, days=2.0, vessels=20
    )
    return result.out_dir, planted


def test_the_ground_truth_records_every_planted_ship_with_its_kind(
    run: tuple[Path, list[Planted]],
) -> None:
    out_dir, planted = run
    assert read_planted(out_dir / EVADERS_FILE) == planted
    kinds = [json.loads(line)["kind"] for line in (out_dir / EVADERS_FILE).open()]
    assert kinds == ["evader"] * 6 + ["decoy"] * 2
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    keys = {vessel["key"] for vessel in manifest["vessels"]}
    assert {p.key for p in planted} <= keys
    assert sum(1 for key in keys if key.startswith("vessel-")) == 20 - len(planted)


def test_the_ship_that_met_a_listed_one_meets_it_and_goes_dark(
    run: tuple[Path, list[Planted]],
) -> None:
    out_dir, planted = run
    tricks = _by_trick(planted)
    met, plain = tricks["met_and_dark"], tricks["plain_sight"]
    truth = [json.loads(line) for line in (out_dir / "synthetic-truth.jsonl").open()]
    encounters = [t for t in truth if t["type"] == "encounter"]
    assert {(t["mmsi"], t["other_mmsi"]) for t in encounters} == {(plain.mmsi, met.mmsi)}
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    [vessel] = [v for v in manifest["vessels"] if v["key"] == met.key]
    assert vessel["dark_periods"]
    assert vessel["dark_periods"][0]["reason"] == "transponder off after a ship-to-ship transfer"
    assert vessel["dark_periods"][0]["off"] > encounters[0]["start"]


def test_the_crossing_decoy_passes_close_at_speed_without_meeting(
    run: tuple[Path, list[Planted]],
) -> None:
    out_dir, planted = run
    crossing = _by_trick(planted)["crossing"]
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    [note] = [n for n in manifest["notes"] if n.startswith(f"decoy: {crossing.key}")]
    assert "crosses the track of evader-" in note
    target = next(p for p in planted if f"track of {p.key} " in note)
    assert (crossing.partner, crossing.listed) == (target.key, target.listed)  # in the truth
    table = pq.read_table(
        out_dir / "synthetic-positions.parquet", columns=["mmsi", "ts", "lat", "lon", "sog"]
    )
    columns = {name: table.column(name).to_numpy() for name in ("lat", "lon", "sog")}
    ts = table.column("ts").cast("int64").to_numpy()
    mmsi = table.column("mmsi").to_numpy()
    mine = np.flatnonzero(mmsi == crossing.mmsi)
    theirs = np.flatnonzero(mmsi == target.mmsi)
    theirs = theirs[np.argsort(ts[theirs])]
    # each of the decoy's reports with the target's next report (at most 10 s later)
    nearest = theirs[np.clip(np.searchsorted(ts[theirs], ts[mine]), 0, theirs.size - 1)]
    paired = np.abs(ts[nearest] - ts[mine]) <= 10_000
    mine, nearest = mine[paired], nearest[paired]
    lat, lon, sog = columns["lat"], columns["lon"], columns["sog"]
    apart = haversine_m(lat[mine], lon[mine], lat[nearest], lon[nearest])
    close = apart < 1_000
    assert close.any()  # they pass within a kilometre ...
    assert (sog[mine][close] > 6).all() and (sog[nearest][close] > 6).all()  # ... under way
    assert float(apart.min()) < 600
    # and no meeting: the truth has no encounter for the decoy
    truth = [json.loads(line) for line in (out_dir / "synthetic-truth.jsonl").open()]
    assert not [
        t
        for t in truth
        if t["type"] == "encounter" and crossing.mmsi in (t["mmsi"], t["other_mmsi"])
    ]
