"""Organisation and vessel pairs of the DPRK/Russia pair generator (bench/screening_pairs.py):
legal-form, prefix and number variants, renamed ships, sister ships and firms sharing only
generic words. Our own rules; nothing from sanctionwatch.screening."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterator

from screening_pair_model import Pair, Record
from screening_pair_rules import distinctive, generic_words, rules, title, token_key, typo

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
