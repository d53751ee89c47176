"""Name-screening benchmark: our scorer against nomenklatura's and a rapidfuzz baseline.

    .venv/bin/python bench/bench_screening.py [--only ours] [--only logic-v2,rapidfuzz]

Runs every scorer, in one process and one run, over two labelled pair sets:
- tests/data/screening/nomenklatura_name_bench_cases.csv: nomenklatura's name_bench cases (MIT),
  a development set;
- tests/data/screening/dprk_pairs.csv: our DPRK/Russia set (built by bench/screening_pairs.py).

Each scorer is measured at its default threshold and at its best-F1 threshold (0.01 grid), over
all pairs, per script and per schema; plus recall at precision >= 0.95 and the mean time per pair.
Baselines see names only; ours also gets the IMO numbers of the vessel pairs that carry them.
Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from uuid import uuid4

from screening_metrics import (
    Case,
    best_threshold,
    counts,
    load_cases,
    markdown_table,
    recall_at_precision,
    slices,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "screening"
SETS = {
    "nomenklatura name_bench": DATA / "nomenklatura_name_bench_cases.csv",
    "DPRK/Russia": DATA / "dprk_pairs.csv",
}
WARM_UP = 3  # pairs scored before timing: first calls load reference data


@dataclass
class Scorer:
    name: str
    threshold: float  # default decision threshold
    why: str  # where the default comes from
    prepare: Callable[[Case], object]  # untimed: build what the scorer consumes
    score: Callable[[object], float]  # timed


def nomenklatura_scorer(name: str, threshold: float, why: str) -> Scorer:
    """A nomenklatura algorithm on two single-name FtM entities, as its contrib/name_bench does."""
    from followthemoney import ValueEntity, model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(name)
    assert algorithm is not None, name
    config = algorithm.default_config()

    def entity(schema: str, value: str) -> ValueEntity:
        # A fresh id per entity: logic-v2 caches name analysis by entity id.
        proxy = ValueEntity(model.get(schema), {"id": uuid4().hex})
        proxy.add("name", value)
        return proxy

    def prepare(case: Case) -> object:
        return entity(case.schema, case.name1), entity(case.schema, case.name2)

    def score(pair: object) -> float:
        query, candidate = pair  # type: ignore[misc]
        return min(1.0, max(0.0, float(algorithm.compare(query, candidate, config).score)))

    return Scorer(name, threshold, why, prepare, score)


def rapidfuzz_scorer() -> Scorer:
    from rapidfuzz import fuzz

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    def score(pair: object) -> float:
        left, right = pair  # type: ignore[misc]
        return float(fuzz.token_set_ratio(fold(left), fold(right))) / 100.0

    return Scorer(
        "rapidfuzz", 0.85, "our choice (no library default)", lambda c: (c.name1, c.name2), score
    )


def our_scorer() -> Scorer | str:
    """Ours, or the reason it cannot run yet."""
    try:
        from sanctionwatch.screening.score import compare_names
    except ImportError as exc:
        return f"skipped: sanctionwatch.screening.score.compare_names is not importable ({exc})"

    def score(case: object) -> float:
        c: Case = case  # type: ignore[assignment]
        imo1, imo2 = (c.imo1, c.imo2) if c.schema == "Vessel" else (None, None)
        return float(compare_names(c.schema, c.name1, c.name2, query_imo=imo1, candidate_imo=imo2))

    return Scorer("ours", 0.7, "sanctionwatch default", lambda c: c, score)


def build_scorers(only: set[str] | None) -> tuple[list[Scorer], list[str]]:
    factories: dict[str, Callable[[], Scorer | str]] = {
        "ours": our_scorer,
        "logic-v1": lambda: nomenklatura_scorer("logic-v1", 0.7, "yente SCORE_THRESHOLD"),
        "logic-v2": lambda: nomenklatura_scorer("logic-v2", 0.7, "yente SCORE_THRESHOLD"),
        "ofac": lambda: nomenklatura_scorer(
            "ofac", 0.8, "our choice: OFAC's tool defaults to 100 (exact) and recommends none"
        ),
        "rapidfuzz": rapidfuzz_scorer,
    }
    unknown = (only or set()) - set(factories)
    if unknown:
        raise SystemExit(
            f"unknown scorer(s): {', '.join(sorted(unknown))}; choose from {', '.join(factories)}"
        )
    scorers, notes = [], []
    for name, factory in factories.items():
        if only and name not in only:
            continue
        made = factory()
        if isinstance(made, str):
            print(f"{name}: {made}", file=sys.stderr)
            notes.append(f"{name}: {made}")
        else:
            scorers.append(made)
    return scorers, notes


def run(scorer: Scorer, cases: Sequence[Case]) -> tuple[list[float], float]:
    """Scores for every case and the mean seconds per pair (preparation not timed)."""
    prepared = [scorer.prepare(c) for c in cases]
    for item in prepared[:WARM_UP]:
        scorer.score(item)
    start = time.perf_counter()
    scores = [scorer.score(item) for item in prepared]
    return scores, (time.perf_counter() - start) / max(1, len(cases))


def f3(value: float) -> str:
    return f"{value:.3f}"


def overall_table(
    cases: Sequence[Case], results: dict[str, tuple[list[float], float]], scorers: Sequence[Scorer]
) -> tuple[str, dict[str, float]]:
    labels = [c.is_match for c in cases]
    rows, best = [], {}
    for scorer in scorers:
        scores, seconds = results[scorer.name]
        at_default = counts(scores, labels, scorer.threshold)
        best[scorer.name], at_best = best_threshold(scores, labels)
        recall, at = recall_at_precision(scores, labels)
        rows.append(
            [
                scorer.name,
                f"{scorer.threshold:.2f}",
                f3(at_default.precision),
                f3(at_default.recall),
                f"**{f3(at_default.f1)}**",
                f"{best[scorer.name]:.2f}",
                f3(at_best.precision),
                f3(at_best.recall),
                f"**{f3(at_best.f1)}**",
                f"{f3(recall)} (t={at:.2f})" if at is not None else "0.000",
                f"{seconds * 1e6:,.0f}",
            ]
        )
    headers = [
        "scorer",
        "default t",
        "P",
        "R",
        "F1",
        "best t",
        "P",
        "R",
        "F1",
        "R at P>=0.95",
        "µs/pair",
    ]
    return markdown_table(headers, rows), best


def slice_table(
    title: str,
    cases: Sequence[Case],
    key: Callable[[Case], str],
    results: dict[str, tuple[list[float], float]],
    scorers: Sequence[Scorer],
    best: dict[str, float],
) -> str:
    """F1 per slice at each scorer's default threshold / at its overall best threshold."""
    rows = []
    for group, indexes in slices(cases, key).items():
        labels = [cases[i].is_match for i in indexes]
        row: list[object] = [group, f"{sum(labels)} / {len(labels) - sum(labels)}"]
        for scorer in scorers:
            scores = [results[scorer.name][0][i] for i in indexes]
            if not any(labels):  # F1 is undefined without a true match
                row.append("n/a")
                continue
            default = counts(scores, labels, scorer.threshold).f1
            tuned = counts(scores, labels, best[scorer.name]).f1
            row.append(f"{f3(default)} / {f3(tuned)}")
        rows.append(row)
    return markdown_table([title, "pairs + / −", *(s.name for s in scorers)], rows)


