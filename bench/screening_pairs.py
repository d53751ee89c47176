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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
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


from screening_pair_aliases import alias_pairs, classify_alias  # noqa: E402 - siblings by path
from screening_pair_model import Pair, Record  # noqa: E402
from screening_pair_orgs import (  # noqa: E402
    org_positives,
    org_word_negatives,
    vessel_number_negatives,
    vessel_positives,
)
from screening_pair_rules import (  # noqa: E402
    cap_word,
    edit_distance,
    hangul_forms,
    korean_surnames,
    name_key,
    normal_form,
    romanise_person,
    safe_person_variants,
    same_name,
    strip_accents,
    title,
    token_key,
    trivially_equal,
    typo,
)

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
