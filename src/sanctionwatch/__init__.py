"""sanctionwatch: open-source sanctions-evasion monitoring.

Screen names against the official sanctions lists, watch vessels at sea, link what is seen to
who is sanctioned, and build the case. See README.md.

From Python::

    import sanctionwatch
    matches = sanctionwatch.screen("Ким Чен Ын", schema="Person", home=Path("~/sw").expanduser())

``screen`` and ``screen_batch`` are imported on first use, so that ``import sanctionwatch``
stays cheap and does no I/O.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "screen", "screen_batch"]


def __getattr__(name: str) -> Any:
    if name in ("screen", "screen_batch"):
        from sanctionwatch.screening import service

        return getattr(service, name)
    raise AttributeError(f"module 'sanctionwatch' has no attribute {name!r}")
