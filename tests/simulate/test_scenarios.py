"""The "yellow_sea" (dense) and "east_china_sea" (sparse) scenarios: every promised behaviour is
in the truth and holds in the positions; the traps are in the positions and not in the truth."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from sanctionwatch.geo import find_port, haversine_m, load_ports
from sanctionwatch.geo.shore import distance_to_shore_m
from sanctionwatch.simulate import simulate
from sanctionwatch.simulate.land import land_mask
from sanctionwatch.simulate.traffic import imo_is_valid
from tests.simulate.conftest import Run, epoch, read_run

NM = 1852.0
HOUR = 3600
BIN_S = 600
# One three-day run each, at the density each scenario is designed for.
RUNS = {
    "yellow_sea": {"seed": 21, "vessels": 120},
    "east_china_sea": {"seed": 31, "vessels": 30},
}
TRAPS = {
    "yellow_sea": {
        "anchored": ("jin-hai-11", "shun-da-5"),
        "convoy": ("hong-xing-21", "fu-an-9"),
        "slow": "da-tong-3",
    },
    "east_china_sea": {
        "anchored": ("hana-bridge", "pan-star-7"),
        "convoy": ("xin-ming-5", "eastern-link"),
        "slow": "taiyo-maru-3",
    },
}
IDENTITY_KINDS = {"shared_mmsi", "name_change", "flag_change", "imo_change"}


@pytest.fixture(scope="session", params=sorted(RUNS))
def scenario_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    name = request.param
    out = tmp_path_factory.mktemp(name)
    return read_run(simulate(out, scenario=name, days=3.0, formats=["nmea"], **RUNS[name]))


def scenario(run: Run) -> str:
    return str(run.manifest["scenario"]["name"])


def rows_of(run: Run, key: str, start: int, end: int) -> np.ndarray:
    p = run.positions
    vessel = run.vessel(key)["vessel"]
    return np.flatnonzero((p["vessel"] == vessel) & (p["ts"] >= start) & (p["ts"] < end))


def binned(run: Run, rows: np.ndarray) -> dict[int, tuple[float, float, float]]:
    """Mean latitude, longitude and speed of a vessel's reports per 10-minute bin."""
    p = run.positions
    out = {}
    bins = p["ts"][rows] // BIN_S
    for b in np.unique(bins):
        inside = rows[bins == b]
        out[int(b)] = (
            float(p["lat"][inside].mean()),
            float(p["lon"][inside].mean()),
            float(p["sog"][inside].mean()),
        )
    return out


def longest_run(bins: list[int]) -> int:
    """Length of the longest stretch of consecutive bin numbers."""
    best = current = 0
    previous = None
    for b in sorted(bins):
        current = current + 1 if previous is not None and b == previous + 1 else 1
        best = max(best, current)
        previous = b
    return best


def stretches(flags: np.ndarray, ts: np.ndarray, max_silence_s: int = 2 * HOUR) -> list[slice]:
    """Runs of consecutive True rows (time-ordered), broken by silences longer than allowed."""
    out, begin = [], None
    for i, flag in enumerate(flags):
        broken = begin is not None and ts[i] - ts[i - 1] > max_silence_s
        if begin is not None and (not flag or broken):
            out.append(slice(begin, i))
            begin = None
        if flag and begin is None:
            begin = i
    if begin is not None:
        out.append(slice(begin, len(flags)))
    return out


def pair_keys(event: dict) -> set[str]:
    return {event["details"]["vessel"], event["details"].get("other_vessel")}


def test_every_promised_event_type_is_in_the_truth(scenario_run: Run) -> None:
    run = scenario_run
    counts = {kind: len(run.of_type(kind)) for kind in ("gap", "coverage_gap", "port_call")}
    assert counts["gap"] >= 3 and counts["coverage_gap"] >= 3 and counts["port_call"] >= 20
    assert len(run.of_type("draught_change")) >= 10
    visible = [e for e in run.of_type("encounter") if e["details"]["ais_visible"]]
    hidden = [e for e in run.of_type("encounter") if not e["details"]["ais_visible"]]
    assert len(visible) >= 3 and len(hidden) >= 1
    assert len(run.of_type("loitering")) >= 2
    identities = run.of_type("identity")
    assert {e["details"]["kind"] for e in identities} >= IDENTITY_KINDS
    for event in identities:
        changed = event["details"].get("changed", {})  # none for a borrowed identity
        if event["details"]["kind"] == "flag_change":
            assert changed["mmsi"]["from"] != changed["mmsi"]["to"]  # re-flag: a new MMSI
            assert changed["flag"]["from"] != changed["flag"]["to"]
        if event["details"]["kind"] == "imo_change":
            assert imo_is_valid(changed["imo"]["from"]) and not imo_is_valid(changed["imo"]["to"])
    # The receivers switch off after a transfer: long silences far offshore.
    assert any(e["details"]["gfw_likely_disabling"] for e in run.of_type("gap"))


