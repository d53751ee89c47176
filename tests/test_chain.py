"""The whole chain from the command line: `run --inbox`, `vessels risk|show`, `alerts list`,
and the re-screen after `lists load` (issue 13)."""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sanctionwatch.cli import cli
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write
from tests.cli_process import run_cli, start_cli
from tests.lists.test_store_readonly import _read_only_runner, run_read_only
from tests.watch_support import (
    CLEAN,
    FERRY,
    LAUNDERED,
    OFAC_EXCERPT,
    UN_EXCERPT,
    write_day,
)


def sw(home: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == code, result.output
    return result


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    sw(home, "lists", "load", str(OFAC_EXCERPT))
    sw(home, "lists", "load", str(UN_EXCERPT))
    return home


def test_run_ingests_the_inbox_and_ranks_the_laundered_ship_with_its_reasons(
    home: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (inbox / "unknown.txt").write_text("hello, world\n", encoding="utf-8")
    (inbox / "arriving.csv.part").write_text("half a file", encoding="utf-8")

    result = sw(home, "run", "--inbox", str(inbox), "--json")
    outcome = json.loads(result.stdout.splitlines()[-1])
    statuses = {o["file"]: o["status"] for o in outcome["inbox"]}
    assert statuses == {"day0.csv": "ingested", "notes.docx": "rejected", "unknown.txt": "rejected"}
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["day0.csv"]
    assert sorted(p.name for p in (inbox / "rejected").iterdir()) == [
        "notes.docx", "notes.docx.reason.txt", "unknown.txt", "unknown.txt.reason.txt",
    ]  # fmt: skip
    reason = (inbox / "rejected" / "unknown.txt.reason.txt").read_text("utf-8")
    assert "unknown.txt: neither AIS nor a sanctions list" in reason
    assert "line 1: 'hello, world'" in reason
    assert (inbox / "arriving.csv.part").exists()  # still being written: left alone
    assert outcome["rescored"] and outcome["vessels"] == 3

    risks = jsonl(sw(home, "vessels", "risk").stdout)
    assert [r["mmsi"] for r in risks] == [LAUNDERED, CLEAN, FERRY]
    top = risks[0]
    assert set(top) == {"mmsi", "imo", "name", "flag", "score", "level", "factors", "links"}
    assert (top["imo"], top["name"], top["level"]) == (7937317, "SUNNY BAY", "high")
    link = next(k for k in top["links"] if k["via"] == "imo")
    assert (link["list"], link["record"], link["caption"]) == (
        "ofac_sdn",
        "17069",
        "CHONG CHON GANG",
    )
    identity = next(f for f in top["factors"] if f["factor"] == "sanctioned_identity")
    assert {e["kind"] for e in identity["evidence"]} == {"identity", "list_record"}
    # The clean ship met it, for real: the encounter detector found it, and risk spread.
    clean = risks[1]
    assert clean["links"] == [] and clean["level"] != "low"
    inherited = next(f for f in clean["factors"] if f["factor"] == "encounter")
    assert str(LAUNDERED) in inherited["reason"]
    assert inherited["evidence"][0]["type"] == "encounter"
    assert risks[2]["score"] == 0 and risks[2]["level"] == "low"

    alerts = jsonl(sw(home, "alerts", "list").stdout)
    by_rule = {(a["rule"], a["subject"]["mmsi"]) for a in alerts}
    assert ("sanctioned_vessel_seen", LAUNDERED) in by_rule
    assert ("encounter_with_sanctioned", CLEAN) in by_rule
    assert not any(mmsi == FERRY for _, mmsi in by_rule)
    for alert in alerts:
        assert set(alert) >= {"id", "rule", "severity", "subject", "summary", "evidence",
                              "status", "created"}  # fmt: skip
        assert alert["status"] == "new" and alert["evidence"]


def test_running_twice_changes_nothing_and_new_data_raises_only_what_is_new(
    home: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    before = jsonl(sw(home, "alerts", "list").stdout)
    risks_before = sw(home, "vessels", "risk").stdout

    again = sw(home, "run", "--inbox", str(inbox))
    assert "nothing new" in again.stdout
    assert jsonl(sw(home, "alerts", "list").stdout) == before
    assert sw(home, "vessels", "risk").stdout == risks_before

    # The same file dropped again is found already stored. Two days later they meet again:
    # a new encounter alert for the clean ship, and its risk crosses high (its 42 h silence
    # at sea in between is a likely disabling): two new alerts, none repeated.
    shutil.copy(inbox / "done" / "day0.csv", inbox / "day0-again.csv")
    write_day(inbox / "day2.csv", day=2)
    outcome = json.loads(sw(home, "run", "--inbox", str(inbox), "--json").stdout.splitlines()[-1])
    assert {o["file"]: o["status"] for o in outcome["inbox"]} == {
        "day0-again.csv": "already stored",
        "day2.csv": "ingested",
    }
    after = jsonl(sw(home, "alerts", "list").stdout)
    new = after[: len(after) - len(before)]
    assert after[len(new) :] == before
    assert sorted((a["rule"], a["subject"]["mmsi"]) for a in new) == [
        ("encounter_with_sanctioned", CLEAN),
        ("risk_high", CLEAN),
    ]
    met = next(a for a in new if a["rule"] == "encounter_with_sanctioned")
    assert "2 such encounters" in str(met["summary"])
    crossed = next(a for a in new if a["rule"] == "risk_high")
    assert {e["factor"] for e in crossed["evidence"]} == {"encounter", "dark_gap"}


def test_vessels_show_by_mmsi_and_by_imo(home: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    [view] = jsonl(sw(home, "vessels", "show", str(LAUNDERED), "--json").stdout)
    assert view["mmsi"] == LAUNDERED
    assert view["identity"]["identities"][0]["name"] == "SUNNY BAY"
    assert view["risk"]["level"] == "high"
    # six hours adrift: an encounter, and loitering
    assert [e["type"] for e in view["events"]] == ["encounter", "loitering"]
    [by_imo] = jsonl(sw(home, "vessels", "show", "IMO 7937317", "--json").stdout)
    assert by_imo == view
    text = sw(home, "vessels", "show", "7937317").stdout
    assert "CHONG CHON GANG (ofac_sdn record 17069) via imo" in text
    assert "encounter with 352009999" in text
    assert "neither an MMSI" in sw(home, "vessels", "show", "12ab", code=2).output
    assert "ever broadcast IMO 9074729" in sw(home, "vessels", "show", "9074729", code=2).output


def test_min_level_limit_and_formats(home: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    high = jsonl(sw(home, "vessels", "risk", "--min-level", "high").stdout)
    assert [r["mmsi"] for r in high] == [LAUNDERED]
    assert len(jsonl(sw(home, "vessels", "risk", "--limit", "2").stdout)) == 2
    rows = sw(home, "vessels", "risk", "--format", "csv").stdout.splitlines()
    assert rows[0] == "mmsi,imo,name,flag,score,level,factors,links"
    assert rows[1].startswith(f"{LAUNDERED},7937317,SUNNY BAY,pa,")
    table = sw(home, "vessels", "risk", "--format", "table").stdout
    assert "SUNNY BAY" in table and "3 vessels" in table


def test_vessels_risk_brings_scores_up_to_date_after_an_ingest(home: Path, tmp_path: Path) -> None:
    """No `run` at all: `ais ingest` then `vessels risk` detects, links and scores."""
    sw(home, "ais", "ingest", str(write_day(tmp_path / "day0.csv")))
    result = sw(home, "vessels", "risk", "--min-level", "high")
    assert [r["mmsi"] for r in jsonl(result.stdout)] == [LAUNDERED]
    assert "linked and scored 3 vessels" in result.stderr


def test_a_new_list_version_links_vessels_seen_before(tmp_path: Path) -> None:
    """Vessels first, lists after: loading the list re-screens the known vessels."""
    home = tmp_path / "home"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    assert jsonl(sw(home, "alerts", "list").stdout) == []
    loaded = sw(home, "lists", "load", str(OFAC_EXCERPT))
    assert "re-screened 3 vessels against the new lists" in loaded.stderr
    alerts = jsonl(sw(home, "alerts", "list").stdout)
    assert ("sanctioned_vessel_seen", LAUNDERED) in {
        (a["rule"], a["subject"]["mmsi"]) for a in alerts
    }


def test_a_read_only_home_computes_in_memory(home: Path, tmp_path: Path) -> None:
    """A published home on a read-only mount: scores are computed, not stored; `run` says
    clearly it cannot write."""
    sw(home, "ais", "ingest", str(write_day(tmp_path / "day0.csv")))
    sw(home, "detect", "--out", str(tmp_path / "events.jsonl"))
    before = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    setup = (home, _read_only_runner(home))
    result = run_read_only(setup, "vessels", "risk", "--min-level", "high")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["mmsi"] for line in result.stdout.splitlines()] == [LAUNDERED]
    assert "cannot be written: scores computed now" in result.stderr
    shown = run_read_only(setup, "vessels", "show", str(CLEAN), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["risk"]["factors"][0]["factor"] == "encounter"
    listed = run_read_only(setup, "alerts", "list")
    assert (listed.returncode, listed.stdout) == (0, "")
    refused = run_read_only(setup, "run")
    assert refused.returncode == 1 and "is read-only" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert {path: path.read_bytes() for path in home.rglob("*") if path.is_file()} == before


def test_bad_alert_rules_and_risk_weights_are_refused_by_name(home: Path) -> None:
    (home / "rules.toml").write_text(
        '[mine]\nkind = "linked_vessel"\ntitle = "x"\nseverity = "urgent"\n'
        'vias = ["imo"]\nmin_confidence = 0.5\n',
        encoding="utf-8",
    )
    (home / "weights.toml").write_text("[sanctioned_identity]\npoints = -5\n", encoding="utf-8")
    (home / "config.toml").write_text('[alerts]\nrules = "rules.toml"\n', encoding="utf-8")
    out = sw(home, "run", code=2).output
    assert "rules.toml: rule [mine]: severity 'urgent' is not one of high, medium, low" in out
    (home / "config.toml").write_text('[risk]\nfactors = "weights.toml"\n', encoding="utf-8")
    out = sw(home, "run", code=2).output
    assert "weights.toml" in out and "sanctioned_identity" in out and "negative" in out


def _state(home: Path, root: Path) -> dict[str, object]:
    """What a run leaves: positions, events, scores and alerts (ids and times aside; the
    files' folder, ``root``, as "ROOT")."""
    status = json.loads(sw(home, "ais", "status", "--json").stdout)
    events = sorted(sw(home, "detect").stdout.splitlines())
    alerts = [
        {k: v for k, v in alert.items() if k not in ("id", "created")}
        for alert in jsonl(sw(home, "alerts", "list").stdout)
    ]
    alerts.sort(key=lambda a: json.dumps(a, sort_keys=True))
    return {
        "positions": status["totals"]["positions"],
        "files": sorted(i["file"].rsplit("/", 1)[-1] for i in status["ingests"]),
        "events": events,
        "risk": sw(home, "vessels", "risk").stdout.replace(str(root), "ROOT"),
        "alerts": json.loads(json.dumps(alerts).replace(str(root), "ROOT")),
    }


@pytest.mark.parametrize("kill_after_s", [2.0, 2.8, 3.6])
def test_a_run_killed_at_any_point_is_completed_by_the_next(
    tmp_path: Path, kill_after_s: float
) -> None:
    """kill -9 part way (ingest, detect, scoring or alerts, wherever the time falls), then
    run again: the same positions, events, scores and alerts as one uninterrupted run."""
    homes = {}
    for name in ("clean", "killed"):
        home = tmp_path / name / "home"
        sw(home, "lists", "load", str(OFAC_EXCERPT))
        inbox = tmp_path / name / "inbox"
        inbox.mkdir()
        for day in (0, 2, 4):
            write_day(inbox / f"day{day}.csv", day=day)
        homes[name] = (home, inbox)
    home, inbox = homes["killed"]
    process = start_cli(home, "run", "--inbox", str(inbox))
    time.sleep(kill_after_s)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    again = run_cli(home, "run", "--inbox", str(inbox))
    assert again.returncode == 0, again.stderr
    clean_home, clean_inbox = homes["clean"]
    sw(clean_home, "run", "--inbox", str(clean_inbox))
    assert _state(home, tmp_path / "killed") == _state(clean_home, tmp_path / "clean")
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "day0.csv", "day2.csv", "day4.csv",
    ]  # fmt: skip
    assert not [p for p in inbox.iterdir() if p.is_file()]


def test_a_vessel_with_no_identity_at_all_is_scored(tmp_path: Path) -> None:
    """Position reports only (no name, IMO, call sign, type): scored on its MID and its
    events, not skipped and not a crash."""
    home = tmp_path / "home"
    rows = [
        dma_row(f"01/03/2024 0{h}:00:00", "445000001", "39.0000", "124.5000", imo="Unknown")
        for h in range(3)
    ]
    sw(home, "ais", "ingest", str(write(tmp_path / "bare.csv", [DMA_HEADER, *rows])))
    [vessel] = jsonl(sw(home, "vessels", "risk").stdout)
    assert (vessel["mmsi"], vessel["imo"], vessel["name"], vessel["flag"]) == (
        445000001, None, None, "kp",
    )  # fmt: skip
    assert [f["factor"] for f in vessel["factors"]] == ["dprk_flag"]
    assert vessel["links"] == [] and vessel["level"] == "medium"


def test_zones_named_in_config_are_used_and_rescore(home: Path, tmp_path: Path) -> None:
    """The two ships drift together in the Yellow Sea, outside every bundled zone; a zone
    file of the home's own that covers the spot makes it loitering in a transfer area."""
    sw(home, "ais", "ingest", str(write_day(tmp_path / "day0.csv")))
    factors = {f["factor"] for r in jsonl(sw(home, "vessels", "risk").stdout) for f in r["factors"]}
    assert "loitering_zone" not in factors
    zone = {
        "type": "Feature",
        "properties": {"name": "Test box", "source": "drawn for this test"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[123.0, 36.0], [124.0, 36.0], [124.0, 37.0], [123.0, 37.0], [123.0, 36.0]]
            ],
        },
    }
    (home / "zones.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [zone]}), encoding="utf-8"
    )
    (home / "config.toml").write_text('[risk]\nzones = "zones.geojson"\n', encoding="utf-8")
    result = sw(home, "vessels", "risk")
    assert "linked and scored 3 vessels" in result.stderr
    [clean] = [r for r in jsonl(result.stdout) if r["mmsi"] == CLEAN]
    zoned = next(f for f in clean["factors"] if f["factor"] == "loitering_zone")
    assert "Test box" in zoned["reason"]


def test_a_portfolio_is_screened_again_when_a_list_changes(tmp_path: Path) -> None:
    """A counterparty that matches nothing on the first list, then a new list that names it:
    the load re-screens the portfolio and the new match raises one alert; screening again
    raises nothing more."""
    home = tmp_path / "home"
    sw(home, "lists", "load", str(UN_EXCERPT))
    book = tmp_path / "book.csv"
    book.write_text(
        "id,name,schema\nc1,Beratex Group Limited,Company\nc2,Acme Tea Traders,Company\n",
        encoding="utf-8",
    )
    sw(home, "portfolio", "add", str(book))
    sw(home, "portfolio", "screen")
    assert jsonl(sw(home, "alerts", "list").stdout) == []
    loaded = sw(home, "lists", "load", str(OFAC_EXCERPT))
    assert "and the portfolio against the new lists" in loaded.stderr
    # Two listed parties: the company's own record, and the owner named on its yacht's
    # record (ST. VITAMIN, 27200), which the OFAC reader makes a party of its own.
    alerts = jsonl(sw(home, "alerts", "list").stdout)
    assert [a["rule"] for a in alerts] == ["portfolio_match", "portfolio_match"]
    assert {a["severity"] for a in alerts} == {"high"}
    subject = {"kind": "counterparty", "id": "c1", "name": "Beratex Group Limited"}
    assert [a["subject"] for a in alerts] == [subject, subject]
    summaries = sorted(a["summary"] for a in alerts)
    assert "newly matches BERATEX GROUP LIMITED (ofac_sdn record 27194)" in summaries[0]
    assert "newly matches Beratex Group Limited (ofac_sdn record 27200)" in summaries[1]
    for alert in alerts:
        assert {e["kind"] for e in alert["evidence"]} >= {"list_record", "screening"}
    sw(home, "portfolio", "screen")
    sw(home, "run")
    assert len(jsonl(sw(home, "alerts", "list").stdout)) == 2
