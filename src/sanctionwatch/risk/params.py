"""Risk factor weights: the documented defaults in ``factors.toml``, overridden by a user file.

The model is additive and transparent, so a weight that silently stays at its default
because of a typo, or a negative weight that turns evidence of evasion into a discount,
would make every score misleading: both are refused, naming the table and key.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from sanctionwatch.errors import RiskParamsError

RiskParams = dict[str, dict[str, float]]

# Keys whose value is a share, not points: they must stay below 1 (a share of 1 or more
# would let risk grow, not decay, along the encounter graph).
SHARES = {("encounter", "share"), ("identity_changes", "older_share")}


def default_risk_params() -> RiskParams:
    """The bundled weights (a fresh copy each call: callers may change it)."""
    text = resources.files("sanctionwatch.risk").joinpath("factors.toml").read_text("utf-8")
    return _numbers(tomllib.loads(text), "factors.toml")


def load_risk_params(path: Path | None = None) -> RiskParams:
    """The defaults, with the tables and keys of ``path`` (a TOML file) replacing them.

    Raises ``RiskParamsError`` (an ``InputError``) naming the file and what is wrong: an
    unreadable file, an unknown factor or key, a value that is not a number, a negative
    value, a share of 1 or more, or levels out of order.
    """
    params = default_risk_params()
    if path is None:
        return params
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RiskParamsError(f"{path}: cannot read the risk factors ({exc})") from exc
    for table, values in _numbers(user, str(path)).items():
        if table not in params:
            known = ", ".join(sorted(params))
            raise RiskParamsError(f"{path}: no risk factor named [{table}] (known: {known})")
        for key, value in values.items():
            if key not in params[table]:
                known = ", ".join(sorted(params[table]))
                raise RiskParamsError(f"{path}: [{table}] has no key {key!r} (known: {known})")
            params[table][key] = value
    _check(params, str(path))
    return params


def _numbers(data: dict[str, Any], source: str) -> RiskParams:
    out: RiskParams = {}
    for table, values in data.items():
        if not isinstance(values, dict):
            raise RiskParamsError(f"{source}: {table!r} must be a table of factor weights")
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RiskParamsError(f"{source}: [{table}] {key} must be a number, not {value!r}")
            if value < 0:
                raise RiskParamsError(
                    f"{source}: [{table}] {key} must not be negative (it is {value})"
                )
        out[table] = {key: float(value) for key, value in values.items()}
    return out


def _check(params: RiskParams, source: str) -> None:
    for table, key in SHARES:
        if params[table][key] >= 1:
            raise RiskParamsError(
                f"{source}: [{table}] {key} must be below 1 (it is {params[table][key]})"
            )
    if params["levels"]["medium"] > params["levels"]["high"]:
        raise RiskParamsError(
            f"{source}: [levels] medium ({params['levels']['medium']}) must not exceed"
            f" high ({params['levels']['high']})"
        )


__all__ = ["RiskParams", "default_risk_params", "load_risk_params"]
