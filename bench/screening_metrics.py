"""Labelled name pairs and the metrics bench_screening.py reports on them.

Precision, recall and F1 at a threshold (a pair is predicted a match when its score is at or above
the threshold), the threshold with the best F1 over a 0.01 grid, and the best recall reachable at
a given precision. Pure Python, no numpy.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

GRID = [i / 100 for i in range(101)]
SCRIPTS = [  # checked in this order: the first non-Latin script found in either name names the pair
    ("Hangul", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")),
    ("CJK", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("Cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("other", re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u00a0-\u00ff]")),
]


@dataclass(frozen=True)
class Case:
    """One labelled pair: name1 is the query, name2 the name as a list gives it."""

    schema: str
    name1: str
    name2: str
    is_match: bool
    category: str
    imo1: str | None = None
    imo2: str | None = None

    @property
    def script(self) -> str:
        text = self.name1 + self.name2
        return next((name for name, pattern in SCRIPTS if pattern.search(text)), "Latin")


def load_cases(path: Path) -> list[Case]:
    """Read a pair CSV: nomenklatura's name_bench cases.csv or our dprk_pairs.csv."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Case(
                schema=row["schema"],
                name1=row["name1"],
                name2=row["name2"],
                is_match=row["is_match"].strip().lower() == "true",
                category=row.get("category") or row.get("case_group") or "",
                imo1=row.get("imo1") or None,
                imo2=row.get("imo2") or None,
            )
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r and self.tp else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def counts(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Counts:
    tp = fp = fn = tn = 0
    for score, label in zip(scores, labels, strict=True):
        predicted = score >= threshold - 1e-9
        if predicted and label:
            tp += 1
        elif predicted:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return Counts(tp, fp, fn, tn)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, Counts]:
    """The grid threshold with the best F1 (the highest such threshold on ties)."""
    best = max(GRID, key=lambda t: (counts(scores, labels, t).f1, t))
    return best, counts(scores, labels, best)


def recall_at_precision(
    scores: Sequence[float], labels: Sequence[bool], target: float = 0.95
) -> tuple[float, float | None]:
    """Best recall at any threshold whose precision is at least ``target``, and that threshold."""
    best_recall, best_at = 0.0, None
    for threshold in sorted(set(scores), reverse=True):
        result = counts(scores, labels, threshold)
        if result.precision >= target and result.recall > best_recall:
            best_recall, best_at = result.recall, threshold
    return best_recall, best_at


def slices(cases: Sequence[Case], key: Callable[[Case], str]) -> dict[str, list[int]]:
    """Case indexes grouped by ``key``, groups in sorted order."""
    groups: dict[str, list[int]] = {}
    for index, case in enumerate(cases):
        groups.setdefault(key(case), []).append(index)
    return dict(sorted(groups.items()))


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub Markdown table; the first column left-aligned, the rest right-aligned."""
    aligns = [":---"] + ["---:"] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
