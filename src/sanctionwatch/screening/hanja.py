"""Korean names written in Chinese characters (Hanja), read in Hangul: 金正恩 -> 김정은, so that
``korean.py`` can compare them with any romanisation or with Hangul.

The readings come from the Unicode Character Database (``hanja_readings.tsv``, built by
tools/make_hanja_readings.py); a character with several readings yields several Hangul
spellings, the readings used in names first.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from itertools import islice, product

from sanctionwatch.screening import korean

MAX_READINGS = 8  # Hangul spellings tried per name: 金 alone reads 김 or 금


def _load_table(file_name: str) -> dict[str, tuple[str, ...]]:
    """A two-column table of this package (key, then readings separated by spaces)."""
    text = resources.files("sanctionwatch.screening").joinpath(file_name).read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, readings = line.partition("\t")
            table[key] = tuple(readings.split())
    return table


@cache
def readings_table() -> dict[str, tuple[str, ...]]:
    """Character -> its Hangul readings (read once)."""
    return _load_table("hanja_readings.tsv")


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


# -- Korean names heard through Mandarin ("Cui Longhai" for 崔龍海, Choe Ryong Hae) --------------

MAX_SEGMENTATIONS = 4  # ways to cut one word into pinyin syllables ("xian": xian, xi an)


@cache
def pinyin_table() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable -> Hangul readings of the common characters so read."""
    return _load_table("pinyin_readings.tsv")


@lru_cache(maxsize=1 << 12)
def _syllable_keys(syllable: str, family: bool) -> frozenset[str]:
    """The keys korean.py gives the Hangul readings of one pinyin syllable, in the family-name
    position or in a given name (a probe syllable completes the two-syllable name it reads)."""
    keys = set()
    for hangul in pinyin_table().get(syllable, ()):
        probe = hangul + "가" if family else "김" + hangul
        for sequence in korean.korean_keys(probe):
            keys.add(sequence[0] if family else sequence[1])
    return frozenset(keys)


@lru_cache(maxsize=1 << 14)
def _segmentations(word: str) -> tuple[tuple[str, ...], ...]:
    """Every way (at most a few) to read ``word`` as a run of pinyin syllables.

    First marks, right to left, where a run of syllables can start (linear in the word),
    so that a word that is no pinyin ("mohammed") is refused without a search."""
    table = pinyin_table()
    size = len(word)
    ends_ok = [False] * (size + 1)
    ends_ok[size] = True
    for start in range(size - 1, -1, -1):
        ends_ok[start] = any(
            ends_ok[end] and word[start:end] in table
            for end in range(start + 1, min(size, start + 6) + 1)
        )
    if not ends_ok[0]:
        return ()
    found: list[tuple[str, ...]] = []

    def walk(start: int, path: tuple[str, ...]) -> None:
        if len(found) >= MAX_SEGMENTATIONS:
            return
        if start == size:
            found.append(path)
            return
        for end in range(min(size, start + 6), start, -1):
            if ends_ok[end] and word[start:end] in table:
                walk(end, (*path, word[start:end]))

    walk(0, ())
    return tuple(found)


def pinyin_syllables(word: str) -> tuple[tuple[str, ...], ...]:
    """Ways (at most a few) to cut one lower-case word into toneless pinyin syllables."""
    return _segmentations(word) if word.isascii() and word.isalpha() else ()


@lru_cache(maxsize=1 << 14)
def pinyin_key_sets(name: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """For a name that reads as pinyin (family name first), per way of reading it, the set of
    Korean syllable keys each syllable may stand for; empty when it does not read as pinyin."""
    words = [w for w in re.split(r"[\s,\-]+", name.lower()) if w]
    if not words or not all(w.isascii() and w.isalpha() for w in words):
        return ()
    per_word = [_segmentations(word) for word in words]
    if not all(per_word):
        return ()
    readings = []
    for combination in islice(product(*per_word), MAX_READINGS):
        syllables = [s for word in combination for s in word]
        keys = tuple(_syllable_keys(s, family=i == 0) for i, s in enumerate(syllables))
        if all(keys):
            readings.append(keys)
    return tuple(readings)


def pinyin_reads_as(pinyin_name: str, korean_name: str) -> bool:
    """Whether ``pinyin_name`` can be the Mandarin reading of the Korean name ``korean_name``
    (in any romanisation or Hangul): every syllable's characters may be read so in Korean."""
    readings = pinyin_key_sets(pinyin_name)
    if not readings:
        return False
    for sequence in korean.korean_keys(korean_name):
        for keys in readings:
            if len(keys) == len(sequence) and all(
                k in s for k, s in zip(sequence, keys, strict=True)
            ):
                return True
    return False
