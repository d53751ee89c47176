"""Reading the values of the UK lists: their dates (``00/05/1980``, ``dd/mm/1958``,
``13-Feb-2026``), numbered lists (``1) Saudi Arabia 2) Qatar``), document numbers inside free
text, and header names compared loosely. Pure functions of text, shared by both UK formats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date

from sanctionwatch.lists.formats.month_names import MONTHS

RAW_LIMIT = 2000
# dd/mm/yyyy where unknown parts are "00" (OFSI) or the letters "dd"/"mm" (FCDO).
_DMY = re.compile(r"^(\d{1,2}|dd|00)[/.-](\d{1,2}|mm|00)[/.-](\d{4})$", re.IGNORECASE)
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ](\d{4})$")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# "1) Saudi Arabia 2) Qatar", "(1) x (2) y", "a) x b) y": the markers, not their content.
_NUMBERED = re.compile(r"(?:^|\s|(?<=[.,;]))\(?(?:\d{1,2}|[a-h])\)\s*")
# Document numbers inside free text: at least four digits, optionally after a short
# upper-case series ("PS 563410163", "SE 012820", "A-333602"); never part of a date.
_DOC_NUMBER = re.compile(r"(?<![\w./-])((?:[A-Z]{1,4}[ -]?){0,2}\d[\dA-Z-]{3,})(?![\w/]|\.\d)")
_NUMBER_LABEL = re.compile(r"\b(no|number)[.:]", re.IGNORECASE)  # "passport no.F800691"
_YEAR = re.compile(r"^(19|20)\d\d$")
_LEADING_NUMBER = re.compile(r"\s*((?:[A-Z]{1,3}[ -]?)?\d{2,}[\dA-Z/-]*)")


def clean(text: str | None) -> str:
    """Text with runs of whitespace collapsed and the ends stripped ('' for None)."""
    return " ".join(text.split()) if text else ""


def parse_uk_date(raw: str) -> str | None:
    """An ISO date (possibly partial) from the UK lists' formats, or None when not understood.

    ``"12/03/1980"`` -> ``"1980-03-12"``; ``"00/00/1980"`` and ``"dd/mm/1980"`` -> ``"1980"``;
    ``"00/05/1980"`` -> ``"1980-05"``; ``"13-Feb-2026"`` -> ``"2026-02-13"``; ISO passes through.
    """
    text = clean(raw)
    if _ISO.match(text):
        return text
    match = _DMY.match(text)
    if match:
        day_text, month_text, year_text = match.groups()
        day = int(day_text) if day_text.isdigit() else 0
        month = int(month_text) if month_text.isdigit() else 0
        year = int(year_text)
    else:
        match = _D_MON_Y.match(text)
        if not match or match.group(2).lower() not in MONTHS:
            return None
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    if year == 0:
        return None
    if month == 0:
        return f"{year:04d}" if day == 0 else None
    if day == 0:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # 31/02/1980: the list says something impossible; keep it raw
        return None


def split_numbered(text: str) -> list[str]:
    """Items of a numbered list such as ``"1) Saudi Arabia 2) Qatar"``; one item if unnumbered."""
    text = clean(text)
    if not _NUMBERED.search(text):
        return [text] if text else []
    items = (clean(part).strip(" ,;") for part in _NUMBERED.split(text))
    return [item for item in items if item]


def document_numbers(text: str) -> list[str]:
    """Document numbers found in free text such as ``"836110034 (diplomatic). Expires ..."``.

    Years and dates are skipped; a short number at the start ("983 (Diplomatic)") is taken
    when nothing else is found.
    """
    spaced = _NUMBER_LABEL.sub(r"\1: ", text)
    found = [m.strip(" -") for m in _DOC_NUMBER.findall(spaced) if not _YEAR.match(m)]
    leading = _LEADING_NUMBER.match(text)
    if not found and leading:
        found = [leading.group(1)]
    return list(dict.fromkeys(found))


def join_name(parts: Iterable[str]) -> str:
    """A whole name from its parts (given names first, as both UK lists order Name 1 .. 6)."""
    return " ".join(p for p in (clean(part) for part in parts) if p)


def raw_row(cells: Sequence[str]) -> str:
    """A row serialised back to one CSV line, trimmed for a :class:`Rejected` record."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()[:RAW_LIMIT]


def sniff_lines(head: bytes, count: int) -> list[list[str]]:
    """The first ``count`` CSV records of a file head (decoded leniently), for sniffing."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:count]
    try:
        return [[clean(cell) for cell in row] for row in csv.reader(lines)]
    except csv.Error:
        return []


def header_key(name: str) -> str:
    """Header names compared without case or spacing: ``"Regime Name"`` == ``"regime name"``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())
