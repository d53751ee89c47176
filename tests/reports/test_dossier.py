"""The dossier of a real case: every kind of fact carries its provenance (a list link: list,
version, record; an AIS fact: file, SHA-256, lines; an event: detector, version,
parameters, positions), the analyst's words are marked as theirs, markup in the case's
text prints as written in the HTML and in the PDF's Typst source, and the PDF is a PDF."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import typst

from sanctionwatch.behaviour.params import default_params
from sanctionwatch.reports import build, dossier, render
from sanctionwatch.web.mapdata import map_data
from tests.reports.dossier_support import HOSTILE, SEEN, Built, built
from tests.watch_support import CLEAN, LAUNDERED

__all__ = ["built"]  # the fixture


def data(b: Built) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((b.out / "dossier.json").read_text(encoding="utf-8"))
    return loaded


def vessel_subject(b: Built) -> dict[str, Any]:
    found: list[dict[str, Any]] = [s for s in data(b)["subjects"] if s["kind"] == "vessel"]
    [subject] = found
    return subject


def html(b: Built) -> str:
    return (b.out / "dossier.html").read_text(encoding="utf-8")


def test_the_pdf_and_html_are_written(built: Built) -> None:
    assert (built.out / "dossier.pdf").read_bytes().startswith(b"%PDF-")
    assert html(built).startswith("<!DOCTYPE html>")
    assert {p.name for p in built.out.iterdir()} >= {
        "dossier.pdf", "dossier.html", "dossier.json", "manifest.json"
    }  # fmt: skip


def test_a_list_fact_names_its_list_version_and_record(built: Built) -> None:
    [vessel] = vessel_subject(built)["vessels"]
    [link] = [k for k in vessel["risk"]["links"] if k["via"] == "imo"]
    assert (link["record"], link["entity_id"]) == ("17069", "ofac-17069")
    assert link["version"] == "2024-05-03"
    assert link["provenance"].startswith("list ofac_sdn, version 2024-05-03 (loaded ")
    assert link["provenance"].endswith("record 17069 (ofac-17069)")
    assert link["reason"] and link["provenance"] in html(built).replace("&#39;", "'")
    assert {"list": "ofac_sdn", "version": "2024-05-03"}.items() <= next(
        x for x in data(built)["methodology"]["lists"] if x["list"] == "ofac_sdn"
    ).items()


def test_an_ais_fact_names_its_file_sha256_and_lines(built: Built) -> None:
    sha = hashlib.sha256(built.inbox_file.read_bytes()).hexdigest()
    lines = built.inbox_file.read_text(encoding="utf-8").splitlines()
    [vessel] = vessel_subject(built)["vessels"]
    [identity] = vessel["identities"]
    where = identity["provenance"]
    assert where["file"].endswith("day0.csv") and where["sha256"] == [sha]
    assert str(LAUNDERED) in lines[where["line"] - 1]  # 1-based: the line that said it
    [track] = vessel["track"]["sources"]
    assert (track["file"], track["sha256"], track["positions"]) == ("day0.csv", sha, 37)
    first, last = track["lines"]
    assert str(LAUNDERED) in lines[first - 1] and str(LAUNDERED) in lines[last - 1]
    assert sha in html(built)
    factors = {f["factor"]: f for f in vessel["risk"]["factors"]}
    said = factors["sanctioned_identity"]["evidence"]
    [by_ais] = [e["provenance"] for e in said if e["kind"] == "identity"]
    assert by_ais.endswith(f"day0.csv line {where['line']}, SHA-256 {sha}")
    [by_list] = [e["provenance"] for e in said if e["kind"] == "list_record"]
    assert by_list.endswith("record 17069 (ofac-17069), from sdn_2024-05-03.csv:5")


def test_an_event_names_its_detector_parameters_and_positions(built: Built) -> None:
    sha = hashlib.sha256(built.inbox_file.read_bytes()).hexdigest()
    events = data(built)["events"]
    [met] = [e for e in events if e["type"] == "encounter"]
    assert (met["mmsi"], met["other_mmsi"]) == (LAUNDERED, CLEAN)
    assert met["detector"]["name"] == "encounter"
    assert met["detector"]["version"].startswith("sanctionwatch ")
    assert met["detector"]["parameters"] == default_params()["encounter"]
    assert {s["mmsi"] for s in met["sources"]} == {LAUNDERED, CLEAN}
    assert all(s["sha256"] == sha and s["lines"][0] <= s["lines"][1] for s in met["sources"])
    page = html(built)
    assert "max_distance_m=500.0" in page and f'id="event-{met["n"]}"' in page
    [vessel] = vessel_subject(built)["vessels"]
    assert met["n"] in vessel["events"]
    [on_map] = [
        e for e in map_data(built.settings, [LAUNDERED])["events"] if e["type"] == "encounter"
    ]
    labels = build.event_labels(map_data(built.settings, [LAUNDERED]), data(built)["events"])
    assert labels[on_map["id"]] == str(met["n"])  # the map's marker shows the event's number
    detectors = {x["detector"]: x for x in data(built)["methodology"]["detectors"]}
    encounter = detectors["encounter"]
    assert encounter["parameters"] == met["detector"]["parameters"]
    assert encounter["definition"].startswith("Encounters")
    assert encounter["parameter_notes"]["min_port_km"].endswith(
        "(GFW)"
    )  # the vessel's events point to the list of events


def test_a_list_entity_and_a_screening_match_name_their_list_records(built: Built) -> None:
    subjects = {s["kind"]: s for s in data(built)["subjects"]}
    [record] = subjects["entity"]["records"]
    assert (record["list"], record["version"], record["entity_id"]) == (
        "un", "2026-02-27", "un-kpe-020"
    )  # fmt: skip
    assert record["provenance"].startswith("list un, version 2026-02-27 (loaded ")
    assert len(record["digest"]) == 64
    assert record["caption"] == "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)"
    hits = subjects["counterparty"]["hits"]
    assert hits and all(h["explanation"] for h in hits)
    assert all(h["provenance"].startswith(f"list {h['list']}, version ") for h in hits)
    [un] = [h for h in hits if h["entity_id"] == "un-kpe-020"]
    assert un["provenance"].startswith("list un, version 2026-02-27 (loaded ")
    assert un["provenance"].endswith("record KPe.020 (un-kpe-020)")


def test_the_audit_trail_is_whole_oldest_first_with_its_hashes(built: Built) -> None:
    trail = data(built)["trail"]
    assert [t["action"] for t in trail] == [
        "case_created", "subject_added", "subject_added", "subject_added", "note_added",
        "attachment_added",
    ]  # fmt: skip
    added = json.loads(trail[1]["detail"])
    assert added["snapshot_sha256"] == vessel_subject(built)["snapshot_sha256"]
    assert all(len(t["hash"]) == 64 and t["hash"] in html(built) for t in trail)


def test_attachments_are_listed_by_their_sha256(built: Built) -> None:
    [listed] = data(built)["attachments"]
    assert (listed["filename"], listed["size_bytes"]) == ("seen.csv", len(SEEN))
    assert listed["sha256"] == hashlib.sha256(SEEN).hexdigest() in html(built)


def test_the_analysts_words_are_marked_and_markup_prints_as_written(built: Built) -> None:
    dossier = data(built)
    assert dossier["summary"] == {
        "by": "analyst", "author": dossier["trail"][0]["actor"],
        "at": dossier["summary"]["at"], "text": "Summary " + HOSTILE,
    }  # fmt: skip
    [note] = dossier["notes"]
    assert (note["by"], note["text"]) == ("analyst", "Note " + HOSTILE)
    assert dossier["summary"]["author"].startswith("cli:")  # who ran the command
    page = html(built)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("by the analyst") == 2  # the summary and the note, marked


MARKUP = ("strong", "emph", "equation", "ref", "raw", "label", "linebreak")


def _walk(node: Any, texts: list[str], funcs: list[str]) -> None:
    if isinstance(node, dict):
        funcs.append(str(node.get("func")))
        if node.get("func") == "text":
            texts.append(node["text"])
        for value in node.values():
            _walk(value, texts, funcs)
    elif isinstance(node, list):
        for value in node:
            _walk(value, texts, funcs)


def test_typst_prints_markup_in_the_data_as_written(built: Built, tmp_path: Path) -> None:
    """Typst's own reading of the document: the title and the analyst's words are text
    elements holding the characters as written; no element made of them (strong,
    emphasis, math, reference, raw)."""
    (tmp_path / "dossier.typ").write_text(render.typst_source(), encoding="utf-8")
    for name in ("dossier.json", "map.svg", "timeline.svg"):  # what it reads
        if (built.out / name).exists():
            shutil.copyfile(built.out / name, tmp_path / name)
    main, root = str(tmp_path / "dossier.typ"), str(tmp_path)
    texts: list[str] = []
    funcs: list[str] = []
    _walk(json.loads(typst.query(main, "<dossier-title>", root=root)), texts, funcs)
    assert "Case " + HOSTILE in texts
    assert not set(funcs) & set(MARKUP)
    texts, funcs = [], []
    _walk(json.loads(typst.query(main, "<analyst-words>", root=root)), texts, funcs)
    assert "Summary " + HOSTILE in texts and "Note " + HOSTILE in texts
    assert not set(funcs) & {"strong", "emph", "equation", "ref", "raw"}


def test_the_summary_is_signed_by_whoever_last_wrote_the_description() -> None:
    case = {"id": 3, "created_by": None, "created_ms": 0, "description": "Text"}

    def row(seq: int, actor: str, action: str, detail: dict[str, Any]) -> dict[str, Any]:
        return {"seq": seq, "at_ms": seq * 1000, "actor": actor, "action": action,
                "target": "case 3", "detail": json.dumps(detail)}  # fmt: skip

    trail = [
        row(1, "cli:ops", "case_created", {"title": "t"}),
        row(2, "ana", "case_updated", {"description": True, "version": 2}),
        row(3, "bob", "case_updated", {"status": "closed", "version": 3}),
    ]
    said = dossier.summary_of(case, trail)
    assert (said["by"], said["author"], said["at"]) == ("analyst", "ana", "1970-01-01T00:00:02Z")
    assert dossier.summary_of(case, trail[:1])["author"] == "cli:ops"
