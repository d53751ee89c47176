"""Typed reads of a scenario's TOML tables (a cast entry's extra keys, a meeting), with defaults.

A missing or malformed value raises :class:`~sanctionwatch.errors.InputError` naming the
scenario file's table and key, so a new scenario fails with a message, not a KeyError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.geo import Port, find_port

Box = tuple[float, float, float, float]  # lat_min, lat_max, lon_min, lon_max

_MISSING: Any = object()


@dataclass(frozen=True)
class Params:
    """One TOML table; ``where`` names it in error messages (``cast 'saebyol'``)."""

    where: str
    raw: Mapping[str, Any]

    def has(self, key: str) -> bool:
        return key in self.raw

    def _get(self, key: str, default: Any) -> Any:
        if key in self.raw:
            return self.raw[key]
        if default is _MISSING:
            raise InputError(f"Scenario {self.where}: '{key}' is missing.")
        return default

    def number(self, key: str, default: float = _MISSING) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"Scenario {self.where}: '{key}' must be a number, not {value!r}.")
        return float(value)

    def span(self, key: str, default: tuple[float, float] = _MISSING) -> tuple[float, float]:
        """A [low, high] pair of numbers."""
        value = self._get(key, default)
        try:
            low, high = (float(v) for v in value)
        except (TypeError, ValueError):
            raise InputError(
                f"Scenario {self.where}: '{key}' must be [low, high], not {value!r}."
            ) from None
        if low > high:
            raise InputError(f"Scenario {self.where}: '{key}' has low > high ({value!r}).")
        return low, high

    def box(self, key: str) -> Box:
        """[lat_min, lat_max, lon_min, lon_max]."""
        value = self._get(key, _MISSING)
        try:
            box = tuple(float(v) for v in value)
        except (TypeError, ValueError):
            box = ()
        if len(box) != 4 or box[0] >= box[1] or box[2] >= box[3]:
            raise InputError(
                f"Scenario {self.where}: '{key}' must be [lat_min, lat_max, lon_min, lon_max]."
            )
        return box[0], box[1], box[2], box[3]

    def text(self, key: str, default: str = _MISSING) -> str:
        return str(self._get(key, default))

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, default))

    def integers(self, key: str) -> frozenset[int]:
        """A list of whole numbers (empty when absent)."""
        return frozenset(int(v) for v in self._get(key, []))

    def port(self, key: str) -> Port:
        return find_port(self.text(key))

    def ports(self, key: str) -> tuple[tuple[Port, float], ...] | None:
        """Gazetteer ports by name, equally likely; None when the key is absent."""
        if key not in self.raw:
            return None
        names = self.raw[key]
        if not names:
            raise InputError(f"Scenario {self.where}: '{key}' lists no ports.")
        return tuple((find_port(str(name)), 1.0) for name in names)

    def table(self, key: str) -> Params:
        value = self._get(key, _MISSING)
        if not isinstance(value, Mapping):
            raise InputError(f"Scenario {self.where}: '{key}' must be a table.")
        return Params(f"{self.where}.{key}", value)


def spec_params(scenario: str, key: str, extra: Mapping[str, Any]) -> Params:
    """The extra keys of one ``[[cast]]`` entry."""
    return Params(f"{scenario!r}, cast {key!r}", extra)
