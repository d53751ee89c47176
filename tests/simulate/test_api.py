"""Bad arguments give a clear InputError, before anything is written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sanctionwatch.cli import cli
from sanctionwatch.errors import InputError
from sanctionwatch.simulate import UnknownScenarioError, load_scenario, scenario_names, simulate
from sanctionwatch.simulate.cast import check_cast


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"scenario": "atlantis"},
            "No built-in scenario 'atlantis'; choose one of: east_china_sea, rajin, yellow_sea",
        ),
        ({"scenario": "yellow_sea", "vessels": 12}, "cast of 20 vessels"),
        ({"vessels": 5}, "cast of 12 vessels"),
        ({"days": 0}, "days must be positive"),
        ({"days": 0.5}, "needs at least 1.0 days"),
        ({"formats": ("nmea", "kml")}, "Unknown output format"),
        ({"corrupt_share": 0.9}, "corrupt_share must be between 0 and 0.5"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        simulate(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_scenarios_are_listed() -> None:
    assert scenario_names() == ["east_china_sea", "rajin", "yellow_sea"]
    assert issubclass(UnknownScenarioError, InputError)


def test_every_built_in_cast_fits_its_meetings() -> None:
    for name in scenario_names():
        check_cast(load_scenario(name))  # raises InputError otherwise


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: {"cast": (*s.cast, {**s.cast[0], "key": "x", "role": "pirate"})},
            "role 'pirate'",
        ),
        (lambda s: {"meetings": (*s.meetings, {"kind": "party"})}, "unknown kind 'party'"),
        (lambda s: {"meetings": (*s.meetings, s.meetings[0])}, "'patriot' is in two meetings"),
        (lambda s: {"meetings": ()}, "role 'sts_supplier' needs a meeting"),
        (
            lambda s: {"meetings": ({**s.meetings[0], "receiver": "angara"},)},
            "'angara' has role 'shuttle', not 'sts_receiver'",
        ),
    ],
)
def test_a_cast_that_does_not_fit_is_refused(change: Any, message: str) -> None:
    rajin = load_scenario("rajin")
    with pytest.raises(InputError, match=message):
        check_cast(replace(rajin, **change(rajin)))


def test_the_command_line_runs_every_scenario(tmp_path: Path) -> None:
    for name in ("yellow_sea", "east_china_sea"):
        out = tmp_path / name
        args = ["simulate", str(out), "--scenario", name, "--days", "1", "--vessels", "20"]
        result = CliRunner().invoke(cli, [*args, "--format", "nmea", "--seed", "3"])
        assert result.exit_code == 0, result.output
        assert f"scenario {name!r}, seed 3" in result.output
        assert len(list(out.glob(f"synthetic-{name}-nmea-*.nmea"))) == 1
    result = CliRunner().invoke(cli, ["simulate", str(tmp_path / "x"), "--scenario", "nope"])
    assert result.exit_code == 2
    assert "choose one of: east_china_sea, rajin, yellow_sea" in result.output
