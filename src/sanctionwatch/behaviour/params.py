"""Detector parameters: the documented defaults in ``params.toml``, overridden by a user file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from sanctionwatch.errors import InputError

Params = dict[str, dict[str, float]]


def default_params() -> Params:
    text = resources.files("sanctionwatch.behaviour").joinpath("params.toml").read_text("utf-8")
    return _numbers(tomllib.loads(text), "params.toml")


def load_params(path: Path | None = None) -> Params:
    """The defaults, with the tables and keys of ``path`` (a TOML file) replacing them.

    Unknown detectors or keys, and values that are not numbers, are refused: a typo must
    not silently leave a default in force.
    """
    params = default_params()
    if path is None:
        return params
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the detector parameters ({exc})") from exc
    for table, values in _numbers(user, str(path)).items():
        if table not in params:
            raise InputError(f"{path}: no detector named [{table}] (known: {sorted(params)})")
        for key, value in values.items():
            if key not in params[table]:
                raise InputError(
                    f"{path}: [{table}] has no parameter {key!r} (known: {sorted(params[table])})"
                )
            params[table][key] = value
    return params


def _numbers(data: dict[str, Any], source: str) -> Params:
    out: Params = {}
    for table, values in data.items():
        if not isinstance(values, dict):
            raise InputError(f"{source}: {table!r} must be a table of parameters")
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{source}: [{table}] {key} must be a number, not {value!r}")
            if value < 0:
                raise InputError(f"{source}: [{table}] {key} must not be negative")
        out[table] = {key: float(value) for key, value in values.items()}
    return out
