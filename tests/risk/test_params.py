"""The factor weights: documented defaults, user overrides, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import InputError, RiskParamsError
from sanctionwatch.risk.params import default_risk_params, load_risk_params


def test_defaults_keep_a_sanctioned_identity_decisive() -> None:
    params = default_risk_params()
    assert params["sanctioned_identity"]["points"] >= params["levels"]["high"]
    assert params["levels"]["high"] > params["levels"]["medium"] > 0
    assert 0 < params["encounter"]["share"] < 1


def test_a_user_file_overrides_one_value(tmp_path: Path) -> None:
    path = tmp_path / "risk.toml"
    path.write_text("[dark_gap]\npoints = 12.5\n")
    params = load_risk_params(path)
    assert params["dark_gap"]["points"] == 12.5
    assert params["dark_gap"]["max_points"] == default_risk_params()["dark_gap"]["max_points"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[sanctioned_cat]\npoints = 1.0\n", "sanctioned_cat"),
        ("[dark_gap]\npoints = -3.0\n", r"\[dark_gap\] points"),
        ("[dark_gap]\npointz = 3.0\n", "pointz"),
        ("[dark_gap]\npoints = 'many'\n", r"\[dark_gap\] points"),
        ("[levels]\nhigh = 10.0\nmedium = 20.0\n", "medium"),
        ("[encounter]\nshare = 1.5\n", "share"),
        ("[dark_gap\n", "cannot read"),
    ],
)
def test_bad_files_are_refused_with_the_name(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "risk.toml"
    path.write_text(text)
    with pytest.raises(RiskParamsError, match=named) as caught:
        load_risk_params(path)
    assert isinstance(caught.value, InputError)
    assert str(path) in caught.value.message
