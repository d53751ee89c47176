"""The shortlist of parties a query is compared with must not depend on the process: sets of
strings iterate in an order set by each process's hash seed (PYTHONHASHSEED)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from sanctionwatch.screening.index import ScreeningIndex
# 12 keys, each shared by 10 parties of its own: every party weighs the same, so the order
# in which the keys are visited decided the shortlist. Parties 7 and 23 also share a rare key.
keys = [f"key{n}" for n in range(12)]
postings = {key: list(range(10 * n, 10 * n + 10)) for n, key in enumerate(keys)}
postings["rare"] = [23, 7]
index = ScreeningIndex(parties=[None] * 120, postings=postings, imo={}, signature=())
print(index.candidates(keys + ["rare"], None, limit=6))
print(index.candidates(keys, None, limit=5))
"""


def test_the_shortlist_is_the_same_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    first, second = outputs.pop().splitlines()
    assert first == "[7, 23, 0, 1, 2, 3]"
    assert second == "[0, 1, 2, 3, 4]"


KEYS_SCRIPT = """
from sanctionwatch.screening.index import query_keys
from sanctionwatch.screening.names import analyse_name
print(sorted(query_keys(analyse_name("Jin Zhengen", "Person"))))
"""


def test_the_keys_of_a_mandarin_reading_are_the_same_whatever_the_hash_seed() -> None:
    """Finding (portfolio on Spark, whose workers have their own hash seeds): the first
    MAX_PINYIN_KEYS Korean key sequences of a pinyin name were taken from a product of sets,
    so which ones depended on the seed, and "Jin Zhengen" met KIM Jong Un in some processes
    only."""
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", KEYS_SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
