"""The dossier's machine-readable exports, beside the PDF: what another tool can load.

- ``entities.ftm.json``: FollowTheMoney JSON lines, the format of OpenSanctions and Aleph.
  A ``Vessel`` for each ship of the case (as seen in AIS: names, MMSI, IMO numbers, flag,
  call signs), the list entities it is linked to exactly as the list store holds them (the
  version the link cites) with the entities they name (an operator's addresses: no id in
  the file points at nothing), and one ``UnknownLink`` per link (FtM has no "is the listed
  ship" schema: the link's ``role`` says how it was made, its ``description`` why and how
  sure, ``recordId`` the list record).
- ``tracks.geojson``: one LineString per vessel (the map's points, decimated as drawn),
  ``events.geojson``: one Point per event; RFC 7946 (WGS 84 longitude, latitude; no
  ``crs``).
- ``events.csv``, ``identities.csv``, ``links.csv``: the same facts as tables, every cell
  spreadsheet-safe (``safe_text.spreadsheet_safe``: a name starting with ``=`` is not run).

Output is deterministic (same data, same bytes): keys sorted, rows in the data's order.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model, registry

from sanctionwatch.config import Settings
from sanctionwatch.errors import StoreError
from sanctionwatch.lists.store import ListStore
from sanctionwatch.safe_text import spreadsheet_safe_row

ID_PREFIX = "sanctionwatch"
EVENT_FIELDS = ("id", "type", "mmsi", "other_mmsi", "partner", "start", "end", "lon", "lat",
                "port", "text")  # fmt: skip
IDENTITY_FIELDS = ("mmsi", "first_seen", "last_seen", "name", "imo", "imo_valid", "callsign",
                   "ship_type", "length", "width", "draught", "destination", "source")  # fmt: skip
LINK_FIELDS = ("mmsi", "entity_id", "caption", "list", "record", "list_version", "via",
               "confidence", "reason", "laundering", "list_source")  # fmt: skip


def write_exports(
    out_dir: Path,
    settings: Settings,
    *,
    vessels: Sequence[Mapping[str, Any]],
    map_data: Mapping[str, Any],
) -> list[Path]:
    """Write the exports of a case into ``out_dir`` (made if missing) and return their
    paths. ``vessels``: ``vessel_view`` outputs; ``map_data``: ``web.mapdata.map_data``'s
    answer for the case (the map's tracks and events)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        _write_lines(out_dir / "entities.ftm.json", ftm_entities(settings, vessels)),
        _write_json(out_dir / "tracks.geojson", tracks_geojson(map_data)),
        _write_json(out_dir / "events.geojson", events_geojson(map_data)),
        _write_csv(out_dir / "events.csv", EVENT_FIELDS, event_rows(map_data)),
        _write_csv(out_dir / "identities.csv", IDENTITY_FIELDS, identity_rows(vessels)),
        _write_csv(out_dir / "links.csv", LINK_FIELDS, link_rows(vessels)),
    ]
    return written


# -- FollowTheMoney ---------------------------------------------------------------------------


def vessel_id(mmsi: int) -> str:
    return f"{ID_PREFIX}-mmsi-{mmsi}"


