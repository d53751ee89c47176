"""FollowTheMoney JSON lines: the OpenSanctions-style excerpt in tests/data/lists/ftm (see its
README for provenance), gzip input, bad lines, and the writer's round trip."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats.ftm_json import FORMAT, parse, parse_file, sniff, write_ftm_json
from sanctionwatch.lists.model import ParseResult, entity_data
from sanctionwatch.lists.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "lists"
FIXTURE = DATA / "ftm" / "opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json"
EU_FIXTURE = DATA / "eu" / "eu_fsf_excerpt.xml"
OFAC_FILE = Path(__file__).resolve().parents[3] / "data" / "lists" / "ofac" / "sdn_2024-05-03.csv"


def line(entity_id: str, schema: str = "Person", **extra: Any) -> str:
    data: dict[str, Any] = {"id": entity_id, "schema": schema, "properties": {"name": [entity_id]}}
    data.update(extra)
    return json.dumps(data)


def write_lines(tmp_path: Path, lines: list[str], name: str = "entities.ftm.json") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_file(FIXTURE)


def test_fixture_loads_whole(result: ParseResult) -> None:
    schemata = Counter(e.proxy.schema.name for e in result.entities)
    assert (result.list_name, result.format_name, result.version) == (
        "ftm-us_ofac_sdn",
        "ftm_json",
        "2024-05-03",
    )
    assert schemata == {
        "Person": 4,
        "Passport": 1,
        "Organization": 2,
        "Vessel": 2,
        "Sanction": 8,
        "UnknownLink": 2,
    }
    assert (result.rejected, result.warnings) == ([], [])


def test_ids_kept_as_given_with_line_provenance(result: ParseResult) -> None:
    assert [e.entity_id for e in result.entities[:4]] == [
        "ofac-20157",
        "ofac-20157-sanction",
        "ofac-20601",
        "ofac-20601-passport-290410121",
    ]
    assert all(e.record_id == e.entity_id for e in result.entities)
    assert result.entities[0].source == f"{FIXTURE.name}:1"
    assert result.entities[18].source == f"{FIXTURE.name}:19"


def test_vessel_fields_and_context(result: ParseResult) -> None:
    vessel = next(e.proxy for e in result.entities if e.entity_id == "ofac-23729")
    assert entity_data(vessel) == {
        "id": "ofac-23729",
        "schema": "Vessel",
        "properties": {
            "flag": ["kp"],
            "imoNumber": ["IMO8660313"],
            "name": ["CHON MA SAN"],
            "topics": ["sanction"],
        },
    }
    assert vessel.context["datasets"] == ["us_ofac_sdn"]
    assert vessel.context["target"] is True
    assert vessel.context["last_change"] == "2018-03-01T00:00:00"


def test_gzip_gives_the_same_entities(tmp_path: Path, result: ParseResult) -> None:
    packed = tmp_path / "entities.ftm.json.gz"
    packed.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    unpacked = parse_file(packed)
    assert sniff(read_head(packed), packed)
    assert [e.proxy.to_dict() for e in unpacked.entities] == [
        e.proxy.to_dict() for e in result.entities
    ]
    assert (unpacked.list_name, unpacked.version) == ("ftm-us_ofac_sdn", "2024-05-03")
    assert unpacked.entities[2].source == "entities.ftm.json.gz:3"


def test_sniff(tmp_path: Path) -> None:
    assert sniff(read_head(FIXTURE), FIXTURE)
    assert not sniff(read_head(EU_FIXTURE), EU_FIXTURE)
    assert not sniff(read_head(OFAC_FILE), OFAC_FILE)
    assert sniff(b"\n\n" + line("a").encode() + b"\n", Path("x"))
    assert not sniff(b'{"id": "a", "schema": "Person"}\n', Path("x"))
    # A first entity longer than the head, and gzip of something else.
    assert sniff(b'{"id": "a", "schema": "Person", "properties": {"notes": ["xxxxx', Path("x"))
    assert not sniff(gzip.compress(b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\n"), Path("x"))
    assert FORMAT.name == "ftm_json"


def test_bad_lines_rejected_with_reasons_rest_loaded(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        [
            line("ok-1"),
            '{"id": "broken", "schema": "Person", "properties": ',
            json.dumps({"schema": "Person", "properties": {"name": ["No Id"]}}),
            line("ok-2", schema="Starship"),
            json.dumps({"id": "x", "schema": "Vessel", "properties": {"birthDate": ["1950"]}}),
            json.dumps({"id": "y", "schema": "Person", "properties": {"name": [{"a": 1}]}}),
            "[1, 2]",
            line("thing", schema="Thing"),
            "",
            line("ok-3", schema="Vessel"),
        ],
    )
    result = parse_file(path)
    assert [e.entity_id for e in result.entities] == ["ok-1", "ok-3"]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (2, "invalid JSON: Expecting value at column 51"),
        (3, "missing id"),
        (4, "unknown schema 'Starship'"),
        (5, "property 'birthDate' is not in schema Vessel"),
        (6, "property 'name': values must be strings"),
        (7, "not a JSON object but list"),
        (8, "abstract schema 'Thing' cannot hold an entity"),
    ]
    assert result.rejected[1].raw.startswith('{"schema": "Person"')
    assert all(r.file == "entities.ftm.json" for r in result.rejected)


def test_invalid_utf8_line_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bytes.ftm.json"
    path.write_bytes(line("ok").encode() + b"\n" + b'{"id": "\xff"}\n')
    result = parse_file(path)
    assert [e.entity_id for e in result.entities] == ["ok"]
    assert [(r.line, r.reason) for r in result.rejected] == [(2, "invalid UTF-8 at byte offset 8")]


def test_values_ftm_drops_are_warnings(tmp_path: Path) -> None:
    data = {
        "id": "p1",
        "schema": "Person",
        "properties": {
            "name": ["Ri Il"],
            "birthDate": ["circa 1950s", "1950"],
            "country": ["Atlantis"],
        },
    }
    result = parse_file(write_lines(tmp_path, [json.dumps(data)]))
    assert entity_data(result.entities[0].proxy)["properties"] == {
        "birthDate": ["1950"],
        "name": ["Ri Il"],
    }
    assert result.warnings == [
        "entities.ftm.json:1: p1: FtM dropped birthDate='circa 1950s'",
        "entities.ftm.json:1: p1: FtM dropped country='Atlantis'",
    ]


def test_list_name_and_version_need_agreeing_datasets_and_dates(tmp_path: Path) -> None:
    mixed = parse_file(
        write_lines(
            tmp_path,
            [line("a", datasets=["us_ofac_sdn"]), line("b", datasets=["gb_hmt_sanctions"])],
        )
    )
    assert (mixed.list_name, mixed.version) == ("ftm", None)
    several = parse_file(write_lines(tmp_path, [line("a", datasets=["x", "y"])]))
    assert several.list_name == "ftm"
    dated = parse_file(
        write_lines(
            tmp_path,
            [
                line("a", datasets=["un_sc_sanctions"], last_change="2023-02-01T10:00:00"),
                line("b", datasets=["un_sc_sanctions"], last_seen="2024-03-09T08:00:00"),
            ],
        )
    )
    assert (dated.list_name, dated.version) == ("ftm-un_sc_sanctions", "2024-03-09")


def test_repeated_id_is_merged(tmp_path: Path) -> None:
    fragment = {"id": "v1", "schema": "Vessel", "properties": {"imoNumber": ["IMO8660313"]}}
    result = parse_file(
        write_lines(tmp_path, [line("v1", schema="Vessel"), line("other"), json.dumps(fragment)])
    )
    merged = result.entities[0]
    assert entity_data(merged.proxy)["properties"] == {"imoNumber": ["IMO8660313"], "name": ["v1"]}
    assert merged.source == "entities.ftm.json:1-3"
    assert result.warnings == ["entities.ftm.json:3: v1 repeats line 1; merged"]
    clash = parse_file(
        write_lines(tmp_path, [line("v1", schema="Vessel"), line("v1", schema="Person")])
    )
    assert [(r.line, r.reason) for r in clash.rejected] == [
        (2, "id v1 repeats line 1 with schema Person, incompatible with Vessel")
    ]


def test_file_without_any_entity_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"notes\.txt:1: no FollowTheMoney entity"):
        parse_file(write_lines(tmp_path, ["just some notes", "more notes"], name="notes.txt"))


def test_truncated_gzip_raises_with_line(tmp_path: Path) -> None:
    packed = gzip.compress(FIXTURE.read_bytes())
    path = tmp_path / "cut.ftm.json.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match=r"cut\.ftm\.json\.gz:\d+: cannot read"):
        parse_file(path)


def test_round_trip_through_writer(tmp_path: Path, result: ParseResult) -> None:
    buffer = io.StringIO()
    count = write_ftm_json((e.proxy.to_dict() for e in result.entities), buffer)
    written = buffer.getvalue().splitlines()
    assert count == len(written) == 19
    for text in written:
        data = json.loads(text)
        proxy = model.get_proxy(data, cleaned=False)
        assert set(data["properties"]) <= set(proxy.schema.properties)
        assert proxy.to_dict()["properties"] == data["properties"]
        assert proxy.id == data["id"]
    again = parse([write_lines(tmp_path, written, name="again.ftm.json")])[0]
    assert [e.proxy.to_dict() for e in again.entities] == [
        e.proxy.to_dict() for e in result.entities
    ]
    assert (again.list_name, again.version, again.warnings) == (
        result.list_name,
        result.version,
        [],
    )


def test_writer_refuses_what_ftm_would_not_read_back() -> None:
    with pytest.raises(InputError, match=r"entity 1 \('x'\): unknown schema 'Starship'"):
        write_ftm_json([{"id": "x", "schema": "Starship", "properties": {}}], io.StringIO())
    bad_date = {"id": "p", "schema": "Person", "properties": {"birthDate": ["12 Mar 1945"]}}
    with pytest.raises(InputError, match="values FtM would drop: birthDate='12 Mar 1945'"):
        write_ftm_json([bad_date], io.StringIO())
