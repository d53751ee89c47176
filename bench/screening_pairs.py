"""Build the labelled DPRK/Russia name-pair set: tests/data/screening/dprk_pairs.csv.

    .venv/bin/python bench/screening_pairs.py

Inputs: the bundled official lists (data/lists: UN 2026-02-27, OFAC SDN 2024-05-03 with the
2025-12-24 aliases, UK OFSI 2018-04-13) read with the project's list store, and two hand-made
files beside the output: hand_written_forms.csv (Hangul, Cyrillic, Hanja, Chinese readings) and
case_note_pairs.csv (pairs taken from shared/reference/dprk-russia-case-notes.md). Every variant
is made by the small rules in this file; nothing here calls sanctionwatch.screening, so the engine
is never graded on pairs its own code produced. Deterministic: fixed seeds, sorted inputs.
tests/data/screening/README.md describes each category.
"""

from __future__ import annotations

import csv
import random
import re
import tempfile
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "data" / "lists"
OUT = ROOT / "tests" / "data" / "screening"
LOADS = {
    "UN": [LISTS / "un" / "un_consolidated_2026-02-27.xml"],
    "OFAC": [LISTS / "ofac" / "sdn_2024-05-03.csv", LISTS / "ofac" / "aux_2025-12-24"],
    "UK": [LISTS / "uk" / "ofsi_conlist_2018-04-13.csv"],
}
SEED = 20240328  # the day of the veto
SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "Vessel"}
FOREIGN = {"cn", "tw", "sg", "ru", "tr", "in", "gb", "my", "ae", "ua", "lb", "sy", "ir"}
CHINESE_READINGS = {"jiang wen-ji", "jian wenji", "li cheng he", "jin tiesan"}  # list aliases
CAPS = {  # generated categories sampled down to these sizes; listed and hand-made pairs all kept
    "typo": 80,
    "order": 45,
    "spacing": 60,
    "romanisation": 150,
    "legal_form": 45,
    "prefix": 25,
    "number_format": 35,
    "alias_spelling": 110,
    "alias_legal_form": 70,
    "hard_negative_family": 70,
    "hard_negative_number": 70,  # every real sister-ship pair, topped up with generated ones
}


@dataclass(frozen=True)
class Record:
    """The main entity of one list record."""

    source: str  # "UN KPi.033", "OFAC 20157", "UK 13454"
    schema: str
    name: str
    aliases: tuple[str, ...]
    imo: str
    years: frozenset[str]  # birth years
    dprk: bool  # on a DPRK programme, or a DPRK national
    russia: bool  # on a RUSSIA programme
    foreign: bool  # a national of a country whose names are not Korean
    russian: bool  # a Russian national


@dataclass(frozen=True)
class Pair:
    schema: str
    name1: str
    name2: str
    is_match: bool
    category: str
    source: str
    imo1: str = ""
    imo2: str = ""

    def row(self) -> list[str]:
        label = "true" if self.is_match else "false"
        fields = [self.schema, self.name1, self.name2, label, self.category, self.source]
        return [*fields, self.imo1, self.imo2]


def load_records() -> list[Record]:
    from sanctionwatch.lists.loader import load_lists
    from sanctionwatch.lists.store import ListStore

    records = []
    with tempfile.TemporaryDirectory() as tmp:
        store = ListStore(Path(tmp) / "lists.db")
        for prefix, paths in LOADS.items():
            for outcome in load_lists(store, paths, workers=1):
                for entity in store.iter_entities(outcome.version.id):
                    if entity.schema in SCHEMATA and is_main(prefix, entity.record_id, entity.data):
                        records.append(
                            to_record(prefix, entity.schema, entity.record_id, entity.data)
                        )
        store.close()
    return sorted(records, key=lambda r: r.source)


def is_main(prefix: str, record_id: str, data: dict[str, Any]) -> bool:
    """The record's own entity, not an owner built from its remarks."""
    own = {
        "UN": "un-" + record_id.lower().replace(".", "-"),
        "OFAC": f"ofac-{record_id}",
        "UK": f"uk-ofsi-{record_id}",
    }[prefix]
    return bool(data["id"] == own)


