"""The registry of list formats: one module per format, each exposing ``FORMAT``.

Order matters only where two formats could claim the same file; the more specific comes first.
Modules are imported on first use, so that a command which never reads a list never pays for it.
"""

from __future__ import annotations

import importlib
from functools import cache

from sanctionwatch.lists.model import ListFormat

FORMAT_MODULES = (
    "un_xml",
    "eu_xml",
    "uk_sanctions_list_csv",
    "uk_ofsi_csv",
    "ofac_csv",
    "ftm_json",
)


@cache
def registered_formats() -> tuple[ListFormat, ...]:
    """Every supported format, in sniffing order."""
    formats = []
    for name in FORMAT_MODULES:
        module = importlib.import_module(f"sanctionwatch.lists.formats.{name}")
        formats.append(module.FORMAT)
    return tuple(formats)