def test_dark_calls_at_dprk_ports(scenario_run: Run) -> None:
    dprk = {find_port(name).name for name in ("Nampo", "Songnim")}
    dark = [e for e in scenario_run.of_type("port_call") if not e["details"]["ais_visible"]]
    assert {e["port"] for e in dark} <= dprk
    if scenario(scenario_run) == "yellow_sea":  # the coal shuttles call at Nampo and Songnim
        assert {e["port"] for e in dark} == dprk


def test_visible_encounters_hold_in_the_positions(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    ports = load_ports()
    port_lat = np.array([port.lat for port in ports])
    port_lon = np.array([port.lon for port in ports])
    for event in run.of_type("encounter"):
        start, end = epoch(event["start"]), epoch(event["end"])
        assert end - start >= 2 * HOUR
        assert haversine_m(event["lat"], event["lon"], port_lat, port_lon).min() > 10_000
        during = (p["ts"] >= start) & (p["ts"] < end)
        mine = np.flatnonzero((p["mmsi"] == event["mmsi"]) & during)
        theirs = np.flatnonzero((p["mmsi"] == event["other_mmsi"]) & during)
        receiver = rows_of(run, event["details"]["other_vessel"], start, end)
        if not event["details"]["ais_visible"]:
            assert mine.size > 100 and theirs.size == 0 and receiver.size == 0
            continue
        assert mine.size > 100 and theirs.size > 100
        assert p["received"][mine].all() and p["received"][theirs].all()  # not in a hole
        nearest = theirs[np.abs(p["ts"][theirs][None, :] - p["ts"][mine][:, None]).argmin(axis=1)]
        distance = haversine_m(p["lat"][mine], p["lon"][mine], p["lat"][nearest], p["lon"][nearest])
        assert distance.max() < 500
        assert np.median(p["sog"][np.concatenate([mine, theirs])]) < 2


def test_loitering_holds_in_the_positions_and_on_both_coastlines(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    mask = land_mask()
    for event in run.of_type("loitering"):
        start, end = epoch(event["start"]), epoch(event["end"])
        rows = rows_of(run, event["details"]["vessel"], start, end)
        assert end - start >= 4 * HOUR and rows.size > 100
        assert p["sog"][rows].max() < 2 and p["received"][rows].all()
        shore = mask.distance_to_shore_m(p["lat"][rows][::20], p["lon"][rows][::20])
        assert shore.min() >= 20 * NM
        # The detectors measure from a finer coastline (islands included): far enough there too.
        mean = float(p["lat"][rows].mean()), float(p["lon"][rows].mean())
        assert distance_to_shore_m(*mean) >= 22 * NM


def test_anchored_pair_near_a_port_is_not_an_encounter(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    first, second = TRAPS[scenario(run)]["anchored"]
    start, end = int(p["ts"].min()), int(p["ts"].max()) + 1
    a, b = rows_of(run, first, start, end), rows_of(run, second, start, end)
    a, b = a[p["nav_status"][a] == 1], b[p["nav_status"][b] == 1]  # at anchor
    bins_a, bins_b = binned(run, a), binned(run, b)
    close = [
        k
        for k in bins_a.keys() & bins_b.keys()
        if haversine_m(bins_a[k][0], bins_a[k][1], bins_b[k][0], bins_b[k][1]) < 500
        and max(bins_a[k][2], bins_b[k][2]) < 2
    ]
    assert longest_run(close) * BIN_S >= 2 * HOUR  # close, still and long ...
    lat = np.array([bins_a[k][0] for k in close])
    lon = np.array([bins_a[k][1] for k in close])
    nearest = min(haversine_m(lat, lon, port.lat, port.lon).max() for port in load_ports())
    assert nearest < 10_000  # ... but within 10 km of a port
    assert not [e for e in run.of_type("encounter") if pair_keys(e) == {first, second}]


def test_convoy_at_speed_is_not_an_encounter(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    first, second = TRAPS[scenario(run)]["convoy"]
    start, end = int(p["ts"].min()), int(p["ts"].max()) + 1
    bins_a = binned(run, rows_of(run, first, start, end))
    bins_b = binned(run, rows_of(run, second, start, end))
    abreast = [
        k
        for k in bins_a.keys() & bins_b.keys()
        if haversine_m(bins_a[k][0], bins_a[k][1], bins_b[k][0], bins_b[k][1]) < 500
        and 7.5 <= bins_a[k][2] <= 10.5
        and 7.5 <= bins_b[k][2] <= 10.5
    ]
    assert longest_run(abreast) * BIN_S >= 2.5 * HOUR
    assert not [e for e in run.of_type("encounter") if pair_keys(e) == {first, second}]


def test_a_few_slow_hours_offshore_are_not_loitering(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    key = TRAPS[scenario(run)]["slow"]
    rows = rows_of(run, key, int(p["ts"].min()), int(p["ts"].max()) + 1)
    rows = rows[np.argsort(p["ts"][rows], kind="stable")]
    slow = [
        part
        for part in stretches(p["sog"][rows] < 2, p["ts"][rows])
        if p["nav_status"][rows][part].max() == 0  # under way, not moored or anchored
    ]
    hours = [(p["ts"][rows][part][-1] - p["ts"][rows][part][0]) / HOUR for part in slow]
    assert any(2.5 <= h < 4 for h in hours) and max(hours) < 4
    for part, h in zip(slow, hours, strict=True):
        if h >= 2.5:
            lat, lon = p["lat"][rows][part].mean(), p["lon"][rows][part].mean()
            assert distance_to_shore_m(float(lat), float(lon)) >= 20 * NM
    assert not [e for e in run.of_type("loitering") if e["details"]["vessel"] == key]


def test_trawling_offshore_is_not_loitering(scenario_run: Run) -> None:
    run, p = scenario_run, scenario_run.positions
    mask = land_mask()
    fishing = {v["vessel"]: v["key"] for v in run.manifest["vessels"] if v["role"] == "fishing"}
    long_far = 0
    for vessel in fishing:
        rows = np.flatnonzero(p["vessel"] == vessel)
        rows = rows[np.argsort(p["ts"][rows], kind="stable")]
        for part in stretches(p["nav_status"][rows] == 7, p["ts"][rows]):
            part_rows = rows[part]
            if p["ts"][part_rows[-1]] - p["ts"][part_rows[0]] < 4 * HOUR:
                continue
            assert 2.6 <= np.median(p["sog"][part_rows]) <= 4.0
            shore = mask.distance_to_shore_m(p["lat"][part_rows][::30], p["lon"][part_rows][::30])
            long_far += bool(shore.min() >= 20 * NM)
    assert long_far >= 2  # trawling 4 h or more, 20 nm or more offshore ...
    assert not [e for e in run.of_type("loitering") if e["details"]["vessel"] in fishing.values()]


def test_positions_are_at_sea(scenario_run: Run) -> None:
    p = scenario_run.positions
    on_land = np.flatnonzero(land_mask().is_land(p["lat"], p["lon"]))
    ports = [
        port
        for port in load_ports()
        if p["lat"].min() - 1 < port.lat < p["lat"].max() + 1
        and p["lon"].min() - 1 < port.lon < p["lon"].max() + 1
    ]
    port_lat = np.array([port.lat for port in ports])
    port_lon = np.array([port.lon for port in ports])
    for chunk in np.array_split(on_land, max(1, on_land.size // 2000)):
        distance = haversine_m(
            p["lat"][chunk, None], p["lon"][chunk, None], port_lat[None, :], port_lon[None, :]
        )
        # Only in port approaches, up rivers the coastline closes (Shanghai on the Huangpu).
        assert distance.min(axis=1).max() < 20_000


def digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}


@pytest.mark.parametrize(("name", "vessels"), [("yellow_sea", 26), ("east_china_sea", 22)])
def test_same_seed_same_bytes(tmp_path: Path, name: str, vessels: int) -> None:
    runs = [
        simulate(tmp_path / str(i), scenario=name, seed=seed, days=1.0, vessels=vessels)
        for i, seed in enumerate((5, 5, 6))
    ]
    first, again, other = (digests(r.out_dir) for r in runs)
    assert len(first) == 8 and first == again
    assert first["synthetic-positions.parquet"] != other["synthetic-positions.parquet"]
