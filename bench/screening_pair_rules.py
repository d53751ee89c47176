"""Name rules of the DPRK/Russia pair generator (bench/screening_pairs.py): spelling
variants, typos and Hangul romanisations written for the generator alone. Nothing here comes
from sanctionwatch.screening, so that the engine is never graded on its own variants."""

from __future__ import annotations

import random
import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening"

# --- name rules (our own; nothing from sanctionwatch.screening) -----------------------------


@cache
def rules() -> dict[str, Any]:
    """The name rules in tests/data/screening/name_rules.toml."""
    with (OUT / "name_rules.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def generic_words() -> frozenset[str]:
    return frozenset(rules()["generic_words"].split())


@cache
def korean_surnames() -> frozenset[str]:
    return frozenset(rules()["korean_surnames"].split())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normal_form(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", strip_accents(text).casefold()).split())


def trivially_equal(a: str, b: str) -> bool:
    """Equal but for case, commas and spacing: not worth a pair."""

    def fold(text: str) -> str:
        return " ".join(text.casefold().replace(",", " ").split())

    return fold(a) == fold(b)


def token_key(token: str) -> str:
    """A romanised Korean syllable run with the differences between romanisations removed."""
    key = re.sub(r"[^a-z]", "", strip_accents(token).lower())
    key = rules()["name_key"]["surnames"].get(key, key)
    for old, new in rules()["name_key"]["rules"]:
        key = key.replace(old, new)
    return key


def name_key(text: str) -> str:
    return " ".join(token_key(t) for t in re.split(r"[\s,\-]+", text.replace("'", "")) if t)


def rotations(text: str) -> set[str]:
    """The name's key read family-name-first and family-name-last, syllables run together."""
    keys = name_key(text).split()
    return {"".join(keys), "".join(keys[1:] + keys[:1]), "".join(keys[-1:] + keys[:-1])}


def same_name(a: str, b: str) -> bool:
    """True when two romanised Korean names may spell one name (or one extends the other)."""
    return any(
        edit_distance(x, y) <= 1 or x.startswith(y) or y.startswith(x)
        for x in rotations(a)
        for y in rotations(b)
    )


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = previous[j - 1] + (char_a != char_b)
            current.append(min(previous[j] + 1, current[j - 1] + 1, cost))
        previous = current
    return previous[-1]


def distinctive(name: str) -> list[str]:
    """The words of an organisation name that are not generic (KOREA, TRADING, CO ...)."""
    tokens = re.findall(r"[A-Z0-9']+|&", strip_accents(name).upper())
    return [t.replace("'", "") for t in tokens if t.replace("'", "") not in generic_words()]


def cap_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def title(text: str) -> str:
    """Title case as a user types it (KOREA SAMMA SHIPPING CO -> Korea Samma Shipping Co)."""
    return " ".join(w if re.fullmatch(r"[IVX]+|\W*", w) else cap_word(w) for w in text.split())


def typo(text: str, rng: random.Random) -> str | None:
    """One edit (two in long names) inside words of four letters or more, never the first letter."""
    words = text.split(" ")
    eligible = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 4]
    if not eligible:
        return None
    edits = 2 if sum(len(w) for w in words) >= 16 and len(eligible) >= 2 else 1
    for index in rng.sample(eligible, edits):
        word = words[index]
        pos = rng.randrange(1, len(word) - 1)
        letter = rng.choice("aeiounrstlkmhg")
        letter = letter.upper() if word.isupper() else letter
        operation = rng.choice(["substitute", "delete", "insert", "transpose"])
        if operation == "substitute" and word[pos].lower() != letter.lower():
            word = word[:pos] + letter + word[pos + 1 :]
        elif operation == "delete":
            word = word[:pos] + word[pos + 1 :]
        elif operation == "insert":
            word = word[:pos] + letter + word[pos:]
        else:
            word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
        words[index] = word
    result = " ".join(words)
    return result if result != text else None


def safe_person_variants(
    surname: str, given: list[str], rng: random.Random
) -> list[tuple[str, str]]:
    """Spellings valid whatever the Hangul behind a DPRK-romanised name (its Hangul is unknown).

    Family names take a customary southern spelling; in given names only mappings that hold for
    every syllable a DPRK spelling can stand for: ㄱ written G, ㅈ written Ch (as in MR), 철 as
    Cheol/Chul, 혁 as Hyeok/Hyuk, 희 as Hee. Vowels stay (o is ㅓ or ㅗ, u is ㅜ or ㅡ).
    """
    southern = []
    for syllable in given:
        lower = syllable.lower()
        lower = {
            "chol": rng.choice(["cheol", "chul"]),
            "hyok": rng.choice(["hyeok", "hyuk"]),
            "hui": "hee",
        }.get(lower, lower)
        if lower.startswith("k") and not lower.startswith("kh"):
            lower = "g" + lower[1:]
        southern.append(lower)
    spellings = rules()["surname_spellings"].get(
        surname.lower().replace("'", ""), [cap_word(surname)]
    )
    variants = [(f"{rng.choice(spellings)} {cap_word('-'.join(southern))}", "southern spelling")]
    mr = [("ch" + s[1:] if s.lower().startswith("j") else s).lower() for s in given]
    if mr != [s.lower() for s in given]:
        variants.append((f"{cap_word(surname)} {cap_word('-'.join(mr))}", "MR-style J as Ch"))
    return variants


# --- Hangul romanisation: DPRK practical (as the lists write it), McCune-Reischauer, RR --------


def romanise_syllables(text: str, system: str) -> list[str]:
    """Each Hangul syllable romanised; plain consonants voiced after a vowel, n, m, ng or l."""
    table = rules()["hangul"]
    out, previous_final = [], None
    for char in text:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            out.append(char)
            previous_final = None
            continue
        initial = table["initial"][system].split()[code // 588].replace("-", "")
        if previous_final in {"-", "n", "m", "ng", "l"}:
            initial = table["voiced"][system].get(initial, initial)
        final = table["final"].split()[code % 28]
        medial = table["medial"][system].split()[(code % 588) // 28]
        out.append(initial + medial + final.replace("-", ""))
        previous_final = final
    return out


def romanise_person(hangul: str, system: str) -> str:
    """A Hangul personal name (one-syllable family name first) in one romanisation."""
    surname = rules()["hangul"]["surnames"][hangul[0]][["kp", "mr", "rr"].index(system)]
    given = romanise_syllables(hangul[1:], system)
    if system == "kp":
        return " ".join([surname, *(cap_word(s) for s in given)])
    return f"{surname} {cap_word('-'.join(given))}"


def southern_popular(syllable: str) -> str:
    """Common South Korean spellings of RR syllables: Jung, Sung, Young, Chul, Suk, Hee."""
    if syllable == "yeong":
        return "young"
    syllable = re.sub(r"eo(ng|l|k|n)$", r"u\1", syllable)
    syllable = re.sub(r"^g", "k", syllable)
    return "hee" if syllable == "hui" else syllable


def hangul_forms(hangul: str) -> list[tuple[str, str]]:
    """Romanisations of a Hangul personal name, made by the rules above."""
    mr = romanise_person(hangul, "mr")
    rr_given = romanise_syllables(hangul[1:], "rr")
    *_, rr_surname, customary = rules()["hangul"]["surnames"][hangul[0]]
    popular = cap_word("-".join(southern_popular(s) for s in rr_given))
    forms = [
        (romanise_person(hangul, "kp"), "DPRK practical"),
        (mr, "McCune-Reischauer"),
        (mr.replace("ŏ", "o'").replace("ŭ", "u'"), "McCune-Reischauer, ASCII apostrophes"),
        (strip_accents(mr).replace("'", ""), "McCune-Reischauer without diacritics"),
        (f"{customary} {cap_word('-'.join(rr_given))}", "Revised Romanisation"),
        (f"{customary} {popular}", "southern popular spelling"),
        (f"{customary} {cap_word(popular.replace('-', ''))}", "southern, syllables joined"),
        (f"{rr_surname} {cap_word('-'.join(rr_given))}", "Revised Romanisation, strict"),
    ]
    unique: dict[str, tuple[str, str]] = {}
    for form, system in forms:
        unique.setdefault(form.casefold(), (form, system))
    return list(unique.values())
