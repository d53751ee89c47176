"""Screening the portfolio on Spark gives the hits of a local screen, on a sample of a few
hundred real names: DPRK names as users write them and their hard negatives
(tests/data/screening/dprk_pairs.csv), hand-written Hangul, Cyrillic and Hanja forms,
unlisted Western names (nomenklatura's set) and names exactly as the lists give them.

One local[2] Spark session for the module (starting one takes seconds), as in
tests/engine/test_spark.py; needs the ``spark`` extra and Java 17+, which CI installs.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.engine.spark import start_session
from sanctionwatch.portfolio.model import Counterparty, PortfolioHit
from sanctionwatch.portfolio.screen import find_hits, screen_portfolio, signature_text
from sanctionwatch.portfolio.spark_batch import screen_portfolio_spark, spark_find_hits
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.engine import Screener
from tests.cli_process import cli_env
from tests.conftest import ROOT

PAIRS = ROOT / "tests" / "data" / "screening"
EVERY = 10  # every tenth row of each file


def _rows(name: str) -> list[dict[str, str]]:
    with (PAIRS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))[::EVERY]


def sample(screener: Screener) -> list[Counterparty]:
    found = [
        Counterparty(f"pair-{n}", r["name1"], r["schema"], imo=r["imo1"] or None)
        for n, r in enumerate(_rows("dprk_pairs.csv"))
    ]
    found += [
        Counterparty(f"form-{n}", r["native"], r["schema"])
        for n, r in enumerate(_rows("hand_written_forms.csv"))
    ]
    found += [
        Counterparty(f"nk-{n}", r["name1"], r["schema"])
        for n, r in enumerate(_rows("nomenklatura_name_bench_cases.csv"))
    ]
    parties = screener.index.parties[:: len(screener.index.parties) // 30]
    found += [Counterparty(f"listed-{n}", p.caption) for n, p in enumerate(parties)]
    return found


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = start_session("local[2]")
    yield session
    session.stop()


def ordered(hits: list[PortfolioHit]) -> list[PortfolioHit]:
    return sorted(hits, key=lambda h: (h.counterparty_id, h.entity_id))


def test_spark_finds_the_hits_a_local_screen_finds(spark: Any, screener: Screener) -> None:
    counterparties = sample(screener)
    assert len(counterparties) > 300
    local: list[PortfolioHit] = []
    errors: list[tuple[str, str]] = []
    for counterparty_id, hits, error in find_hits(screener, counterparties):
        local += hits
        errors += [(counterparty_id, error)] if error else []
    # hits and misses both: the comparison means something
    assert len({h.counterparty_id for h in local}) > 100
    assert len({h.counterparty_id for h in local}) < len(counterparties) - 50
    found = spark_find_hits(spark, screener.index, counterparties, partitions=3)
    assert found.screened == len(counterparties) and found.errors == errors
    assert ordered(found.hits) == ordered(local)  # every field, explanations included


def test_a_spark_screen_after_a_local_one_changes_nothing(
    spark: Any, screener: Screener, portfolio: PortfolioStore, tmp_path: Path
) -> None:
    source = tmp_path / "sample.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "schema", "imo"])
        for c in sample(screener)[:120]:
            writer.writerow([c.id, c.name, c.schema or "", c.imo or ""])
    assert portfolio.add(source).rejected == []
    signature = signature_text(screener.index.signature)
    local = screen_portfolio(portfolio, screener, signature)
    assert local.changes  # the first screen: every hit new
    on_spark = screen_portfolio_spark(portfolio, screener.index, signature, spark)
    assert (on_spark.changes, on_spark.removed, on_spark.errors) == ([], [], [])
    assert on_spark.hits == local.hits == portfolio.hits()
    assert on_spark.screened == 120


def test_the_command_screens_on_spark(lists_home: Path, tmp_path: Path) -> None:
    """`portfolio screen --engine spark`, in a process of its own (it stops its session)."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("lists.sqlite", "screening-index.pickle"):
        shutil.copy(lists_home / name, home / name)
    clients = tmp_path / "clients.csv"
    clients.write_text("id,name\nc1,Kim Jong Un\nc2,Jane Q. Nobody\nc3,Chon Ma San\n", "utf-8")
    command = [
        sys.executable, "-c",
        "import sys; from pathlib import Path; from sanctionwatch.cli_portfolio import portfolio;"
        "from sanctionwatch.config import load_settings;"
        "portfolio.main(sys.argv[2:], obj=load_settings(Path(sys.argv[1])))",
        str(home),
    ]  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, env=cli_env(), timeout=300
        )

    assert run("add", str(clients)).returncode == 0
    on_spark = run("screen", "--engine", "spark")
    assert on_spark.returncode == 0, on_spark.stderr
    hits = [json.loads(line) for line in on_spark.stdout.splitlines()]
    assert {(h["counterparty_id"], h["status"]) for h in hits} >= {("c1", "new"), ("c3", "new")}
    local = run("screen")
    assert [json.loads(line) for line in local.stdout.splitlines()] == [
        {**hit, "status": "unchanged"} for hit in hits
    ]
