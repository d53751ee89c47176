"""Analytics engines over the AIS store: DuckDB by default (Spark comes with the detectors).

Only this package imports an engine library; everything else talks to :class:`Engine`.
"""

from __future__ import annotations

from typing import Any, Protocol


class Engine(Protocol):
    """SQL over the stored positions (view ``positions``) and identities (``identity``)."""

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run ``sql`` (bound parameters only, never formatted in) and return rows."""
        ...

    def close(self) -> None: ...
