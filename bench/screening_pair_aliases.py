"""Alias pairs of the DPRK/Russia pair generator (bench/screening_pairs.py): a listed name
against each alias the list itself gives, classified by how they differ. Our own rules;
nothing from sanctionwatch.screening."""

from __future__ import annotations

import re
from collections.abc import Iterator

from screening_pair_model import Pair, Record
from screening_pair_rules import (
    distinctive,
    edit_distance,
    name_key,
    normal_form,
    rotations,
    token_key,
)

CHINESE_READINGS = {"jiang wen-ji", "jian wenji", "li cheng he", "jin tiesan"}  # list aliases


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
