"""Names prepared for comparison: transliterated to ASCII, tokenised, with the words that
carry identity (distinctive) kept apart from those that do not (legal forms, generic
business words, titles), numbers kept apart too, and a spelling-folded form of each token.

Everything here is computed once per listed name at index build and once per query name,
so the per-candidate comparison in ``score.py`` works on ready tuples.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from rigour.names import replace_org_types_compare
from rigour.text import ascii_text

from sanctionwatch.screening.hanja import pinyin_key_sets
from sanctionwatch.screening.korean import korean_keys, romanise_hangul

# A name longer than this is cut before analysis: no real name is, and the cost of
# comparing grows with length (a 10,000-character "name" must not stall a batch).
MAX_NAME_CHARS = 300
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Terms:
    legal_forms: frozenset[str]
    generic_words: frozenset[str]
    person_titles: frozenset[str]
    person_prefixes: frozenset[str]
    person_degrees: frozenset[str]
    folds: tuple[tuple[str, str], ...]
    roman_numerals: dict[str, int]
    vessel_prefixes: frozenset[str]
    abbreviations: dict[str, str]
    legal_phrases: dict[str, str]

    @cached_property
    def legal_phrase_pattern(self) -> re.Pattern[str]:
        """The multi-word legal forms, longest first, as whole words."""
        phrases = sorted(self.legal_phrases, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b")


@cache
def terms() -> Terms:
    """The word lists of ``terms.toml`` (read once)."""
    text = resources.files("sanctionwatch.screening").joinpath("terms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Terms(
        legal_forms=frozenset(data["legal_forms"]),
        generic_words=frozenset(data["generic_words"]),
        person_titles=frozenset(data["person_titles"]),
        person_prefixes=frozenset(data["person_prefixes"]),
        person_degrees=frozenset(data["person_degrees"]),
        folds=tuple((a, b) for a, b in data["transliteration_folds"]),
        roman_numerals={k: int(v) for k, v in data["roman_numerals"].items()},
        vessel_prefixes=frozenset(data["vessel_prefixes"]),
        abbreviations=dict(data["abbreviations"]),
        legal_phrases=dict(data["legal_phrases"]),
    )


@dataclass(frozen=True)
class NameForm:
    """One name, analysed. ``tokens`` are what identity rests on (distinctive words for
    organisations, every word but titles for people); ``generic`` the rest; ``numbers`` the
    numbers it carries (digits, or Roman numerals on vessels and companies)."""

    original: str
    ascii: str
    tokens: tuple[str, ...]
    folded: tuple[str, ...]  # ``tokens`` with transliteration variants folded
    generic: tuple[str, ...]
    numbers: frozenset[str]
    script: str  # "Latin", "Hangul", "Cyrillic", "CJK", "Arabic", "other"
    script_tokens: tuple[str, ...]  # the words in their own script, case-folded
    korean_readable: bool = False  # korean.py can read it as a Korean personal name
    pinyin_readable: bool = False  # it reads as Mandarin pinyin (a Korean name heard so?)

    @property
    def is_empty(self) -> bool:
        return not self.tokens and not self.generic and not self.numbers


def clean_name(text: str) -> str:
    """Control characters removed, whitespace folded, cut to :data:`MAX_NAME_CHARS`."""
    text = _CONTROL.sub(" ", text)[:MAX_NAME_CHARS]
    return " ".join(text.split())


_DOTTED = re.compile(r"\w+(?:\.\w+)*\.(?=\s|,|$)|\w+(?:\.\w+)+")
_INDONESIAN_DEGREE = re.compile(r"[SM]\.[A-Z][A-Za-z]*(?:\.[A-Za-z]+)*\.?")


def strip_person_affixes(name: str) -> str:
    """A person's name without the honorifics before it and the degrees after it, when they
    are written with their dots ("KH. Ghani Agustina" -> "Ghani Agustina", "Nova Habibi,
    S.T." -> "Nova Habibi"). At least two words of the name are always kept: "R. Kelly" and
    "Habibi, S.T." stay as they are (the letters may be initials)."""
    t = terms()

    def undotted(word: str) -> str:
        return word.replace(".", "").casefold()

    def is_degree(word: str) -> bool:
        return bool(
            _DOTTED.fullmatch(word)
            and (undotted(word) in t.person_degrees or _INDONESIAN_DEGREE.fullmatch(word))
        )

    words = name.replace(",", " , ").split()
    while len([w for w in words if w != ","]) > 2:
        if words[-1] == "," or is_degree(words[-1]):
            words.pop()
        else:
            break
    while (
        len([w for w in words if w != ","]) > 2
        and _DOTTED.fullmatch(words[0])
        and undotted(words[0]) in t.person_prefixes
    ):
        words.pop(0)
    while words and words[-1] == ",":
        words.pop()
    return " ".join(words).replace(" , ", ", ")


def script_of(text: str) -> str:
    """The main non-Latin script of ``text`` ("Latin" when there is none)."""
    for char in text:
        if ord(char) < 0x250:
            continue
        name = unicodedata.name(char, "")
        if name.startswith("HANGUL"):
            return "Hangul"
        if name.startswith("CYRILLIC"):
            return "Cyrillic"
        if name.startswith(("CJK", "KATAKANA", "HIRAGANA")):
            return "CJK"
        if name.startswith("ARABIC"):
            return "Arabic"
        if char.isalpha():
            return "other"
    return "Latin"


@lru_cache(maxsize=1 << 16)
def fold_token(token: str) -> str:
    """A token with common transliteration variants folded (Maiya/Maia, Khan/Han, -iy/-i)."""
    for pattern, replacement in terms().folds:
        if pattern in token:
            token = token.replace(pattern, replacement)
    return token


# "M/V", "M.V.", "M/T" before a ship's name; written-together prefixes ("MV") are in terms.toml
_VESSEL_PREFIX = re.compile(r"^\s*m\s*[/.]\s*[vts]\b\.?\s*")


@lru_cache(maxsize=1 << 14)
def _near_generic_word(word: str) -> str | None:
    """The generic or legal-form word ``word`` is one typing slip from, if any (5+ letters)."""
    if len(word) < 5:
        return None
    t = terms()
    budget = 1 if len(word) <= 8 else 2
    vocabulary = _generic_vocabulary()
    found = extractOne(word, vocabulary, scorer=OSA.distance, score_cutoff=budget)
    return None if found is None or found[0] in t.person_titles else str(found[0])


@cache
def _generic_vocabulary() -> tuple[str, ...]:
    t = terms()
    return tuple(sorted(w for w in t.generic_words | t.legal_forms if len(w) >= 5))


_LETTERS_THEN_DIGITS = re.compile(r"[a-z]+[0-9]+|[0-9]+[a-z]+")
_LEET = str.maketrans("013459", "oieasg")


def _join_initials(tokens: list[str]) -> list[str]:
    """ "A.B.C. Company" is "ABC Company": runs of single letters become one token."""
    joined: list[str] = []
    run = ""
    for token in [*tokens, ""]:
        if len(token) == 1:
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        if token:
            joined.append(token)
    return joined


def spaced_romanisation(text: str) -> str:
    """Hangul romanised one syllable at a time (DPRK style), other characters kept."""
    return " ".join(
        romanise_hangul(char, "dprk") if "\uac00" <= char <= "\ud7a3" else char for char in text
    )


@lru_cache(maxsize=1 << 17)
def analyse_name(name: str, schema: str | None = None) -> NameForm:
    """Analyse ``name`` for a party of ``schema`` (FtM schema name, or None if unknown)."""
    name = clean_name(name)
    script = script_of(name)
    is_person = schema == "Person"
    if is_person and "." in name:
        name = strip_person_affixes(name)
    if script == "Hangul" and not is_person:
        # Ships and firms are romanised syllable by syllable, as DPRK lists write them
        # (안산 1 -> AN SAN 1, 금성 3 -> KUM SONG 3); persons go through korean.py.
        ascii_name = spaced_romanisation(name).lower()
    else:
        ascii_name = ascii_text(name).lower()
    if schema == "Vessel":
        ascii_name = _VESSEL_PREFIX.sub("", ascii_name)
        first, _, rest = ascii_name.partition(" ")
        if rest and first in terms().vessel_prefixes:
            ascii_name = rest
    if not is_person:
        # "Aktiengesellschaft" -> "ag", "obshchestvo s ogranichennoi ..." -> "ooo": legal
        # forms compared in one spelling (rigour's table of them).
        ascii_name = replace_org_types_compare(ascii_name)
        phrases = terms()
        ascii_name = phrases.legal_phrase_pattern.sub(
            lambda m: phrases.legal_phrases[m[1]], ascii_name
        )
    words = _TOKEN.findall(ascii_name)
    t = terms()
    tokens: list[str] = []
    generic: list[str] = []
    numbers: set[str] = set()
    if not is_person:
        words = [t.abbreviations.get(word, word) for word in words]
    for word in words:
        if word.isdigit():
            numbers.add(str(int(word)))
        elif _LETTERS_THEN_DIGITS.fullmatch(word):  # "maia1", "no3": a name and a number
            for part in re.findall(r"[a-z]+|[0-9]+", word):
                (numbers.add(str(int(part))) if part.isdigit() else tokens.append(part))
        elif any(c.isdigit() for c in word):  # "ig0r", "sech1n": digits standing for letters
            tokens.append(word.translate(_LEET))
        elif not is_person and word in t.roman_numerals and len(words) > 1 and word != words[0]:
            numbers.add(str(t.roman_numerals[word]))
        elif is_person and word in t.person_titles and len(words) > 2:
            continue
        elif not is_person and (word in t.legal_forms or word in t.generic_words):
            generic.append(word)
        elif not is_person and (near := _near_generic_word(word)) is not None:
            generic.append(near)  # "Sipping", "Intenrational": a typo of a generic word
        else:
            tokens.append(word)
    if not tokens and generic:  # a name made only of generic words: they are its identity
        tokens, generic = generic, []
    if not is_person:
        tokens = _join_initials(tokens)
        if len(tokens) > 1 and (forms := [w for w in tokens if w in t.legal_forms]):
            # "P.T." joined is "pt", a legal form like "PT"
            tokens = [w for w in tokens if w not in t.legal_forms]
            generic.extend(forms)
    return NameForm(
        original=name,
        ascii=" ".join(words),
        tokens=tuple(tokens),
        folded=tuple(fold_token(tok) for tok in tokens),
        generic=tuple(generic),
        numbers=frozenset(numbers),
        script=script,
        script_tokens=tuple(_WORD.findall(unicodedata.normalize("NFKC", name).casefold())),
        korean_readable=bool(korean_keys(name)),
        pinyin_readable=script == "Latin" and bool(pinyin_key_sets(name)),
    )
