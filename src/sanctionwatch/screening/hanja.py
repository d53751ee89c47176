"""Korean names written in Chinese characters (Hanja), read in Hangul: 金正恩 -> 김정은, so that
``korean.py`` can compare them with any romanisation or with Hangul.

The readings come from the Unicode Character Database (``hanja_readings.tsv``, built by
tools/make_hanja_readings.py); a character with several readings yields several Hangul
spellings, the readings used in names first.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from itertools import islice, product

MAX_READINGS = 8  # Hangul spellings tried per name: 金 alone reads 김 or 금


@cache
def readings_table() -> dict[str, tuple[str, ...]]:
    """Character -> its Hangul readings (read once)."""
    text = resources.files("sanctionwatch.screening").joinpath("hanja_readings.tsv")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            char, _, readings = line.partition("\t")
            table[char] = tuple(readings.split())
    return table


@lru_cache(maxsize=1 << 14)
def hangul_readings(name: str) -> tuple[str, ...]:
    """The Hangul spellings of a name written in Chinese characters, most likely first; empty
    when a character has no known Korean reading (the name is then not read as Korean)."""
    table = readings_table()
    words = []
    for word in name.split():
        options = []
        for char in word:
            if char in "·・":
                continue
            found = table.get(char)
            if not found:
                return ()
            options.append(found)
        if options:
            words.append(options)
    if not words:
        return ()
    spellings = (
        " ".join("".join(chars) for chars in _split(combination, words))
        for combination in product(*(option for word in words for option in word))
    )
    return tuple(islice(spellings, MAX_READINGS))


def _split(flat: tuple[str, ...], words: list[list[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    """Group a flat reading back into the name's words."""
    grouped, start = [], 0
    for word in words:
        grouped.append(flat[start : start + len(word)])
        start += len(word)
    return grouped
