"""docs/linking-and-risk.md against the code: every factor of factors.toml has its own
section giving its weights as they stand, every link ``via`` and every linking.toml value is
in the guide, and the worked numbers are what the model computes with the defaults."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import get_args

from sanctionwatch.linking.model import Via
from sanctionwatch.linking.params import load_linking_params
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.screening.score import VESSEL_NAME_ONLY
from tests.risk.support import CLEAN_A, CLEAN_B, CLEAN_C, LISTED, encounter, link

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "linking-and-risk.md"


def guide() -> str:
    return GUIDE.read_text("utf-8")


def sections(text: str) -> dict[str, str]:
    """Level-3 sections by their heading: "### `dark_gap`" -> "dark_gap"."""
    found = {}
    for part in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        found[heading.strip().strip("`")] = body
    return found


def setting(key: str, value: float) -> str:
    """How the guide writes a value of a TOML file: `points = 40`, `share = 0.5`."""
    return f"`{key} = {value:g}`"


def test_every_factor_has_a_section_with_its_weights_as_they_stand() -> None:
    params = default_risk_params()
    documented = sections(guide())
    factors = [name for name in params if name != "levels"]
    assert [name for name in factors if name not in documented] == []
    for name in factors:
        for key, value in params[name].items():
            assert setting(key, value) in documented[name], (name, key, value)
        for part in ("**Trigger:**", "**Weights:**", "**Evidence:**", "**Source:**"):
            assert part in documented[name], (name, part)


def test_the_levels_are_the_thresholds_of_factors_toml() -> None:
    text = guide()
    for key, value in default_risk_params()["levels"].items():
        assert setting(key, value) in text, key


def test_every_via_and_every_linking_value_is_in_the_guide() -> None:
    text = guide()
    for via in get_args(Via):
        assert f"| `{via}` |" in text, via
    data = tomllib.loads(
        resources.files("sanctionwatch.linking").joinpath("linking.toml").read_text("utf-8")
    )
    for table in data.values():
        for key, value in table.items():
            assert setting(key, value) in text, key


def test_the_worked_numbers_follow_the_defaults() -> None:
    params, linking = default_risk_params(), load_linking_params()
    documented = sections(guide())
    identity = params["sanctioned_identity"]["points"]
    for confidence in (linking.imo, linking.mmsi, linking.mmsi_imo_conflict):
        assert f" {identity * confidence:g}" in documented["sanctioned_identity"]
    owner = params["sanctioned_owner"]["points"]
    for confidence in (linking.owner, linking.linked_to):
        assert f"gives {owner * confidence:g}" in documented["sanctioned_owner"]
    name_confidence = VESSEL_NAME_ONLY * linking.name_factor
    name_points = round(params["sanctioned_name"]["points"] * name_confidence, 1)
    assert f"gives {name_points:g}" in documented["sanctioned_name"]
    assert f'"score": {name_points:g}, "level": "low"' in guide()
    assert f"{name_confidence:.3g}" in guide()


def test_the_propagation_example_is_what_the_model_computes() -> None:
    events = [
        encounter(LISTED, CLEAN_A, 10),
        encounter(CLEAN_A, CLEAN_B, 40),
        encounter(CLEAN_B, CLEAN_C, 70),
    ]
    risks = score_vessels([], events, [link(LISTED)], [], default_risk_params())
    computed = {r.mmsi: (r.score, r.level) for r in risks}
    example = documented_example(sections(guide())["Encounter propagation"])
    assert example == computed


def documented_example(section: str) -> dict[int, tuple[float, str]]:
    """The example block's lines "MMSI score level ...", as {mmsi: (score, level)}."""
    block = section.split("```")[1]
    rows = re.findall(r"^(\d{9})\s+([\d.]+)\s+(high|medium|low)\b", block, flags=re.MULTILINE)
    return {int(mmsi): (float(score), level) for mmsi, score, level in rows}
