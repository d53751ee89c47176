"""Bad arguments give a clear InputError, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.simulate import UnknownScenarioError, scenario_names, simulate


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scenario": "atlantis"}, "No built-in scenario 'atlantis'; choose one of: rajin"),
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
    assert scenario_names() == ["rajin"]
    assert issubclass(UnknownScenarioError, InputError)