def category_table(
    cases: Sequence[Case], results: dict[str, tuple[list[float], float]], scorers: Sequence[Scorer]
) -> str:
    """Share of each category's pairs judged right at the default threshold."""
    rows = []
    for group, indexes in slices(
        cases, lambda c: f"{c.category} ({'+' if c.is_match else '−'})"
    ).items():
        labels = [cases[i].is_match for i in indexes]
        row: list[object] = [group, len(indexes)]
        for scorer in scorers:
            scores = [results[scorer.name][0][i] for i in indexes]
            row.append(f3(counts(scores, labels, scorer.threshold).accuracy))
        rows.append(row)
    return markdown_table(["category (label)", "pairs", *(s.name for s in scorers)], rows)


def machine() -> str:
    cpu, memory = platform.processor(), 0.0
    with open("/proc/cpuinfo") as lines:
        cpu = next(
            (ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), cpu
        )
    with open("/proc/meminfo") as lines:
        memory = next(
            (int(ln.split()[1]) / 2**20 for ln in lines if ln.startswith("MemTotal")), 0.0
        )
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"{memory:.0f} GiB, Python {platform.python_version()}"
    )


def versions() -> str:
    names = ["nomenklatura", "rigour", "followthemoney", "rapidfuzz"]
    return ", ".join(f"{n} {metadata.version(n)}" for n in names)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--only", help="comma-separated scorers: ours,logic-v1,logic-v2,ofac,rapidfuzz"
    )
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",")} if args.only else None
    scorers, notes = build_scorers(only)
    if not scorers:
        raise SystemExit("no scorer to run")
    datasets = {name: load_cases(path) for name, path in SETS.items()}
    results: dict[str, dict[str, tuple[list[float], float]]] = {}
    for set_name, cases in datasets.items():
        results[set_name] = {}
        for scorer in scorers:
            print(
                f"scoring {set_name} ({len(cases)} pairs) with {scorer.name} ...", file=sys.stderr
            )
            results[set_name][scorer.name] = run(scorer, cases)

    command = " ".join([".venv/bin/python", "bench/bench_screening.py", *sys.argv[1:]])
    vessels = [c for c in datasets["DPRK/Russia"] if c.schema == "Vessel"]
    listed_imo = sum(1 for c in vessels if c.imo2)
    both_imo = sum(1 for c in vessels if c.imo1 and c.imo2)
    print("## Name screening (`bench/bench_screening.py`)\n")
    print(f"- Machine: {machine()}.")
    print(f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Libraries: {versions()}.")
    print(f"- Command: `{command}`")
    for set_name, cases in datasets.items():
        positives = sum(c.is_match for c in cases)
        print(
            f"- {set_name}: {len(cases)} pairs ({positives} match, {len(cases) - positives} not), "
            f"`{SETS[set_name].relative_to(ROOT)}`."
        )
    print(
        "- Default thresholds: "
        + "; ".join(f"{s.name} {s.threshold:.2f} ({s.why})" for s in scorers)
        + ". Best t: the 0.01-grid threshold with the best F1 on that set (tuned on the test "
        "data, so an upper bound). R at P>=0.95: best recall at any threshold keeping "
        "precision at or above 0.95."
    )
    print(
        "- Inputs: baselines get the two names only; ours also gets the IMO numbers of the "
        f"DPRK/Russia vessel pairs ({listed_imo} give the listed vessel's, {both_imo} also the "
        "query's: homonyms with another IMO, renamed ships with the same). nomenklatura "
        "scorers compare two single-name FtM entities with the algorithm's default config, as "
        "nomenklatura's "
        "contrib/name_bench does; rapidfuzz is token_set_ratio on casefolded, accent-stripped "
        "names. µs/pair times scoring only (entity building untimed, after a warm-up)."
    )
    for note in notes:
        print(f"- {note}")
    for set_name, cases in datasets.items():
        table, best = overall_table(cases, results[set_name], scorers)
        print(f"\n### {set_name}: overall\n\n{table}")
        for title, key in (("script", lambda c: c.script), ("schema", lambda c: c.schema)):
            print(f"\n{set_name}, F1 per {title} (at default t / at the overall best t):\n")
            print(slice_table(title, cases, key, results[set_name], scorers, best))
    print("\nDPRK/Russia, share judged right per category at the default threshold:\n")
    print(category_table(datasets["DPRK/Russia"], results["DPRK/Russia"], scorers))


if __name__ == "__main__":
    main()
