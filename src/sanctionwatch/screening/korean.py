"""Korean personal names across scripts and romanisations, for screening.

General-purpose name matchers see ``김정은`` as one token and ``eun``/``un`` as unrelated words.
Here a name that may be Korean (Hangul; Latin in the DPRK style, McCune–Reischauer or Revised
Romanisation, with or without breves, apostrophes or hyphens, syllables joined or spaced, family
name first or last; Russian Cyrillic) is read into *keys*: one coarse key per syllable, family
name first, equal for every common spelling of the same syllable (see ``korean_tables.toml`` for
what merges and why). Everything is pure and cached; the tables load once, on first use.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import islice, product
from typing import Any, Literal

System = Literal["rr", "mr", "dprk"]
KeySequence = tuple[str, ...]
# A reading of a name: family-name keys, given-name keys, and how indirect the reading is.
_Reading = tuple[KeySequence, KeySequence, int]

_SEGMENTED = 1  # a joined romanised token ("Jongun") had to be split into syllables
_SWAPPED = 2  # the family name was read from the end of the name ("Jong Un Kim")

_SYLLABLE_BASE = 0xAC00
_SYLLABLE_COUNT = 11172
_PER_INITIAL = 21 * 28
_PER_VOWEL = 28
_IEUNG = 11  # index of ㅇ among initials
_NIEUN, _RIEUL = 2, 5

_MAX_GIVEN_SYLLABLES = 3
_MAX_TOKEN_SEGMENTATIONS = 16
_MAX_READINGS = 64

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_./·]+")
_WORD = re.compile(r"[a-z]+|[а-яё]+")
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_HANGUL_LETTER = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_DROPPED = "'’‘ʼ`´ʻ" + "ьъ"  # MR apostrophes and breve-as-apostrophe (Pyo'ng); Russian signs


@dataclass(frozen=True, slots=True)
class KoreanMatch:
    """How alike two Korean names are: ``score`` in [0, 1] and a short ``reason``."""

    score: float
    reason: str


@dataclass(frozen=True)
class _Tables:
    romanisation: dict[str, dict[str, Any]]
    surnames: dict[str, dict[str, Any]]  # Hangul family name -> {"rr": ..., "mr": ..., ...}
    syllable_keys: tuple[str, ...]  # key of every Hangul syllable, by code point offset
    iotated_vowels: frozenset[int]  # vowel jamo indices before which ㄴ/ㄹ drop (initial-sound law)
    spellings: dict[str, tuple[str, ...]]  # Latin or Cyrillic syllable spelling -> keys
    irregular: dict[str, tuple[KeySequence, ...]]  # whole-token spellings (Lee, Park, Цой)
    surname_keys: frozenset[KeySequence]
    longest_spelling: int


@cache
def _tables() -> _Tables:
    """Load korean_tables.toml and derive the lookup tables (about 30 ms, once per process)."""
    text = resources.files(__package__).joinpath("korean_tables.toml").read_text("utf-8")
    data = tomllib.loads(text)
    keys = data["keys"]
    iotated = frozenset(keys["iotated"])
    syllable_keys = tuple(
        _compose(
            keys["initial_classes"][i // _PER_INITIAL],
            keys["vowel_classes"][i % _PER_INITIAL // _PER_VOWEL],
            keys["final_classes"][i % _PER_VOWEL],
            iotated,
        )
        for i in range(_SYLLABLE_COUNT)
    )
    spellings: dict[str, dict[str, None]] = {}  # dicts as ordered sets: runs stay deterministic
    for script in ("latin", "cyrillic"):
        _add_spellings(spellings, keys[script], iotated)
    irregular: dict[str, dict[KeySequence, None]] = {}
    surname_keys: set[KeySequence] = set()
    for hangul, entry in data["surnames"].items():
        seq = tuple(syllable_keys[ord(c) - _SYLLABLE_BASE] for c in hangul)
        surname_keys.add(seq)
        for spelling in [entry["rr"], entry["mr"], entry["dprk"], *entry["also"]]:
            irregular.setdefault(_fold(spelling), {})[seq] = None
    return _Tables(
        romanisation=data["romanisation"],
        surnames=data["surnames"],
        syllable_keys=syllable_keys,
        iotated_vowels=frozenset(
            i for i, cls in enumerate(keys["vowel_classes"]) if cls in iotated
        ),
        spellings={k: tuple(v) for k, v in spellings.items()},
        irregular={k: tuple(v) for k, v in irregular.items()},
        surname_keys=frozenset(surname_keys),
        longest_spelling=max(len(s) for s in spellings),
    )


def _compose(initial: str, vowel: str, final: str, iotated: frozenset[str]) -> str:
    # ㄴ/ㄹ before i/y is where North and South spell differently (리/이, 류/유, 녀/여).
    return ("" if initial == "r" and vowel in iotated else initial) + vowel + final


def _add_spellings(
    out: dict[str, dict[str, None]], script: dict[str, Any], iotated: frozenset[str]
) -> None:
    """Every initial + vowel + final spelling of one script, mapped to the syllable keys."""
    rules = script["rules"]
    empty_only = set(rules["empty_initial_only"])
    closed_also: dict[str, str] = rules["closed_also"]
    for initial, vowel, final in product(
        script["initials"].items(), script["vowels"].items(), script["finals"].items()
    ):
        for i_spelling, v_spelling, f_spelling in product(initial[1], vowel[1], final[1]):
            if i_spelling and v_spelling in empty_only:
                continue
            keys = out.setdefault(i_spelling + v_spelling + f_spelling, {})
            keys[_compose(initial[0], vowel[0], final[0], iotated)] = None
            if final[0] and v_spelling in closed_also:
                keys[_compose(initial[0], closed_also[v_spelling], final[0], iotated)] = None


@cache
def _fold_table() -> dict[int, str | None]:
    """Lower-cased accented Latin letters to their base letter (ŏ -> o); marks removed."""
    table: dict[int, str | None] = {ord(c): None for c in _DROPPED}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    table.update({code: None for code in range(0x300, 0x370)})
    return table


def _fold(text: str) -> str:
    # NFC first so that a decomposed Cyrillic й keeps its breve (only Latin marks are dropped).
    return unicodedata.normalize("NFC", text).casefold().translate(_fold_table())


def is_hangul(text: str) -> bool:
    """True when ``text`` has letters and every letter is Hangul (syllables or jamo)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_HANGUL_LETTER.match(c) for c in letters)