def _links(view: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list((view.get("risk") or {}).get("links") or [])


def _identities(view: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list((view.get("identity") or {}).get("identities") or [])


def _list_record(link: Mapping[str, Any]) -> Mapping[str, Any]:
    """The link's evidence about its own list record (list, record, version, source): a
    link through a ship's operator cites the ship's record too."""
    records = [e for e in link.get("evidence", []) if e.get("kind") == "list_record"]
    own = [e for e in records if e.get("entity_id") == link.get("entity_id")]
    first: Mapping[str, Any] = (own or records or [{}])[0]
    return first


def vessel_entity(view: Mapping[str, Any]) -> dict[str, Any]:
    """A ship as AIS showed it, as an FtM ``Vessel``: the latest name (else "MMSI n"), the
    earlier names, every IMO number and call sign broadcast, the flag."""
    mmsi = int(view["mmsi"])
    identities = _identities(view)
    risk = view.get("risk") or {}
    names = [str(i["name"]) for i in identities if i.get("name")]
    name = risk.get("name") or (names[-1] if names else f"MMSI {mmsi}")
    entity = model.make_entity("Vessel")
    entity.id = vessel_id(mmsi)
    entity.add("name", name)
    entity.add("previousName", [n for n in dict.fromkeys(names) if n != name])
    entity.add("mmsi", str(mmsi))
    imos = [i.get("imo") for i in identities] + [risk.get("imo")]
    entity.add("imoNumber", [f"IMO{imo}" for imo in dict.fromkeys(imos) if imo])
    entity.add("callSign", [str(i["callsign"]) for i in identities if i.get("callsign")])
    flag = risk.get("flag") or (view.get("identity") or {}).get("mid_flag")
    entity.add("flag", flag)
    seen = view.get("identity") or {}
    if seen.get("first_position"):
        entity.add(
            "description",
            f"Seen in AIS from {seen['first_position']} to {seen.get('last_position')} "
            f"({seen.get('positions')} positions); sanctionwatch risk "
            f"{risk.get('score')} ({risk.get('level')}).",
        )
    return entity.to_dict()


def link_entity(mmsi: int, link: Mapping[str, Any]) -> dict[str, Any]:
    """How a ship is tied to a list entity, as an FtM ``UnknownLink`` (subject: the ship,
    object: the list entity)."""
    key = f"{mmsi}|{link['list']}|{link['entity_id']}|{link['via']}"
    entity = model.make_entity("UnknownLink")
    entity.id = f"{ID_PREFIX}-link-{hashlib.sha1(key.encode()).hexdigest()[:24]}"  # noqa: S324
    entity.add("subject", vessel_id(mmsi))
    entity.add("object", link["entity_id"])
    entity.add("role", f"linked via {link['via']}")
    entity.add(
        "description",
        f"{link['reason']} (confidence {float(link['confidence']):.2f}, "
        f"{link['list']} record {link['record']})",
    )
    entity.add("recordId", f"{link['list']}:{link['record']}")
    if link.get("laundering"):
        entity.add("summary", f"Broadcast under another identity: {link['laundering']}")
    return entity.to_dict()


def listed_entities(settings: Settings, links: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The list entities ``links`` point at, as the list store holds them in the version each
    link cites (the newest version when that one is gone), then the entities they name
    (an operator's addresses) from the same version, each once, in the links' order."""
    wanted: dict[str, tuple[str, str | None]] = {}
    for link in links:
        version = _list_record(link).get("version")
        wanted.setdefault(str(link["entity_id"]), (str(link["list"]), version))
    if not wanted or not settings.store_path.exists():
        return []
    found: dict[str, dict[str, Any]] = {}
    with ListStore(settings.store_path, writable=False) as store:
        for entity_id, (list_name, label) in wanted.items():
            stored = _stored_entity(store, list_name, label, entity_id)
            if stored is None:
                continue
            proxy, digests = stored
            found.setdefault(entity_id, proxy.to_dict())
            named = [v for prop, v in proxy.itervalues() if prop.type == registry.entity]
            for other in sorted(set(named) - set(found) - set(wanted)):
                if other in digests:
                    data = store.blobs([digests[other]])[digests[other]]
                    found[other] = model.get_proxy(data).to_dict()
    return list(found.values())


def _stored_entity(
    store: ListStore, list_name: str, label: str | None, entity_id: str
) -> tuple[EntityProxy, dict[str, str]] | None:
    """The entity in the version labelled ``label`` (else the newest that holds it), with
    that version's entity digests."""
    for version_label in dict.fromkeys([label, None]):
        try:
            version = store.find_version(list_name, version_label)
        except StoreError:
            continue
        digests = store.entity_digests(version.id)
        if entity_id in digests:
            return model.get_proxy(store.blobs([digests[entity_id]])[digests[entity_id]]), digests
    return None


def ftm_entities(settings: Settings, vessels: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The case's ships, the list entities they are linked to, and the links."""
    ships = [vessel_entity(view) for view in vessels]
    links = [(int(view["mmsi"]), link) for view in vessels for link in _links(view)]
    listed = listed_entities(settings, (link for _, link in links))
    ties = {e["id"]: e for e in (link_entity(mmsi, link) for mmsi, link in links)}
    return [*ships, *listed, *ties.values()]


# -- GeoJSON ----------------------------------------------------------------------------------


def _iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tracks_geojson(map_data: Mapping[str, Any]) -> dict[str, Any]:
    """One feature per vessel: a LineString of its drawn points (a Point when it has one,
    no geometry when none), with the times and speeds of the points and the indices of the
    silences (``breaks``: the segment from point i to i + 1 is a gap, not sailed)."""
    features = []
    for vessel in map_data.get("vessels", []):
        track = vessel["track"]
        coordinates = [[lon, lat] for lon, lat in zip(track["lon"], track["lat"], strict=True)]
        geometry: dict[str, Any] | None = None
        if len(coordinates) > 1:
            geometry = {"type": "LineString", "coordinates": coordinates}
        elif coordinates:
            geometry = {"type": "Point", "coordinates": coordinates[0]}
        properties = {
            "mmsi": vessel["mmsi"],
            "name": vessel.get("name"),
            "points": vessel.get("points", len(coordinates)),
            "decimated_from": vessel.get("decimated_from"),
            "times": [_iso(t) for t in track["t"]],
            "sog_kn": track["sog"],
            "breaks": vessel.get("breaks", []),
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def event_rows(map_data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The map's events with ISO 8601 times (UTC)."""
    return [
        {field: event.get(field) for field in EVENT_FIELDS}
        | {"start": _iso(event.get("start")), "end": _iso(event.get("end"))}
        for event in map_data.get("events", [])
    ]


def events_geojson(map_data: Mapping[str, Any]) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: v for k, v in row.items() if k not in ("lon", "lat")},
        }
        for row in event_rows(map_data)
    ]
    return {"type": "FeatureCollection", "features": features}


# -- tables -----------------------------------------------------------------------------------


def identity_rows(vessels: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every identity each ship broadcast, with the AIS file and line it came from."""
    return [
        {"mmsi": view["mmsi"]} | {f: identity.get(f) for f in IDENTITY_FIELDS if f != "mmsi"}
        for view in vessels
        for identity in _identities(view)
    ]


def link_rows(vessels: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for view in vessels:
        for link in _links(view):
            record = _list_record(link)
            rows.append(
                {"mmsi": view["mmsi"]}
                | {f: link.get(f) for f in LINK_FIELDS[1:]}
                | {"list_version": record.get("version"), "list_source": record.get("source")}
            )
    return rows


# -- writing ----------------------------------------------------------------------------------
# Text from data may hold a lone surrogate (JSON's "\ud800" escapes can make one), which is
# not UTF-8: "backslashreplace" writes it as its escape, which inside a JSON string is the
# same escape again, and in a CSV cell is visible text.


def _write_lines(path: Path, entities: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
        for entity in entities:
            out.write(json.dumps(entity, sort_keys=True, ensure_ascii=False) + "\n")
    return path


def _write_json(path: Path, data: dict[str, Any]) -> Path:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
        json.dump(data, out, sort_keys=True, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    return path


def _write_csv(path: Path, fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as out:
        writer = csv.DictWriter(out, list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(spreadsheet_safe_row(dict(row)) for row in rows)
    return path
