"""Report intervals follow ITU-R M.1371 by class and speed; static reports every 6 minutes."""

from __future__ import annotations

import numpy as np
import pytest

from sanctionwatch.geo import find_port
from sanctionwatch.simulate.motion import report_interval, report_times
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.routes import Router
from sanctionwatch.simulate.scenario import Identity, VesselSpec
from tests.simulate.conftest import Run

T0 = 1_700_000_000


def spec(ais_class: str) -> VesselSpec:
    return VesselSpec(
        index=0,
        key="test",
        role="cargo",
        identity=Identity(273000000, "TEST", "UTEST", 0, "RU", 70),
        ais_class=ais_class,
        length_m=100,
        beam_m=16,
        draught_ballast_m=4.0,
        draught_laden_m=6.0,
        speed_kn=12.0,
        home=find_port("Vladivostok"),
    )


@pytest.mark.parametrize(
    ("ais_class", "speed_kn", "interval"),
    [
        ("A", 8.0, 10),
        ("A", 13.5, 10),
        ("A", 18.0, 6),
        ("A", 22.5, 6),
        ("A", 26.0, 2),
        ("B", 7.0, 30),
        ("B", 1.5, 180),
    ],
)
def test_interval_by_class_and_speed(ais_class: str, speed_kn: float, interval: int) -> None:
    plan = VesselPlan(spec(ais_class), Router(), T0, 41.0, 132.0)
    plan.drift(T0 + 6 * 3600, speed_kn, 90.0, 90.0, "test")
    assert report_interval(ais_class, plan.segments[0]) == interval
    times, _ = report_times(plan, T0, T0 + 6 * 3600, seed=1)
    steps = np.diff(times)
    assert np.median(steps) == interval
    assert steps.min() >= interval - 2 and steps.max() <= interval + 2
    assert times.size == pytest.approx(6 * 3600 / interval, rel=0.01)


@pytest.mark.parametrize("ais_class", ["A", "B"])
def test_three_minutes_when_moored(ais_class: str) -> None:
    plan = VesselPlan(spec(ais_class), Router(), T0, 43.1, 131.9)
    plan.moor(find_port("Vladivostok"), T0 + 3 * 3600)
    times, _ = report_times(plan, T0, T0 + 3 * 3600, seed=1)
    assert np.median(np.diff(times)) == 180


def test_windows_do_not_change_the_schedule() -> None:
    plan = VesselPlan(spec("A"), Router(), T0, 41.0, 132.0)
    plan.drift(T0 + 4 * 3600, 9.0, 45.0, 45.0, "test")
    whole, _ = report_times(plan, T0, T0 + 4 * 3600, seed=3)
    pieces = [report_times(plan, T0 + h * 600, T0 + (h + 1) * 600, seed=3)[0] for h in range(24)]
    assert np.array_equal(whole, np.concatenate(pieces))


def test_intervals_in_the_generated_run(run: Run) -> None:
    p = run.positions
    checked = 0
    for vessel in np.unique(p["vessel"]):
        rows = np.flatnonzero(p["vessel"] == vessel)
        ts, sog, status = p["ts"][rows], p["sog"][rows], p["nav_status"][rows]
        step = np.diff(ts)
        class_b = p["msg_type"][rows[0]] == 18
        both = lambda mask: mask[1:] & mask[:-1]  # noqa: E731
        if class_b:
            regimes = [(both(sog > 3), 30), (both(sog < 1), 180)]
        else:
            moored = np.isin(status, (1, 5))
            regimes = [
                (both(moored), 180),
                (both(~moored & (sog < 13)), 10),
                (both(~moored & (sog > 15) & (sog < 22)), 6),
            ]
        for mask, nominal in regimes:
            if mask.sum() < 50:
                continue
            inside = step[mask]
            # Steps across a dark period or a change of regime are the only exceptions.
            share = np.mean(np.abs(inside - nominal) <= 2)
            assert share > 0.98, (int(vessel), nominal, share)
            assert np.median(inside) == nominal
            checked += 1
    assert checked >= 10