def split_hangul_name(name: str) -> list[tuple[str, str]]:
    """Candidate (family name, given name) splits of a Hangul name, most likely first.

    ``name`` is Hangul syllables, unsegmented (``김정은``, ``남궁민``) or spaced (``김 정은``,
    ``정은 김``). Two-syllable family names (남궁, 황보, 제갈, 선우, 독고, 사공, 서문) come first
    when the name is long enough to hold one. An unknown first syllable is still offered as the
    family name (the table lists the common surnames, not all). Empty when ``name`` is not
    Hangul or is too short or long to be a personal name.
    """
    return [(family, given) for family, given, _ in _hangul_splits(name)]


def _hangul_splits(name: str) -> list[tuple[str, str, bool]]:
    """Like split_hangul_name, with a flag telling that the family name was written last."""
    parts = name.split()
    if not 1 <= len(parts) <= 3 or not all(_HANGUL_RUN.fullmatch(p) for p in parts):
        return []
    surnames = _tables().surnames
    out: list[tuple[str, str, bool]] = []
    if len(parts) == 1:
        word = parts[0]
        if len(word) >= 3 and word[:2] in surnames:
            out.append((word[:2], word[2:], False))
        if 2 <= len(word) <= 5 and (word[0] in surnames or (not out and len(word) <= 4)):
            out.append((word[0], word[1:], False))
        return out
    first, given = parts[0], "".join(parts[1:])
    if first in surnames and len(given) <= 4:
        out.append((first, given, False))
    if len(parts) == 2 and parts[1] in surnames and len(first) <= 3:
        out.append((parts[1], first, True))
    if not out and len(first) <= 2 and len(given) <= 4:
        out.append((first, given, False))
    return out


def romanise_hangul(text: str, system: System = "dprk") -> str:
    """Romanise Hangul ``text`` in ``system``: "rr" (Revised Romanisation), "mr"
    (McCune–Reischauer as lists write it, without breves) or "dprk" (DPRK official style).

    A text that reads as a personal name (see split_hangul_name) is written as one:
    customary family-name spelling, then the given name (김정은 -> "Kim Jong Un" in "dprk",
    "Kim Chong-un" in "mr", "Kim Jeong-eun" in "rr"). Otherwise each Hangul word is romanised
    syllable by syllable; other characters pass through unchanged.
    """
    tables = _tables()
    table = tables.romanisation.get(system)
    if table is None:
        raise ValueError(f"unknown romanisation system {system!r}: use rr, mr or dprk")
    splits = _hangul_splits(text)
    if not splits:
        return _HANGUL_RUN.sub(lambda m: "".join(_syllables(m.group(), table)).capitalize(), text)
    family, given, family_last = splits[0]
    entry = tables.surnames.get(family)
    family_text = entry[system] if entry else "".join(_syllables(family, table)).capitalize()
    parts = _syllables(given, table, voice=system == "mr")
    if table["capitalise_each_syllable"]:
        parts = [p.capitalize() for p in parts]
    given_text = table["given_separator"].join(parts)
    given_text = given_text[:1].upper() + given_text[1:]
    return f"{given_text} {family_text}" if family_last else f"{family_text} {given_text}"


