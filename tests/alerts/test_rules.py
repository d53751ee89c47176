"""Alert rules as data: the bundled file loads; a bad rule is refused, naming file and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.alerts.rules import KINDS, default_rules, load_rules
from sanctionwatch.errors import AlertRulesError


def test_the_bundled_rules_cover_every_kind() -> None:
    rules = default_rules()
    assert {rule.kind for rule in rules} == set(KINDS)
    seen = next(r for r in rules if r.name == "sanctioned_vessel_seen")
    assert (seen.severity, seen.vias()) == ("high", frozenset({"imo", "mmsi"}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[a]\nkind = "sighting"\ntitle = "t"\nseverity = "high"\n', "unknown kind 'sighting'"),
        ('[a]\nkind = "risk_level"\ntitle = "t"\nseverity = "high"\nlevel = "high"\ncolour = 1\n',
         "unknown setting 'colour'"),
        ('[a]\nkind = "risk_level"\ntitle = "t"\nseverity = "urgent"\nlevel = "high"\n',
         "severity 'urgent' is not one of high, medium, low"),
        ('[a]\nkind = "risk_level"\ntitle = "t"\nseverity = "low"\n', "setting 'level' is missing"),
        ('[a]\nkind = "linked_vessel"\ntitle = "t"\nseverity = "low"\nvias = ["hull"]\n'
         "min_confidence = 0.5\n", "vias must be a list of imo, mmsi"),
        ('[a]\nkind = "portfolio_match"\ntitle = "t"\nseverity = "low"\nmin_score = -0.1\n',
         "min_score must be a number from 0 to 1, not -0.1"),
        ('[a]\nkind = "portfolio_match"\nseverity = "low"\nmin_score = 0.5\n',
         "'title' is missing"),
        ("", "no alert rule"),
        ("[a\n", "cannot read the alert rules"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_by_name(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AlertRulesError) as caught:
        load_rules(path)
    assert str(path) in caught.value.message
    assert message in caught.value.message
    if text.startswith("[a]"):
        assert "rule [a]" in caught.value.message