def to_record(prefix: str, schema: str, record_id: str, data: dict[str, Any]) -> Record:
    props = data["properties"]
    programs = " ".join(props.get("program", []))
    countries = set(props.get("nationality", [])) | set(props.get("citizenship", []))
    on_dprk = (
        record_id.startswith("KP") if prefix == "UN" else bool(re.search("DPRK|Korea", programs))
    )
    imo = next((re.sub(r"\D", "", v) for v in props.get("imoNumber", [])), "")
    return Record(
        source=f"{prefix} {record_id}",
        schema=schema,
        name=props.get("name", [""])[0],
        aliases=tuple(sorted(set(props.get("alias", [])))),
        imo=imo if schema == "Vessel" else "",
        years=frozenset(d[:4] for d in props.get("birthDate", [])),
        dprk=on_dprk or "kp" in countries,
        russia="RUSSIA" in programs,
        foreign=bool(countries & FOREIGN),
        russian="ru" in countries,
    )


def read_csv(name: str) -> list[dict[str, str]]:
    with (OUT / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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


# --- persons --------------------------------------------------------------------------------


def split_person(record: Record) -> tuple[str, list[str]] | None:
    """(family name, given-name syllables) of a UN or OFAC Korean person; None otherwise.

    UK names are left out: the 2018 OFSI list puts family names first or last inconsistently.
    """
    if record.schema != "Person" or record.foreign or record.source.startswith("UK"):
        return None
    if "," in record.name:
        surname, given = (part.strip() for part in record.name.split(",", 1))
    else:
        surname, _, given = record.name.partition(" ")
    syllables = [s for s in re.split(r"[\s-]+", given) if s]
    if surname.lower().replace("'", "") not in korean_surnames() or not syllables:
        return None
    return surname, syllables


def typed(surname: str, syllables: list[str]) -> str:
    """How a user would type a Korean name: family name first, syllables capitalised."""
    return " ".join([title(surname), *(cap_word(s) for s in syllables)])


def person_positives(records: list[Record], rng: random.Random) -> Iterator[Pair]:
    for record in records:
        parts = split_person(record) if record.dprk else None
        if parts is None:
            continue
        surname, given = parts
        src, name = record.source, record.name
        order = f"{' '.join(cap_word(s) for s in given)} {title(surname)}"
        yield Pair("Person", order, name, True, "order", f"{src}; generated: given name first")
        if len(given) > 1:
            rest = [s.lower() for s in given[1:]]
            for form in (cap_word(given[0]) + "".join(rest), "-".join([cap_word(given[0]), *rest])):
                yield Pair(
                    "Person",
                    f"{title(surname)} {form}",
                    name,
                    True,
                    "spacing",
                    f"{src}; generated: syllables joined or hyphenated",
                )
        for variant, rule in safe_person_variants(surname, given, rng):
            yield Pair("Person", variant, name, True, "romanisation", f"{src}; generated: {rule}")
        misspelt = typo(typed(surname, given), rng)
        if misspelt:
            yield Pair("Person", misspelt, name, True, "typo", f"{src}; generated: typo")


def korean_people(records: list[Record]) -> list[tuple[Record, str, list[str]]]:
    return [(r, *parts) for r in records if r.dprk and (parts := split_person(r))]


def person_negatives(records: list[Record], rng: random.Random, per_query: int) -> Iterator[Pair]:
    """Other listed Koreans with the same family name: the realistic false alarms."""
    people = korean_people(records)
    by_surname: dict[str, list[Record]] = defaultdict(list)
    for record, surname, _ in people:
        by_surname[token_key(surname)].append(record)
    for record, surname, given in people:
        others = [o for o in by_surname[token_key(surname)] if different_people(record, o)]
        for other in hardest(typed(surname, given), others, rng, per_query):
            yield Pair(
                "Person",
                typed(surname, given),
                other.name,
                False,
                "hard_negative_same_surname",
                f"{record.source} vs {other.source}",
            )


def hardest(query: str, others: list[Record], rng: random.Random, count: int) -> list[Record]:
    """The namesakes sharing most given-name syllables with the query (ties drawn at random)."""
    syllables = set(name_key(query).split()[1:])
    shuffled = rng.sample(others, len(others))
    return sorted(shuffled, key=lambda o: -len(syllables & set(name_key(o.name).split())))[:count]


def different_people(a: Record, b: Record) -> bool:
    """True when no name of one may spell a name of the other and no birth year is shared."""
    if a.source == b.source or a.years & b.years:
        return False
    return not any(same_name(x, y) for x in (a.name, *a.aliases) for y in (b.name, *b.aliases))


# --- list aliases ---------------------------------------------------------------------------


def classify_alias(schema: str, alias: str, name: str) -> str | None:
    """Why a listed alias is a spelling of the name (a category), or None for another name."""
    if alias.casefold() == name.casefold():
        return None
    if re.search(r"[\u3400-\u9fff]", alias):
        return "hanja"
    if alias.casefold() in CHINESE_READINGS:
        return "chinese_reading"
    if normal_form(alias).replace(" ", "") == normal_form(name).replace(" ", ""):
        return "spacing"  # spaces, hyphens, apostrophes or case only
    if sorted(normal_form(alias).split()) == sorted(normal_form(name).split()):
        return "order"
    if schema == "Person":
        if len(alias.replace(",", " ").split()) < 2:
            return None  # a given name alone
        if rotations(alias) & rotations(name):
            return "alias_romanisation"
        close = one_syllable_apart(name_key(alias).split(), name_key(name).split())
        return "alias_spelling" if close else None
    own, listed = distinctive(alias), distinctive(name)
    if not own or not listed:
        return None
    if [token_key(t) for t in own] == [token_key(t) for t in listed]:
        return "alias_legal_form"
    if "".join(own) == "".join(listed):
        return "spacing"
    if "".join(token_key(t) for t in own) == "".join(token_key(t) for t in listed):
        return "alias_romanisation"
    return "alias_spelling" if shares_words(own, listed) else None


def one_syllable_apart(left: list[str], right: list[str]) -> bool:
    """Every word of the shorter name matches, but for at most one pair two edits apart."""

    def close(a: str, b: str) -> bool:
        return a == b or (min(len(a), len(b)) >= 5 and edit_distance(a, b) <= 1)

    short, long = sorted((left, right), key=len)
    missing = [a for a in short if not any(close(a, b) for b in long)]
    spare = [b for b in long if not any(close(a, b) for a in short)]
    if len(short) < 2 or len(missing) > 1:
        return False
    return not missing or any(edit_distance(missing[0], b) <= 2 for b in spare)


def shares_words(left: list[str], right: list[str]) -> bool:
    """At least 60% of the shorter list of distinctive words found in the other."""

    def close(a: str, b: str) -> bool:
        return token_key(a) == token_key(b) or (
            min(len(a), len(b)) >= 5 and edit_distance(a, b) <= 1
        )

    hits = sum(any(close(a, b) for b in right) for a in left)
    return hits >= 1 and hits / min(len(left), len(right)) >= 0.6


def alias_pairs(records: list[Record], wanted: set[str]) -> Iterator[Pair]:
    for record in records:
        if not (record.dprk or record.source in wanted):
            continue
        for alias in record.aliases:
            category = classify_alias(record.schema, alias, record.name)
            if category:
                yield Pair(
                    record.schema,
                    alias,
                    record.name,
                    True,
                    category,
                    f"{record.source} (listed alias)",
                    "",
                    record.imo,
                )


# --- organisations and vessels --------------------------------------------------------------

ROMAN = {"II": "2", "III": "3", "IV": "4", "V": "5"}


def org_positives(records: list[Record], rng: random.Random, wanted: set[str]) -> Iterator[Pair]:
    for record in records:
        if record.schema in {"Person", "Vessel"} or not (record.dprk or record.source in wanted):
            continue
        words, src, name = record.name.split(), record.source, record.name
        for long, short in rules()["legal_swaps"]:
            for old, new in ((long, short), (short, long)):
                if old in words:
                    swapped = title(" ".join(new if w == old else w for w in words))
                    yield Pair(
                        record.schema,
                        swapped,
                        name,
                        True,
                        "legal_form",
                        f"{src}; generated: {old} -> {new}",
                    )
                    break
        if words[0] in {"KOREA", "KOREAN"} and distinctive(name):
            yield Pair(
                record.schema,
                title(" ".join(words[1:])),
                name,
                True,
                "legal_form",
                f"{src}; generated: country word dropped",
            )
        short_run = [w for w in words if w not in generic_words() and len(w) <= 4 and w.isalpha()]
        if len(short_run) >= 2:
            joined = name.replace(" ".join(short_run), "".join(short_run))
            yield Pair(record.schema, joined, name, True, "spacing", f"{src}; generated: joined")
        misspelt = typo(title(name), rng)
        if misspelt:
            yield Pair(record.schema, misspelt, name, True, "typo", f"{src}; generated: typo")


def vessel_positives(records: list[Record], rng: random.Random, wanted: set[str]) -> Iterator[Pair]:
    for record in records:
        if record.schema != "Vessel" or not (record.dprk or record.source in wanted):
            continue
        name, imo, src = record.name, record.imo, record.source
        words = name.split()
        number = words[-1] if len(words) > 1 and (words[-1].isdigit() or words[-1] in ROMAN) else ""
        stem = [w for w in words[:-1] if w not in {"NO.", "NO"}] if number else words
        if len(stem) > 1 and all(w.isalpha() for w in stem):
            for form in ("".join(stem), "-".join(stem)):
                yield Pair(
                    "Vessel",
                    f"{form} {number}".strip(),
                    name,
                    True,
                    "spacing",
                    f"{src}; generated: words joined",
                    "",
                    imo,
                )
        if number:
            digits = ROMAN.get(number, number)
            forms = [f" NO. {digits}", f" NO {digits}", f"-{digits}"]
            forms += [f" {digits}"] if number in ROMAN else []
            for form in forms:
                yield Pair(
                    "Vessel",
                    " ".join(stem) + form,
                    name,
                    True,
                    "number_format",
                    f"{src}; generated: number written {form.strip()!r}",
                    "",
                    imo,
                )
        prefix = rng.choice(["MV", "M/V", "M.V."])
        yield Pair(
            "Vessel",
            f"{prefix} {title(name)}",
            name,
            True,
            "prefix",
            f"{src}; generated: {prefix} prefix",
            "",
            imo,
        )
        misspelt = typo(title(" ".join(stem)), rng)
        if misspelt and len(" ".join(stem)) >= 6:
            yield Pair(
                "Vessel",
                f"{misspelt} {number}".strip(),
                name,
                True,
                "typo",
                f"{src}; generated: typo",
                "",
                imo,
            )


def vessel_number_negatives(records: list[Record]) -> Iterator[Pair]:
    """Sister ships: the same words with another number are another vessel."""
    vessels = [r for r in records if r.schema == "Vessel" and (r.dprk or r.russia)]
    names = {r.name for r in vessels}
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in vessels:
        groups[re.sub(r"[\s-]+(\d+|I{1,3}|IV|V)$", "", record.name)].append(record)
    for stem, group in sorted(groups.items()):
        if not re.search(r"[A-Z]", stem):
            continue
        for a in group:
            for b in group:
                if stem not in (a.name, b.name) and a.name != b.name and a.imo != b.imo:
                    yield Pair(
                        "Vessel",
                        title(a.name),
                        b.name,
                        False,
                        "hard_negative_number",
                        f"{a.source} vs {b.source}",
                        "",
                        b.imo,
                    )
        for record in group:
            match = re.match(r"(.*?[A-Z.])[\s-]+(\d+)$", record.name)
            made = f"{match.group(1)} {int(match.group(2)) + 1}" if match else f"{stem} 2"
            if made not in names:
                yield Pair(
                    "Vessel",
                    made,
                    record.name,
                    False,
                    "hard_negative_number",
                    f"{record.source}; generated: other number",
                    "",
                    record.imo,
                )


def org_word_negatives(records: list[Record], rng: random.Random, limit: int) -> Iterator[Pair]:
    """Different organisations whose names share only generic words (Korea ... Trading Corp)."""
    orgs = [r for r in records if r.schema not in {"Person", "Vessel"} and r.dprk]
    found = []
    for a in orgs:
        generic_a = set(a.name.split()) - set(distinctive(a.name))
        for b in orgs:
            generic_b = set(b.name.split()) - set(distinctive(b.name))
            shared = len(generic_a & generic_b)
            alike = shared / max(1, len(generic_a | generic_b)) >= 0.5
            short = len(a.name.split()) == len(b.name.split()) == 2  # KORYO BANK, KUMGANG BANK
            if a.source >= b.source or not alike or (shared < 2 and not (short and shared)):
                continue
            names_a = [distinctive(n) for n in (a.name, *a.aliases)]
            names_b = [distinctive(n) for n in (b.name, *b.aliases)]
            if not any(overlaps(x, y) for x in names_a for y in names_b):
                found.append((a, b))
    for a, b in rng.sample(found, min(limit, len(found))):
        yield Pair(
            b.schema,
            title(a.name),
            b.name,
            False,
            "hard_negative_org_words",
            f"{a.source} vs {b.source}",
        )


def overlaps(left: list[str], right: list[str]) -> bool:
    """Two lists of distinctive words share one (same key, or the same first five letters)."""
    if not left or not right:
        return True
    keys = {token_key(t) for t in left}
    return any(
        token_key(t) in keys or any(k[:5] == token_key(t)[:5] and len(k) >= 5 for k in keys)
        for t in right
    )


# --- hand-written forms and the case notes --------------------------------------------------

FAMILY = [
    "Kim Il Sung",
    "Kim Jong Il",
    "Kim Jong Un",
    "Kim Jong Nam",
    "Kim Jong Chol",
    "Kim Yo Jong",
    "Kim Ju Ae",
    "Kim Kyong Hui",
]


def hand_written_pairs(rows: list[dict[str, str]], by_source: dict[str, Record]) -> Iterator[Pair]:
    for row in rows:
        record = by_source.get(row["list_ref"]) if row["list_ref"] else None
        if row["list_ref"] and record is None:
            raise SystemExit(f"hand_written_forms.csv: no record {row['list_ref']}")
        listed = record is not None and row["latin"] in (record.name, *record.aliases)
        name2 = row["latin"] if listed or record is None else record.name
        source = f"{row['list_ref'] or 'not listed'}; hand-written {row['kind']}"
        native, imo = row["native"], record.imo if record else ""
        yield Pair(row["schema"], native, name2, True, row["kind"], source, "", imo)
        if row["kind"] == "hangul" and row["schema"] == "Person":
            check_hangul(row)
            if len(native) == 3 and record:
                spaced = f"{native[0]} {native[1:]}"
                yield Pair("Person", spaced, name2, True, "hangul", f"{source}; family name spaced")
            for variant, system in hangul_forms(native):
                if not trivially_equal(variant, name2):
                    yield Pair(
                        "Person",
                        variant,
                        name2,
                        True,
                        "romanisation",
                        f"{source}; generated from the Hangul: {system}",
                    )


def check_hangul(row: dict[str, str]) -> None:
    """Our DPRK romaniser must give back the name we know: a check on the hand-written Hangul."""
    romanised = romanise_person(row["native"], "kp")
    if romanised != row["latin"] and "conventional" not in row["note"]:
        raise SystemExit(f"{row['native']} romanises to {romanised!r}, not {row['latin']!r}")


def family_negatives(rows: list[dict[str, str]], by_source: dict[str, Record]) -> Iterator[Pair]:
    """Kim Jong Un against his father, grandfather, siblings, daughter and aunt, in all scripts."""
    forms: dict[str, list[str]] = defaultdict(list)
    listed: dict[str, str] = {}
    for row in rows:
        if row["latin"] in FAMILY:
            forms[row["latin"]].append(row["native"])
            if row["list_ref"]:
                listed[row["latin"]] = by_source[row["list_ref"]].name
    for a in FAMILY:
        hyphenated = a.rsplit(" ", 1)[0] + "-" + a.rsplit(" ", 1)[1].lower()
        for b in FAMILY:
            for query in (a, hyphenated, *forms[a]) if a != b else ():
                yield Pair(
                    "Person",
                    query,
                    listed.get(b, b),
                    False,
                    "hard_negative_family",
                    "case notes section 5; family members",
                )


def native_negatives(
    rows: list[dict[str, str]],
    records: list[Record],
    by_source: dict[str, Record],
    rng: random.Random,
) -> Iterator[Pair]:
    """A hand-written Hangul/Cyrillic/Hanja name against a listed namesake (other given name)."""
    people = korean_people(records)
    for row in rows:
        if row["schema"] != "Person" or row["latin"] in FAMILY or row["kind"] == "chinese_reading":
            continue
        surname = row["latin"].split()[0]
        if surname.lower() not in korean_surnames():
            continue
        own = by_source.get(row["list_ref"])
        others = [
            r
            for r, s, _ in people
            if token_key(s) == token_key(surname)
            and not any(same_name(row["latin"], n) for n in (r.name, *r.aliases))
            and (own is None or different_people(own, r))
        ]
        for other in hardest(row["latin"], others, rng, 2):
            yield Pair(
                "Person",
                row["native"],
                other.name,
                False,
                "hard_negative_same_surname",
                f"hand-written {row['kind']} vs {other.source}",
            )


def case_note_pairs(by_source: dict[str, Record]) -> Iterator[Pair]:
    for row in read_csv("case_note_pairs.csv"):
        record = by_source[row["list_ref"]]
        yield Pair(
            record.schema,
            row["name1"],
            record.name,
            row["is_match"] == "true",
            row["category"],
            f"{row['note']}; {row['list_ref']}",
            row["imo1"],
            record.imo,
        )


def russian_key(word: str) -> str:
    """A Russian first name without the usual transliteration differences (Sergei/Sergey)."""
    key = re.sub("i+", "i", strip_accents(word).lower().replace("x", "ks").replace("y", "i"))
    for old, new in (("iu", "u"), ("ia", "a"), ("ie", "e"), ("ei", "e")):
        key = key.replace(old, new)
    return key


def first_name(name: str) -> str:
    return russian_key(name.split(",", 1)[1].split()[0]) if "," in name else ""


def russian_people(
    records: list[Record],
    rows: list[dict[str, str]],
    by_source: dict[str, Record],
    rng: random.Random,
    limit: int,
) -> Iterator[Pair]:
    """Listed Russians: their spelling aliases, and relatives or namesakes (the negatives)."""
    people = [
        r for r in records if r.schema == "Person" and r.source[:4] == "OFAC" and "," in r.name
    ]
    clusters: dict[str, list[Record]] = defaultdict(list)
    for record in people:
        clusters[record.name.split(",")[0]].append(record)

    def namesakes(a: Record) -> list[Record]:
        return [
            b
            for b in clusters[a.name.split(",")[0]]
            if b is not a
            and not a.years & b.years
            and edit_distance(first_name(a.name), first_name(b.name)) > 2
        ]

    russians = [r for r in people if r.russia and r.russian and namesakes(r)]
    for a in rng.sample(russians, min(limit, len(russians))):
        b = rng.choice(namesakes(a))
        surname, given = (part.strip() for part in a.name.split(",", 1))
        yield Pair(
            "Person",
            f"{given} {title(surname)}",
            b.name,
            False,
            "hard_negative_same_surname",
            f"{a.source} vs {b.source}",
        )
    for row in rows:
        record = by_source.get(row["list_ref"])
        if row["kind"] == "cyrillic" and record and "," in record.name:
            for b in sorted(namesakes(record), key=lambda r: r.source)[:2]:
                yield Pair(
                    "Person",
                    row["native"],
                    b.name,
                    False,
                    "hard_negative_same_surname",
                    f"hand-written cyrillic vs {b.source}",
                )
    with_alias = [r for r in russians if r.aliases]
    for record in rng.sample(with_alias, min(limit // 2, len(with_alias))):
        for alias in record.aliases[:2]:
            category = classify_alias("Person", alias, record.name)
            if category:
                category = "alias_transliteration" if category == "alias_romanisation" else category
                yield Pair(
                    "Person", alias, record.name, True, category, f"{record.source} (listed alias)"
                )


# --- assembly -------------------------------------------------------------------------------


def build() -> list[Pair]:
    records = load_records()
    by_source = {r.source: r for r in records}
    rows = read_csv("hand_written_forms.csv")
    wanted = {r["list_ref"] for r in rows + read_csv("case_note_pairs.csv")}
    pools: list[Iterable[Pair]] = [
        alias_pairs(records, wanted),
        hand_written_pairs(rows, by_source),
        case_note_pairs(by_source),
        family_negatives(rows, by_source),
        native_negatives(rows, records, by_source, random.Random(SEED + 1)),
        person_positives(records, random.Random(SEED + 2)),
        person_negatives(records, random.Random(SEED + 3), per_query=4),
        org_positives(records, random.Random(SEED + 4), wanted),
        vessel_positives(records, random.Random(SEED + 5), wanted),
        vessel_number_negatives(records),
        org_word_negatives(records, random.Random(SEED + 6), limit=160),
        russian_people(records, rows, by_source, random.Random(SEED + 7), limit=50),
    ]
    pairs: dict[tuple[str, ...], Pair] = {}
    for pool in pools:
        for pair in pool:
            # One pair per spelling: UN, OFAC and UK often repeat an alias with other punctuation.
            key = (
                pair.schema,
                normal_form(pair.name1),
                normal_form(pair.name2),
                pair.imo1,
                pair.imo2,
            )
            if not trivially_equal(pair.name1, pair.name2) or pair.imo1 != pair.imo2:
                pairs.setdefault(key, pair)
    chosen = cap(list(pairs.values()), random.Random(SEED))
    labels: dict[tuple[str, ...], set[bool]] = defaultdict(set)
    for pair in chosen:
        labels[(pair.name1.casefold(), pair.name2.casefold(), pair.imo1, pair.imo2)].add(
            pair.is_match
        )
    conflicts = [key for key, seen in labels.items() if len(seen) > 1]
    if conflicts:
        raise SystemExit(f"contradictory labels: {conflicts[:5]}")
    return sorted(chosen, key=lambda p: (not p.is_match, p.category, p.schema, p.name2, p.name1))


def cap(pairs: list[Pair], rng: random.Random) -> list[Pair]:
    """Keep every listed and hand-made pair; sample the big generated categories down."""
    by_category: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_category[pair.category].append(pair)
    kept = []
    for category in sorted(by_category):
        group = sorted(by_category[category], key=lambda p: p.row())
        limit = CAPS.get(category, len(group))
        if category == "hard_negative_number":
            made = [p for p in group if "generated" in p.source]
            real = [p for p in group if "generated" not in p.source]
            group = real + rng.sample(made, max(0, min(len(made), limit - len(real))))
        elif len(group) > limit:
            group = rng.sample(group, limit)
        kept.extend(group)
    return kept


def main() -> None:
    pairs = build()
    path = OUT / "dprk_pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["schema", "name1", "name2", "is_match", "category", "source", "imo1", "imo2"]
        )
        writer.writerows(p.row() for p in pairs)
    positives = sum(p.is_match for p in pairs)
    negatives = len(pairs) - positives
    print(f"wrote {path.relative_to(ROOT)}: {len(pairs)} pairs, {positives} +, {negatives} -")
    for (category, label), count in sorted(
        Counter((p.category, p.is_match) for p in pairs).items()
    ):
        print(f"  {category:32} {'+' if label else '-'} {count}")
    print("  by schema:", dict(sorted(Counter(p.schema for p in pairs).items())))


if __name__ == "__main__":
    main()