def _syllables(word: str, table: dict[str, Any], voice: bool = False) -> list[str]:
    """Romanised syllables of ``word``; ``voice`` applies MR voicing inside a given name."""
    out: list[str] = []
    previous_final: str | None = None
    for char in word:
        index = ord(char) - _SYLLABLE_BASE
        initial = table["initials"][index // _PER_INITIAL]
        vowel = table["vowels"][index % _PER_INITIAL // _PER_VOWEL]
        final = table["finals"][index % _PER_VOWEL]
        if initial == "s" and vowel in table.get("sh_before", ()):
            initial = "sh"
        if voice and previous_final in table["voiced_after_finals"]:
            initial = table["voiced"].get(initial, initial)
        out.append(initial + vowel + final)
        previous_final = final
    return out


def korean_keys(name: str) -> frozenset[KeySequence]:
    """The key sequences of ``name`` read as a Korean personal name, family name first.

    ``name`` is Hangul, Latin (any romanisation above) or Cyrillic. Each sequence has one key
    per syllable (``Kim Jong Un``, ``김정은``, ``Ким Чен Ын`` all give ``("kim", "jong", "un")``);
    a name gives several sequences when its spelling, the split of joined syllables or the
    family-name position is ambiguous. Empty when ``name`` cannot be read as a Korean personal
    name (no known family name first or last, letters that no romanisation uses, too many
    words). Meant for Person names: a vessel called "Chon Ma San" reads as one too.
    """
    return frozenset(family + given for family, given, _ in _readings(name))


def korean_similarity(a: str, b: str) -> KoreanMatch | None:
    """Compare two names as Korean personal names; None when either cannot be read as one.

    Same key sequence: 1.0, or 0.98 when only reached by splitting joined syllables or moving
    a trailing family name first. Both in Hangul: the syllables themselves are compared
    (김종은 and 김정은 are different people), allowing only the North/South spelling of a
    leading ㄴ/ㄹ (리병철 = 이병철). Otherwise: same family name 0.2 to 0.5 by the share of
    given-name syllables that agree in place; different family name at most 0.1.
    """
    readings_a, readings_b = _readings(a), _readings(b)
    if not readings_a or not readings_b:
        return None
    if is_hangul(a) and is_hangul(b):
        return _compare_hangul(a, b)
    full_b: dict[KeySequence, int] = {}
    for family, given, flags in readings_b:
        full_b[family + given] = min(flags, full_b.get(family + given, flags))
    indirect: int | None = None
    for family, given, flags in readings_a:
        other = full_b.get(family + given)
        if other is None:
            continue
        if not flags and not other:
            return KoreanMatch(1.0, "same syllables")
        indirect = flags | other if indirect is None else min(indirect, flags | other)
    if indirect is not None:
        how = "joined syllables split" if indirect & _SEGMENTED else "family name moved first"
        return KoreanMatch(0.98, f"same syllables ({how})")
    return _partial(readings_a, readings_b)


def _partial(
    a: Sequence[tuple[Sequence[str], Sequence[str], int]],
    b: Sequence[tuple[Sequence[str], Sequence[str], int]],
) -> KoreanMatch:
    """Score names that differ: by family name, then by given-name syllables in place."""
    best_same, best_other = -1.0, 0.0
    for family_a, given_a, flags_a in a:
        for family_b, given_b, flags_b in b:
            if flags_a & flags_b & _SWAPPED:
                # Both read back to front: "Pak Jong Un" and "Kim Jong Un" would share "Un".
                continue
            agreement = _in_place(given_a, given_b)
            if family_a == family_b:
                best_same = max(best_same, agreement)
            else:
                best_other = max(best_other, agreement)
    if best_same >= 0:
        return KoreanMatch(round(0.2 + 0.3 * best_same, 4), "same family name, given name differs")
    return KoreanMatch(round(0.1 * best_other, 4), "different family name")


def _in_place(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of syllable positions where ``a`` and ``b`` agree (0 when either is empty)."""
    longest = max(len(a), len(b))
    return sum(x == y for x, y in zip(a, b, strict=False)) / longest if longest else 0.0


def _compare_hangul(a: str, b: str) -> KoreanMatch:
    """Hangul against Hangul: syllables compared as written, bar the ㄴ/ㄹ spelling rule."""
    splits_a, splits_b = _hangul_splits(a), _hangul_splits(b)
    if any(fa == fb and ga == gb for fa, ga, _ in splits_a for fb, gb, _ in splits_b):
        return KoreanMatch(1.0, "same Hangul")
    southern_a, southern_b = _southern_splits(splits_a), _southern_splits(splits_b)
    if any(fa == fb and ga == gb for fa, ga, _ in southern_a for fb, gb, _ in southern_b):
        return KoreanMatch(0.98, "same Hangul in North and South Korean spelling")
    return _partial(southern_a, southern_b)


def _southern_splits(splits: list[tuple[str, str, bool]]) -> list[tuple[str, str, int]]:
    iotated = _tables().iotated_vowels
    return [
        (_southern(family, iotated), _southern(given, iotated), _SWAPPED if last else 0)
        for family, given, last in splits
    ]


def _southern(word: str, iotated_vowels: frozenset[int]) -> str:
    """``word`` with its first syllable in the South's spelling (리 -> 이, 로 -> 노, 녀 -> 여)."""
    if not word:
        return word
    initial, rest = divmod(ord(word[0]) - _SYLLABLE_BASE, _PER_INITIAL)
    if initial in (_NIEUN, _RIEUL) and rest // _PER_VOWEL in iotated_vowels:
        initial = _IEUNG
    elif initial == _RIEUL:
        initial = _NIEUN
    return chr(_SYLLABLE_BASE + initial * _PER_INITIAL + rest) + word[1:]


@lru_cache(maxsize=1 << 16)
def _readings(name: str) -> tuple[_Reading, ...]:
    """Every reading of ``name`` as a Korean personal name, bounded to _MAX_READINGS."""
    if _HANGUL_LETTER.search(name):
        keys = _tables().syllable_keys
        return tuple(
            (
                tuple(keys[ord(c) - _SYLLABLE_BASE] for c in family),
                tuple(keys[ord(c) - _SYLLABLE_BASE] for c in given),
                _SWAPPED if family_last else 0,
            )
            for family, given, family_last in _hangul_splits(name)
        )
    folded = _fold(name)
    family_part, comma, given_part = folded.partition(",")
    if comma:  # list style "KIM, Jong Un": the family name is before the comma
        family_tokens = _tokens(family_part)
        given_tokens = _tokens(given_part)
        if not family_tokens or not given_tokens:
            return ()
        return tuple(islice(_assemble("".join(family_tokens), given_tokens, 0), _MAX_READINGS))
    tokens = _tokens(folded)
    if not 2 <= len(tokens) <= _MAX_GIVEN_SYLLABLES + 1:
        return ()
    first = _assemble(tokens[0], tokens[1:], 0)
    last = _assemble(tokens[-1], tokens[:-1], _SWAPPED)
    return tuple(islice((*first, *last), _MAX_READINGS))


def _tokens(text: str) -> list[str]:
    """Words of a folded name, or [] when one has letters no romanisation uses."""
    tokens = [t for t in _SEPARATORS.split(text) if t]
    return tokens if all(_WORD.fullmatch(t) for t in tokens) else []


def _assemble(family_token: str, given_tokens: Sequence[str], flags: int) -> Iterator[_Reading]:
    """Readings with ``family_token`` as a known family name and the rest as the given name."""
    surname_keys = _tables().surname_keys
    families = [keys for keys, _ in _token_readings(family_token) if keys in surname_keys]
    if not families:
        return
    options = [_token_readings(token) for token in given_tokens]
    for combination in islice(product(*options), _MAX_READINGS):
        given = tuple(key for keys, _ in combination for key in keys)
        if 1 <= len(given) <= _MAX_GIVEN_SYLLABLES:
            segmented = _SEGMENTED if any(split for _, split in combination) else 0
            for family in families:
                yield family, given, flags | segmented


@lru_cache(maxsize=1 << 14)
def _token_readings(token: str) -> tuple[tuple[KeySequence, bool], ...]:
    """Key sequences of one romanised word, each flagged True when it needed splitting.

    A word that is one syllable (or an irregular spelling such as Lee, Park, Цой) is read as
    such; otherwise every split into up to three syllables, bounded.
    """
    tables = _tables()
    out: dict[KeySequence, bool] = dict.fromkeys(tables.irregular.get(token, ()), False)
    for key in tables.spellings.get(token, ()):
        out.setdefault((key,), False)
    if not out:
        splits = _splits(token, 0, _MAX_GIVEN_SYLLABLES, tables)
        for split in islice(splits, _MAX_TOKEN_SEGMENTATIONS):
            for keys in islice(product(*split), _MAX_TOKEN_SEGMENTATIONS):
                out.setdefault(keys, True)
    return tuple(out.items())


def _splits(token: str, start: int, most: int, tables: _Tables) -> Iterator[list[tuple[str, ...]]]:
    """Ways to cut ``token[start:]`` into at most ``most`` known syllable spellings."""
    if start == len(token):
        yield []
        return
    if most == 0:
        return
    stop = min(len(token), start + tables.longest_spelling)
    for end in range(start + 1, stop + 1):
        keys = tables.spellings.get(token[start:end])
        if keys:
            for rest in _splits(token, end, most - 1, tables):
                yield [keys, *rest]
