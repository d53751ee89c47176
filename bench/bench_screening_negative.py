"""Negative screening benchmark: how often realistic names that are on no list raise an alert.

    .venv/bin/python bench/bench_screening_negative.py [--per-locale 600,200] [--json out.json]

A compliance team screens mostly people and firms who are not sanctioned; every alert on them
is work for an analyst. This generates such names with Faker (MIT) in many locales, from fixed
seeds of our own (the same names on every run with the same Faker version): persons half in the
locale's usual order and half the other way round, companies from ``fake.company()``. A name
that is spelled like a listed name (exactly, once normalised, or once transliterated to ASCII)
is removed, so every query left is a true negative. The rest are screened in one run against
the bundled UN 2026 and OFAC SDN 2024 lists (with OFAC's aliases), by:

- sanctionwatch at its default threshold (its own candidate retrieval and scoring);
- a yente-like pipeline: rapidfuzz token_set_ratio over every listed name (ASCII-transliterated)
  retrieves the best schema-compatible parties, as many as our engine scores, and nomenklatura's
  logic-v2 scores each (yente's default algorithm and threshold, 0.7).

An alert is a query with any match at or above the threshold. Prints Markdown for
bench/RESULTS.md: alerts per locale and schema, totals and rates, examples.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from uuid import uuid4

from bench_screening import machine, versions
from bench_screening_speed import BATCHES, LISTS
from screening_metrics import markdown_table

from sanctionwatch.errors import InputError
from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import CANDIDATES, DEFAULT_THRESHOLD, Screener
from sanctionwatch.screening.index import IndexedParty, ScreeningIndex, build_index
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.names import terms

LIST_BATCHES = BATCHES[:2]  # UN 2026-02-27; OFAC SDN 2024-05-03 with its aliases
# Faker locale -> label. ar_AA is Faker's generic Arabic; fa_IR added for Iran's programmes.
LOCALES = {
    "zh_CN": "Chinese (simplified)",
    "zh_TW": "Chinese (traditional)",
    "ja_JP": "Japanese",
    "ko_KR": "Korean",
    "vi_VN": "Vietnamese",
    "id_ID": "Indonesian",
    "ru_RU": "Russian",
    "uk_UA": "Ukrainian",
    "ar_AA": "Arabic",
    "fa_IR": "Persian",
    "tr_TR": "Turkish",
    "en_US": "English (US)",
    "en_GB": "English (UK)",
    "fr_FR": "French",
    "de_DE": "German",
    "es_ES": "Spanish",
}
FAMILY_FIRST = frozenset({"zh_CN", "zh_TW", "ja_JP", "ko_KR", "vi_VN"})
# Faker's vi_VN writes the given name first; its usual order is built from parts instead.
FAKER_ORDER_WRONG = frozenset({"vi_VN"})
SEED = "sanctionwatch-negative-1"  # with the locale, the seed of each Faker instance
RETRIEVED_NAMES = 200  # names rapidfuzz hands on per query, before grouping by party
CHUNK = 256  # queries per rapidfuzz cdist call
EXAMPLES = 5
_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Name:
    locale: str
    schema: str  # Person or Company
    order: str  # "usual", "other" (persons), "" (companies)
    name: str


@dataclass(frozen=True)
class Alert:
    caption: str
    schema: str
    score: float
    detail: str  # ours: rule/method and the listed name it met; logic-v2: empty


def _person(fake: object, locale: str, usual: bool) -> str:
    from faker import Faker

    assert isinstance(fake, Faker)
    if usual and locale not in FAKER_ORDER_WRONG:
        return str(fake.name())
    male = fake.random.random() < 0.5
    given = fake.first_name_male() if male else fake.first_name_female()
    family = fake.last_name_male() if male else fake.last_name_female()
    if usual:  # vi_VN: family, middle, given
        return f"{family} {fake.middle_name()} {given}"
    return f"{given} {family}" if locale in FAMILY_FIRST else f"{family} {given}"


def generate(locale: str, persons: int, companies: int) -> list[Name]:
    """Distinct person and company names of one locale, from its own fixed seed."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(zlib.crc32(f"{SEED}-{locale}".encode()))
    names: list[Name] = []
    wanted: list[tuple[str, str, Callable[[], str]]] = [
        ("Person", "usual", lambda: _person(fake, locale, True)),
        ("Person", "other", lambda: _person(fake, locale, False)),
        ("Company", "", lambda: str(fake.company())),
    ]
    counts = [persons - persons // 2, persons // 2, companies]
    for (schema, order, make), count in zip(wanted, counts, strict=True):
        seen: set[str] = set()
        for _ in range(count * 20):
            if len(seen) == count:
                break
            name = " ".join(make().split())
            if name not in seen:
                seen.add(name)
                names.append(Name(locale, schema, order, name))
    return names


def exact_key(name: str) -> str:
    """Case, accents, punctuation and word order ignored."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    words = _WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))
    return " ".join(sorted(words))


def ascii_keys(name: str) -> set[str]:
    """The ASCII transliteration, word order ignored, and run together in its own order."""
    from rigour.text import ascii_text

    words = _ASCII_WORD.findall(ascii_text(name).lower())
    return {" ".join(sorted(words)), "".join(words)} if words else set()


def firm_key(name: str) -> str:
    """The ASCII transliteration without its legal forms ("JSC AvtoVAZ" is "avtovaz")."""
    from rigour.names import replace_org_types_compare
    from rigour.text import ascii_text

    forms = terms().legal_forms
    words = _ASCII_WORD.findall(replace_org_types_compare(ascii_text(name).lower()))
    return " ".join(sorted(w for w in words if w not in forms))


REMOVED = {
    "exact": "spelled exactly like a listed name (case, accents, punctuation, word order ignored)",
    "transliterated": "the same once both are transliterated to ASCII",
    "legal form": "companies named like a listed organisation but for the legal form",
}


def remove_listed(
    names: list[Name], index: ScreeningIndex
) -> tuple[list[Name], dict[str, list[Name]]]:
    """The names spelled like no listed name, and those removed by reason (see REMOVED).

    Faker's company names include real firms (ru_RU: Uralvagonzavod, AvtoVAZ), hence the
    third rule: an alert on them is right."""
    listed = [(party.schema, form.original) for party in index.parties for _, form in party.names]
    exact = {exact_key(n) for _, n in listed}
    transliterated = set().union(*(ascii_keys(n) for _, n in listed))
    firms = {firm_key(n) for schema, n in listed if schema != "Person"} - {""}
    kept: list[Name] = []
    removed: dict[str, list[Name]] = {reason: [] for reason in REMOVED}
    for item in names:
        if exact_key(item.name) in exact:
            removed["exact"].append(item)
        elif ascii_keys(item.name) & transliterated:
            removed["transliterated"].append(item)
        elif item.schema == "Company" and firm_key(item.name) in firms:
            removed["legal form"].append(item)
        else:
            kept.append(item)
    return kept, removed


def ftm_schema(name: str) -> Any:
    """The FollowTheMoney schema called ``name`` (all the lists' and queries' schemata exist)."""
    from followthemoney import model

    found = model.get(name)
    assert found is not None, name
    return found


def load_index() -> ScreeningIndex:
    with TemporaryDirectory() as tmp, ListStore(Path(tmp) / "lists.sqlite") as store:
        load_batches(store, [[LISTS / p for p in batch] for batch in LIST_BATCHES])
        return build_index(store)


def screen_ours(index: ScreeningIndex, names: Sequence[Name]) -> list[Alert | None]:
    screener = Screener(index)
    found: list[Alert | None] = []
    for item in names:
        try:
            matches = screener.screen(Query(item.name, schema=item.schema), DEFAULT_THRESHOLD)
        except InputError as exc:
            print(f"ours refused {item.name!r}: {exc}", file=sys.stderr)
            matches = []
        if not matches:
            found.append(None)
            continue
        best = matches[0]
        how = best.explanation.name
        detail = f"{how.method} via {how.matched_property} {how.matched_name!r}"
        found.append(Alert(best.party.caption, best.party.schema, best.score, detail))
    return found


def retrieve(index: ScreeningIndex, names: Sequence[Name]) -> list[list[int]]:
    """For each query, the best schema-compatible parties by rapidfuzz token_set_ratio over
    every listed name (both sides ASCII-transliterated, lower case), at most CANDIDATES."""
    import numpy as np
    from rapidfuzz import fuzz, process
    from rigour.text import ascii_text

    owner = [i for i, party in enumerate(index.parties) for _ in party.names]
    choices = [ascii_text(form.original).lower() for p in index.parties for _, form in p.names]
    owner_array = np.array(owner)
    allowed = {
        schema: np.array(
            [ftm_schema(schema).can_match(ftm_schema(index.parties[i].schema)) for i in owner]
        )
        for schema in {item.schema for item in names}
    }
    found: list[list[int]] = []
    for start in range(0, len(names), CHUNK):
        chunk = names[start : start + CHUNK]
        queries = [ascii_text(item.name).lower() for item in chunk]
        scores = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, workers=2)
        for item, row in zip(chunk, scores, strict=True):
            row = np.where(allowed[item.schema], row, -1.0)
            top = np.argpartition(-row, RETRIEVED_NAMES)[:RETRIEVED_NAMES]
            top = top[np.argsort(-row[top], kind="stable")]
            parties: list[int] = []
            for position in top:
                party = int(owner_array[position])
                if row[position] > 0 and party not in parties:
                    parties.append(party)
                if len(parties) == CANDIDATES:
                    break
            found.append(parties)
    return found


def screen_logic_v2(
    index: ScreeningIndex, names: Sequence[Name], candidates: list[list[int]]
) -> list[Alert | None]:
    """logic-v2 with its default config, as yente runs it: each listed name under its own
    property (logic-v2, like yente, does not match on weak aliases)."""
    from followthemoney import ValueEntity
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = algorithm.default_config()

    def entity(schema: str, names: list[tuple[str, str]]) -> ValueEntity:
        proxy = ValueEntity(ftm_schema(schema), {"id": uuid4().hex})  # logic-v2 caches by id
        for prop, value in names:
            proxy.add(prop, value)
        return proxy

    parties: dict[int, ValueEntity] = {}

    def party_entity(position: int) -> ValueEntity:
        if position not in parties:
            party: IndexedParty = index.parties[position]
            parties[position] = entity(party.schema, [(p, f.original) for p, f in party.names])
        return parties[position]

    found: list[Alert | None] = []
    for item, positions in zip(names, candidates, strict=True):
        query = entity(item.schema, [("name", item.name)])
        best: Alert | None = None
        for position in positions:
            score = float(algorithm.compare(query, party_entity(position), config).score)
            if score >= DEFAULT_THRESHOLD and (best is None or score > best.score):
                party = index.parties[position]
                best = Alert(party.caption, party.schema, score, "")
        found.append(best)
    return found


def share(alerts: int, total: int) -> str:
    return f"{alerts} / {total} ({100 * alerts / max(1, total):.1f} %)"


def tables(names: Sequence[Name], results: dict[str, list[Alert | None]]) -> str:
    systems = list(results)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, item in enumerate(names):
        groups[(item.locale, item.schema)].append(i)
        groups[(item.locale, "all")].append(i)
        groups[("all", item.schema)].append(i)
        groups[("all", "all")].append(i)
        if item.order:
            groups[("all", f"Person, {item.order} order")].append(i)

    def cell(key: tuple[str, str], system: str) -> str:
        indexes = groups.get(key, [])
        return share(sum(results[system][i] is not None for i in indexes), len(indexes))

    rows = []
    for locale in [*LOCALES, "all"]:
        row: list[object] = [f"{LOCALES.get(locale, 'all locales')} ({locale})"]
        for schema in ("Person", "Company", "all"):
            row += [cell((locale, schema), s) for s in systems]
        rows.append(row)
    headers = ["locale"] + [
        f"{schema}: {s}" for schema in ("persons", "companies", "all") for s in systems
    ]
    text = markdown_table(headers, rows)
    orders = [
        [key[1], *(cell(key, s) for s in systems)]
        for key in sorted(groups)
        if key[0] == "all" and "order" in key[1]
    ]
    text += "\n\nPersons by name order (all locales):\n\n"
    text += markdown_table(["names", *systems], orders)
    for system in systems:
        text += f"\n\nExamples, {system} (up to {EXAMPLES} a locale: query -> listed party):\n"
        for locale in LOCALES:
            shown = [
                f"`{names[i].name}` ({names[i].schema[0]}) -> {alert.caption} "
                f"[{alert.schema}] {alert.score:.2f}"
                + (f", {alert.detail}" if alert.detail else "")
                for i in groups.get((locale, "all"), [])
                if (alert := results[system][i]) is not None
            ][:EXAMPLES]
            if shown:
                text += f"- {locale}: " + "; ".join(shown) + "\n"
    return text


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--per-locale", default="600,200", help="persons,companies per locale (default 600,200)"
    )
    parser.add_argument("--locales", help="comma-separated Faker locales (default: all listed)")
    parser.add_argument("--json", type=Path, help="also write every query and alert here")
    parser.add_argument(
        "--skip-baseline",
        action="store_true",
        help="screen with sanctionwatch only (logic-v2 takes most of the run's time)",
    )
    args = parser.parse_args(argv)
    persons, companies = (int(n) for n in args.per_locale.split(","))
    if args.locales:
        wanted = [code.strip() for code in args.locales.split(",")]
        for code in wanted:
            LOCALES.setdefault(code, code)
        for code in list(LOCALES):
            if code not in wanted:
                del LOCALES[code]

    started = time.perf_counter()
    index = load_index()
    generated = [n for locale in LOCALES for n in generate(locale, persons, companies)]
    names, removed = remove_listed(generated, index)
    print(f"{len(names)} unlisted names; screening ...", file=sys.stderr)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    results = {"sanctionwatch": screen_ours(index, names)}
    timings["sanctionwatch"] = time.perf_counter() - clock
    if not args.skip_baseline:
        clock = time.perf_counter()
        candidates = retrieve(index, names)
        results["logic-v2"] = screen_logic_v2(index, names, candidates)
        timings["logic-v2"] = time.perf_counter() - clock

    command = " ".join([".venv/bin/python", "bench/bench_screening_negative.py", *sys.argv[1:]])
    print(
        "## Screening: unlisted names (negative benchmark, `bench/bench_screening_negative.py`)\n"
    )
    print(f"- Machine: {machine()}.")
    print(
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Libraries: {versions()}, "
        f"faker {metadata.version('faker')}."
    )
    print(f"- Command: `{command}`")
    print(
        f"- Lists: {', '.join('+'.join(b) for b in LIST_BATCHES)} ({len(index.parties):,} "
        f"parties, {sum(len(p.names) for p in index.parties):,} names)."
    )
    print(
        f"- Names: {persons} persons (half in the locale's usual order, half the other way) and "
        f"{companies} companies a locale, distinct, from Faker with seed {SEED!r} + locale; "
        f"{len(generated):,} generated, removed as listed: "
        + "; ".join(f"{len(removed[r])} {text}" for r, text in REMOVED.items())
        + f"; **{len(names):,} screened**."
    )
    for reason, items in removed.items():
        if items:
            shown = ", ".join(f"`{n.name}` ({n.locale})" for n in items[:10])
            print(f"  Removed ({reason}): {shown}.")
    print(
        f"- Systems, threshold {DEFAULT_THRESHOLD} for both: sanctionwatch (its index and "
        "scorer, query schema given); logic-v2 behind rapidfuzz retrieval (token_set_ratio over "
        f"every listed name, ASCII, the best {CANDIDATES} schema-compatible parties scored, as "
        f"many as ours scores at most; weak aliases given to logic-v2 as weakAlias). Wall time: "
        + ", ".join(f"{s} {t:.0f} s" for s, t in timings.items())
        + f"; whole run {time.perf_counter() - started:.0f} s."
    )
    print("- Alert: a query with any match at or above the threshold. Cells: alerts / queries.\n")
    print(tables(names, results))
    if args.json:
        rows = [
            {
                **asdict(item),
                **{s: asdict(a) if (a := results[s][i]) else None for s in results},
            }
            for i, item in enumerate(names)
        ]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
