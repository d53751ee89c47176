"""The dossier's exports (reports/exports.py) from a real home (the OFAC and UN excerpts, the
UN naming the ship's operator, and a day of AIS in which SUNNY BAY, broadcasting the listed
CHONG CHON GANG's IMO number, meets ANGARA: tests/watch_support.py): FtM lines that
followthemoney loads, GeoJSON with a feature per track and per event, CSV tables whose
cells cannot run as spreadsheet formulas."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from sanctionwatch.config import Settings
from sanctionwatch.lists.store import ListStore
from sanctionwatch.reports.exports import vessel_id, write_exports
from sanctionwatch.vessel_view import vessel_risks, vessel_view
from sanctionwatch.web.mapdata import map_data
from tests.cases.test_vessels_api import sw
from tests.watch_support import CLEAN, LAUNDERED, OFAC_EXCERPT, UN_EXCERPT, write_day

FORMULA = '=HYPERLINK("http://x.example","click")'
FILES = ["entities.ftm.json", "tracks.geojson", "events.geojson", "events.csv",
         "identities.csv", "links.csv"]  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    home = root / "home"
    sw(home, "lists", "load", str(UN_EXCERPT))
    sw(home, "lists", "load", str(OFAC_EXCERPT))
    inbox = root / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    return home


@pytest.fixture(scope="module")
def case(home: Path) -> tuple[Settings, list[dict[str, Any]], dict[str, Any]]:
    settings = Settings(home=home)
    risks = vessel_risks(settings, [LAUNDERED, CLEAN], stored=True)
    views = [vessel_view(settings, mmsi, risks[mmsi]) for mmsi in (LAUNDERED, CLEAN)]
    return settings, views, map_data(settings, [LAUNDERED, CLEAN], window_from_events=True)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_ftm_lines_load_in_followthemoney_with_ships_list_entity_and_link(
    case: tuple[Settings, list[dict[str, Any]], dict[str, Any]], tmp_path: Path
) -> None:
    settings, views, data = case
    paths = write_exports(tmp_path, settings, vessels=views, map_data=data)
    assert [p.name for p in paths] == FILES and all(p.is_file() for p in paths)
    entities = lines(tmp_path / "entities.ftm.json")
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)  # cleans every value again
        assert proxy.to_dict() == entity  # already clean: nothing changed
        assert proxy.schema.validate(entity) is None  # type: ignore[arg-type]
        assert set(entity["properties"]) <= set(proxy.schema.properties)
        assert all(entity["properties"].get(name) for name in proxy.schema.required)
    by_id = {e["id"]: e for e in entities}
    sunny = by_id[vessel_id(LAUNDERED)]
    assert sunny["schema"] == "Vessel"
    assert sunny["properties"]["name"] == ["SUNNY BAY"]
    assert sunny["properties"]["imoNumber"] == ["IMO7937317"]
    assert sunny["properties"]["mmsi"] == [str(LAUNDERED)]
    assert sunny["properties"]["flag"] == ["pa"]
    assert by_id[vessel_id(CLEAN)]["properties"]["name"] == ["ANGARA"]
    with ListStore(settings.store_path, writable=False) as store:
        version = store.find_version("ofac_sdn")
        stored = store.blobs([store.entity_digests(version.id)["ofac-17069"]])
    assert by_id["ofac-17069"] == next(iter(stored.values()))  # as the list store holds it
    links = {e["properties"]["object"][0]: e for e in entities if e["schema"] == "UnknownLink"}
    assert set(links) == {"ofac-17069", "ofac-17068", "un-kpe-020"}  # the ship, its operator
    props = links["ofac-17069"]["properties"]
    assert (props["subject"], props["role"]) == ([vessel_id(LAUNDERED)], ["linked via imo"])
    assert props["recordId"] == ["ofac_sdn:17069"]
    assert "confidence 1.00" in props["description"][0]
    assert links["un-kpe-020"]["properties"]["role"] == ["linked via owner"]
    assert set(links) <= set(by_id)  # every linked list entity is in the file
    referenced = {v for e in entities for p, values in e["properties"].items()
                  if model.get(e["schema"]).get(p).type.name == "entity" for v in values}  # type: ignore[union-attr]  # fmt: skip
    assert referenced <= set(by_id)  # the operator's addresses too: no dangling reference
    assert write_exports(tmp_path / "again", settings, vessels=views, map_data=data)
    for name in FILES:  # the same data gives the same bytes
        assert (tmp_path / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_geojson_has_a_line_per_track_and_a_point_per_event(
    case: tuple[Settings, list[dict[str, Any]], dict[str, Any]], tmp_path: Path
) -> None:
    settings, views, data = case
    write_exports(tmp_path, settings, vessels=views, map_data=data)
    tracks = json.loads((tmp_path / "tracks.geojson").read_text("utf-8"))
    assert tracks["type"] == "FeatureCollection" and "crs" not in tracks
    assert [f["properties"]["mmsi"] for f in tracks["features"]] == [LAUNDERED, CLEAN]
    assert [f["properties"]["name"] for f in tracks["features"]] == ["SUNNY BAY", "ANGARA"]
    for feature in tracks["features"]:
        assert feature["geometry"]["type"] == "LineString"
        assert len(feature["geometry"]["coordinates"]) == feature["properties"]["points"] == 37
    assert tracks["features"][0]["geometry"]["coordinates"][0] == [123.5, 36.5]  # lon, lat
    assert tracks["features"][0]["properties"]["times"][0] == "2024-03-01T00:00:00Z"
    events = json.loads((tmp_path / "events.geojson").read_text("utf-8"))
    assert len(events["features"]) == len(data["events"]) == 3
    assert {f["geometry"]["type"] for f in events["features"]} == {"Point"}
    kinds = sorted(f["properties"]["type"] for f in events["features"])
    assert kinds == ["encounter", "loitering", "loitering"]


def test_csv_tables_hold_the_facts_and_neutralise_formulas(
    case: tuple[Settings, list[dict[str, Any]], dict[str, Any]], tmp_path: Path
) -> None:
    settings, views, data = case
    views = copy.deepcopy(views)
    data = copy.deepcopy(data)
    views[0]["identity"]["identities"][0]["name"] = FORMULA
    views[0]["risk"]["links"][0]["caption"] = "@SUM(1+1)"
    data["events"][0]["text"] = FORMULA
    write_exports(tmp_path, settings, vessels=views, map_data=data)

    def table(name: str) -> list[dict[str, str]]:
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    identities = table("identities.csv")
    assert [r["mmsi"] for r in identities] == [str(LAUNDERED), str(CLEAN)]
    assert identities[0]["name"] == "'" + FORMULA
    assert identities[0]["imo"] == "7937317" and identities[0]["source"].endswith("day0.csv:2")
    events = table("events.csv")
    assert len(events) == 3 and events[0]["text"] == "'" + FORMULA
    assert events[0]["start"] == "2024-03-01T00:00:00Z" and events[0]["end"] == ""
    assert events[0]["lon"] == "123.5"  # a number stays a number
    links = table("links.csv")
    assert [(r["entity_id"], r["via"]) for r in links] == [
        ("ofac-17069", "imo"), ("ofac-17068", "owner"), ("un-kpe-020", "owner")
    ]  # fmt: skip
    assert links[0]["caption"] == "'@SUM(1+1)" and links[0]["confidence"] == "1.0"
    assert (links[0]["list_version"], links[0]["list_source"]) == (
        "2024-05-03", "sdn_2024-05-03.csv:5"
    )  # fmt: skip
    assert links[1]["list_source"] == "sdn_2024-05-03.csv:4"  # the operator's record
    cells = [c for name in ("events.csv", "identities.csv", "links.csv") for r in table(name)
             for c in r.values()]  # fmt: skip
    assert not [c for c in cells if c.startswith(("=", "@", "+")) and not c[1:2].isdigit()]


def test_a_name_that_is_not_text_is_written_as_its_escape(
    case: tuple[Settings, list[dict[str, Any]], dict[str, Any]], tmp_path: Path
) -> None:
    settings, views, data = case
    data = copy.deepcopy(data)
    data["vessels"][0]["name"] = "BAD\ud800"  # a lone surrogate, as JSON "\ud800" makes
    write_exports(tmp_path, settings, vessels=views, map_data=data)
    tracks = json.loads((tmp_path / "tracks.geojson").read_text("utf-8"))
    assert tracks["features"][0]["properties"]["name"] == "BAD\ud800"
