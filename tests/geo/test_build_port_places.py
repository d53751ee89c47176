"""tools/build_port_places.py on a small real excerpt with bad rows added: what it keeps,
what it reports and skips (with the line), and that it never half-writes its output."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools/build_port_places.py"
DATA = ROOT / "tests/data/geo"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The tool run once, as a user runs it, on the excerpts: its output and its process."""
    out = tmp_path_factory.mktemp("built") / "port_points.parquet"
    return out, run_tool(out)


def run_tool(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), str(DATA / "gfw_anchorages_excerpt.csv"),
         "--ports", str(DATA / "ports_excerpt.csv"), "--out", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_places_join_anchorages_to_their_wpi_port(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = built
    rows = pq.read_table(out).to_pylist()
    by_place: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_place.setdefault(str(row["place"]), []).append(row)
    # QINGDAO's six real points join WPI's Qingdao Gang ("GANG" is a generic word), with
    # the WPI point itself; the event name stays WPI's.
    qingdao = by_place["wpi:60140"]
    assert {r["name"] for r in qingdao} == {"Qingdao Gang"}
    assert sorted(str(r["kind"]) for r in qingdao) == ["anchorage"] * 6 + ["wpi"]
    assert {r["locode"] for r in qingdao} == {"CNQIN"} and {r["country"] for r in qingdao} == {"CN"}
    assert len(by_place["wpi:60610"]) == 4  # Vladivostok: 3 anchorage points + WPI
    # DPRK has no GFW points: Najin stays one point; Dunai is the manual entry.
    assert [r["kind"] for r in by_place["wpi:60510"]] == ["wpi"]
    assert [r["kind"] for r in by_place["manual:Dunai"]] == ["manual"]
    # A label no WPI port matches is a place of its own, named by the label.
    tongyeong = by_place["gfw:KR:TONGYEONG"]
    assert {r["name"] for r in tongyeong} == {"Tongyeong"} and len(tongyeong) == 2
    assert tongyeong[0]["s2id"] == "356ec741"
    # The first of two rows with one s2id wins.
    assert [r["label"] for r in rows if r["s2id"] == "4065d3a5"] == ["SURMENE"]


def test_bad_rows_are_reported_with_their_line_and_skipped(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = built
    skipped = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        "skipped ports_excerpt.csv:7: unknown country 'ZZ'",
        "skipped ports_excerpt.csv:8: bad number ('north', '120.0')",
        "skipped gfw_anchorages_excerpt.csv:13: unknown country ''",
        "skipped gfw_anchorages_excerpt.csv:14: bad number ('11.84060637', '1001')",
        "skipped gfw_anchorages_excerpt.csv:16: duplicate s2id 4065d3a5 (first on line 15)",
        "skipped gfw_anchorages_excerpt.csv:17: point on land (34.50000, 113.00000, QINGDAO): "
        "well inland, 674 km from the nearest other point of its place",
    ]
    assert "6 rows skipped" in done.stdout


@cache
def load_tool() -> ModuleType:
    """The tool as a module (tools/ is no package; its dataclasses need it registered)."""
    spec = importlib.util.spec_from_file_location("build_port_places", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "port_points.parquet"
    out.write_bytes(b"the previous build")
    tool = load_tool()

    def broken_write(table: object, where: str, **options: object) -> None:
        Path(where).write_bytes(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setattr(tool.pq, "write_table", broken_write)
    with pytest.raises(OSError, match="disk full"):
        tool.main([str(DATA / "gfw_anchorages_excerpt.csv"), "--ports",
                   str(DATA / "ports_excerpt.csv"), "--out", str(out)])  # fmt: skip
    assert out.read_bytes() == b"the previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["port_points.parquet"]


@pytest.mark.parametrize(
    ("name", "key"),
    [("Qingdao Gang", "qingdao"), ("QINGDAO", "qingdao"), ("Ch'ongjin", "chongjin"),
     ("Port Said", "portsaid"), ("Puerto Banús", "puertobanus"), ("Port", "port")],
)  # fmt: skip
def test_names_are_compared_without_case_accents_or_a_generic_last_word(
    name: str, key: str
) -> None:
    assert load_tool().name_key(name) == key


@pytest.mark.parametrize(
    ("name", "first"),
    [("Tianjin Xin Gang", "tianjin"), ("Mumbai (Bombay)", "mumbai"), ("Port Said", None),
     ("Qingdao Gang", None), ("San Antonio", None)],
)  # fmt: skip
def test_a_label_may_name_the_first_word_of_a_longer_port_name(
    name: str, first: str | None
) -> None:
    assert load_tool().first_word_key(name) == first
