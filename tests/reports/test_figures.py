"""The dossier's figures (reports/figures.py): the static map draws what the web map draws
(land, tracks by speed, dashed gaps, a marker per event, ports, frame, scale, legend) as a
standalone SVG that parses, escapes untrusted names, and is the same every time; the
timeline SVG draws the case page's layout."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from sanctionwatch.behaviour.events import Event
from sanctionwatch.cases.evidence import ms_of
from sanctionwatch.reports.figures import SPEEDS, map_svg, timeline_svg
from sanctionwatch.reports.map_frame import View
from sanctionwatch.reports.svg_parts import clip_ring
from sanctionwatch.web.mapdata import ports_layer
from sanctionwatch.web.timeline import LaneInput, lay_out

NS = {"svg": "http://www.w3.org/2000/svg"}
XSS = "<img src=x onerror=alert(1)>"
T0 = 1_709_251_200  # 2024-03-01T00:00:00Z, seconds


def track(points: list[tuple[float, float, float | None]]) -> dict[str, Any]:
    return {
        "t": [T0 + 600 * i for i in range(len(points))],
        "lon": [p[0] for p in points],
        "lat": [p[1] for p in points],
        "sog": [p[2] for p in points],
    }


def sample() -> dict[str, Any]:
    """Two ships in Korea Bay and the Yellow Sea (map_data's format): one with all four
    speed classes and a silence (break after point 3), one named to attack a page."""
    first = track(
        [(124.0, 38.0, 2.0), (124.3, 38.2, 3.0), (124.6, 38.3, 8.0), (124.9, 38.4, 14.0),
         (125.6, 38.9, 13.0), (125.9, 39.1, None), (126.0, 39.2, None)]
    )  # fmt: skip
    second = track([(123.8, 37.6, 10.0), (124.2, 37.9, 10.5), (124.5, 38.1, 0.3)])
    return {
        "window": {"start": T0, "end": T0 + 86_400},
        "decimation": {"rule": "grid", "budget": 8000, "points": 10, "decimated_from": 10},
        "vessels": [
            {
                "mmsi": 352001234,
                "name": "SUNNY BAY",
                "points": 7,
                "decimated_from": 7,
                "track": first,
                "breaks": [3],
            },
            {
                "mmsi": 352009999,
                "name": XSS,
                "points": 3,
                "decimated_from": 3,
                "track": second,
                "breaks": [],
            },
        ],
        "gaps": [
            {
                "mmsi": 352001234,
                "start": T0 + 1800,
                "end": T0 + 2400,
                "from": [124.9, 38.4],
                "to": [125.6, 38.9],
                "hours": 13.0,
            }
        ],
        "events": [
            {
                "id": 0,
                "type": "encounter",
                "mmsi": 352001234,
                "other_mmsi": 352009999,
                "partner": XSS,
                "start": T0,
                "end": T0 + 3600,
                "lon": 124.3,
                "lat": 38.2,
                "port": None,
                "text": f"Encounter with {XSS} (352009999), 1.0 h",
            },
            {
                "id": 1,
                "type": "gap",
                "mmsi": 352001234,
                "other_mmsi": None,
                "partner": None,
                "start": T0 + 1800,
                "end": T0 + 2400,
                "lon": 124.9,
                "lat": 38.4,
                "port": None,
                "text": "AIS gap 13.0 h",
            },
            {
                "id": 2,
                "type": "port_call",
                "mmsi": 352009999,
                "other_mmsi": None,
                "partner": None,
                "start": T0,
                "end": None,
                "lon": 125.4,
                "lat": 38.7,
                "port": "Nampo",
                "text": "Port call at Nampo (KP), 6.0 h",
            },
        ],
        "layers": {"ports": ports_layer(), "zones": {"type": "FeatureCollection", "features": []}},
    }


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def test_the_map_draws_land_tracks_by_speed_dashed_gaps_events_and_ports() -> None:
    svg = map_svg(sample())
    root = parse(svg)
    land = root.findall(".//svg:g[@class='land']/svg:path", NS)
    assert land and all(p.get("d", "").startswith("M") for p in land)  # Korea's coast in view
    tracks = root.findall(".//svg:g[@class='tracks']/svg:path", NS)
    colours = {p.get("stroke") for p in tracks}
    assert colours == {colour for _, colour in SPEEDS}  # slow, medium, fast and unknown runs
    assert {p.get("data-mmsi") for p in tracks} == {"352001234", "352009999"}
    runs = {(p.get("data-mmsi"), p.get("class")): p.get("d", "") for p in tracks}
    slow = runs[("352001234", "track speed-0")]  # points 0-2 (2 and 3 kn; ends at point 2)
    assert slow.count("M") == 1 and len(slow[1:].split()) == 3
    fast = runs[("352001234", "track speed-2")]  # 13 kn after the silence, not across it
    assert len(fast[1:].split()) == 2
    gaps = root.findall(".//svg:line[@class='gap']", NS)
    drawn = [g for g in gaps if g.get("data-mmsi") == "352001234"]
    assert len(drawn) == 2  # the track's silence and the gap event, both dashed
    assert all(g.get("stroke-dasharray") for g in gaps)
    markers = root.findall(".//svg:g[@class='events']/svg:path", NS)
    assert [m.get("data-type") for m in markers] == ["encounter", "gap", "port_call"]
    ports = root.findall(".//svg:text[@class='port-label']", NS)
    assert "Nampo" in {p.text for p in ports}
    assert "Vladivostok" not in {p.text for p in ports}  # out of view: not drawn
    legend = "".join(root.find(".//svg:g[@class='legend']", NS).itertext())  # type: ignore[union-attr]
    assert "Encounter" in legend and "Port call" in legend and "12 kn and over" in legend
    scale = "".join(root.find(".//svg:g[@class='scale-bar']", NS).itertext())  # type: ignore[union-attr]
    assert re.fullmatch(r"\d+ km \(at 3\d\.\d°\)", scale.strip())
    ticks = [t.text for t in root.findall(".//svg:g[@class='ticks']/svg:text", NS)]
    assert "125°E" in ticks and "38.0°N" in ticks


def test_the_map_is_standalone_escapes_names_and_is_deterministic() -> None:
    data = sample()
    data["vessels"][0]["name"] = "BAD\x01NAME\x1b[2J"  # control characters: not XML
    svg = map_svg(data)
    root = parse(svg)
    assert "<img" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert XSS in texts  # shown as text
    assert "BAD\ufffdNAME\ufffd[2J" in texts
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert f"Encounter with {XSS} (352009999), 1.0 h" in titles
    assert not root.findall(".//svg:script", NS) and not root.findall(".//svg:image", NS)
    assert "href" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert map_svg(data) == svg


def test_a_map_with_nothing_to_draw_is_still_a_map() -> None:
    data = sample() | {"vessels": [], "events": [], "gaps": []}
    root = parse(map_svg(data, width=600, height=400))
    assert root.get("width") == "600" and root.get("height") == "400"
    assert root.findall(".//svg:g[@class='land']/svg:path", NS)  # the ports' region
    assert not root.findall(".//svg:g[@class='tracks']/svg:path", NS)


def test_land_is_clipped_to_the_view() -> None:
    # a square ring twice the view's size comes back as the view's box
    x = [-100.0, 300.0, 300.0, -100.0]
    y = [-100.0, -100.0, 300.0, 300.0]
    import numpy as np

    cx, cy = clip_ring(np.array(x), np.array(y), (0, 0, 200, 200))
    assert sorted(zip(cx.tolist(), cy.tolist(), strict=True)) == [
        (0, 0), (0, 200), (200, 0), (200, 200)
    ]  # fmt: skip
    view = View((124.0, 37.0, 126.0, 39.0), (0, 0, 400, 400))
    px, py = view.point(125.0, 38.0)
    assert px == 200.0 and 200.0 < py < 203.0  # Mercator: 38°N is a little below the middle
    assert view.point(125.0, 37.0)[1] == 400.0 and view.point(125.0, 39.0)[1] == 0.0
    assert view.x(124.0) >= 0 and view.x(126.0) <= 400.0


def timeline_event(kind: str, start_h: float, end_h: float | None, **more: Any) -> dict[str, Any]:
    start = ms_of("2024-03-01T00:00:00Z") + int(start_h * 3_600_000)
    end = None if end_h is None else start + int((end_h - start_h) * 3_600_000)
    return Event(kind, 352001234, start, end, 36.5, 123.5, **more).to_dict()


def test_the_timeline_svg_draws_the_page_layout() -> None:
    lanes = [
        LaneInput(
            f"{XSS} (352001234)",
            352001234,
            [
                timeline_event("gap", 30, 72),
                timeline_event("encounter", 10, 14, other_mmsi=352009999),
                timeline_event("identity", 50, 50.5, details={"kind": "name_change"}),
                timeline_event("loitering", 80, None),
            ],
        ),
        LaneInput("ANGARA (352009999)", 352009999, [timeline_event("port_call", 5, 9)]),
    ]
    laid = lay_out(lanes)
    svg = timeline_svg(laid)
    root = parse(svg)
    assert "<img" not in svg
    bars = root.findall(".//svg:g[@class='marks']/svg:rect", NS)
    diamonds = root.findall(".//svg:g[@class='marks']/svg:polygon", NS)
    assert len(bars) == 4 and len(diamonds) == 1
    for mark, bar in zip([m for m in laid.marks if m.bar], bars, strict=True):
        assert (float(bar.get("x", "")), float(bar.get("width", ""))) == (mark.x, mark.width)
    fills = {b.get("class"): b.get("fill") for b in bars}
    assert fills["ev ev-encounter"] == "#a4161a" and fills["ev ev-gap"] == "#6c757d"
    still_open = [b for b in bars if b.get("stroke-dasharray")]
    assert [b.get("class") for b in still_open] == ["ev ev-loitering"]
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert [t.label for t in laid.ticks] == [t for t in labels if t and t.startswith("03-0")]
    assert "ANGARA (352009999)" in labels
    assert timeline_svg(laid) == svg


def test_an_empty_timeline_says_so() -> None:
    root = parse(timeline_svg(lay_out([LaneInput("X (1)", 1, [])])))
    assert "No events" in "".join(root.itertext())


def test_events_can_carry_the_dossiers_numbers_next_to_their_markers() -> None:
    data = sample()
    data["events"][1] |= {"lon": 124.3, "lat": 38.2}  # on the encounter's spot
    root = parse(map_svg(data, event_labels={0: "1", 1: "2", 2: "<3>"}))
    labels = [t.text for t in root.findall(".//svg:text[@class='event-label']", NS)]
    assert labels == ["1, 2", "<3>"]  # one label where markers coincide; escaped
    plain = parse(map_svg(data))
    assert not plain.findall(".//svg:text[@class='event-label']", NS)
