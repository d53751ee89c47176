"""Alert rules as data: ``rules.toml`` (or a user's file), checked before anything runs.

A rule is a TOML table: ``kind`` (what it watches), ``severity``, ``title`` and the settings
of its kind. The kinds are code (``KINDS``: each names the settings it takes and their
types); the rules are data, so a team adds or silences a rule without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sanctionwatch.errors import AlertRulesError

SEVERITIES = ("high", "medium", "low")
LEVELS = ("high", "medium", "low")
VIAS = ("imo", "mmsi", "name", "former_name", "owner")

# kind -> setting -> its type: "vias" (a list of VIAS), "share" (a number 0-1), "level".
KINDS: dict[str, dict[str, str]] = {
    "linked_vessel": {"vias": "vias", "min_confidence": "share", "except_vias": "vias"},
    "risk_level": {"level": "level", "except_vias": "vias"},
    "encounter": {"vias": "vias", "min_confidence": "share"},
    "portfolio_match": {"min_score": "share"},
}
_COMMON = ("kind", "title", "severity")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    title: str
    severity: str
    settings: dict[str, Any]

    def vias(self, key: str = "vias") -> frozenset[str]:
        return frozenset(self.settings.get(key, ()))

    def share(self, key: str) -> float:
        return float(self.settings[key])


def default_rules() -> tuple[Rule, ...]:
    text = resources.files("sanctionwatch.alerts").joinpath("rules.toml").read_text("utf-8")
    return parse_rules(tomllib.loads(text), "rules.toml")


def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The bundled rules, or every rule of ``path`` instead (an ``AlertRulesError`` naming
    the file and the rule when one cannot be used)."""
    if path is None:
        return default_rules()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AlertRulesError(f"{path}: cannot read the alert rules ({exc})") from exc
    return parse_rules(data, str(path))


def parse_rules(data: dict[str, Any], source: str) -> tuple[Rule, ...]:
    rules = []
    for name, table in data.items():
        where = f"{source}: rule [{name}]"
        if not isinstance(table, dict):
            raise AlertRulesError(f"{where} must be a table")
        kind = table.get("kind")
        if kind not in KINDS:
            raise AlertRulesError(f"{where}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
        wanted = KINDS[kind]
        unknown = sorted(set(table) - set(_COMMON) - set(wanted))
        if unknown:
            known = ", ".join([*_COMMON, *wanted])
            raise AlertRulesError(f"{where}: unknown setting {unknown[0]!r} (known: {known})")
        missing = sorted(set(_COMMON) - set(table))
        if missing:
            raise AlertRulesError(f"{where}: {missing[0]!r} is missing")
        if table["severity"] not in SEVERITIES:
            raise AlertRulesError(
                f"{where}: severity {table['severity']!r} is not one of {', '.join(SEVERITIES)}"
            )
        if not isinstance(table["title"], str) or not table["title"].strip():
            raise AlertRulesError(f"{where}: title must be a text")
        settings = {key: _setting(where, key, kind_of, table) for key, kind_of in wanted.items()}
        rules.append(Rule(name, kind, table["title"], table["severity"], settings))
    if not rules:
        raise AlertRulesError(f"{source}: no alert rule (an empty file would silence every alert)")
    return tuple(rules)


def _setting(where: str, key: str, kind_of: str, table: dict[str, Any]) -> Any:
    if key not in table:
        if kind_of == "vias" and key.startswith("except"):
            return ()
        raise AlertRulesError(f"{where}: setting {key!r} is missing")
    value = table[key]
    if kind_of == "vias":
        if not isinstance(value, list) or not all(v in VIAS for v in value):
            raise AlertRulesError(f"{where}: {key} must be a list of {', '.join(VIAS)}")
        return tuple(value)
    if kind_of == "level":
        if value not in LEVELS:
            raise AlertRulesError(f"{where}: {key} must be one of {', '.join(LEVELS)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise AlertRulesError(f"{where}: {key} must be a number from 0 to 1, not {value!r}")
    return float(value)
