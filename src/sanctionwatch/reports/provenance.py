"""Where a dossier's AIS and event facts came from, read from the home's stores.

The position store keeps, for every position, the input file it came from, its line and
the ingest that stored it; the catalogue keeps each ingest's file and SHA-256. So each
vessel's track is traced to its files with their hashes and line ranges, and each event
to the positions it spans: from the last position at or before its start to the first at
or after its end (a gap's two ends), file by file. The event store keeps the parameters
each detector's stored events were computed with; the detectors' definitions are their
modules' docstrings (docs/behaviour.md cites their published sources).
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.dataset as pads

from sanctionwatch import __version__
from sanctionwatch.ais.model import iso_utc
from sanctionwatch.ais.store import POSITION_SCHEMA, PositionStore
from sanctionwatch.ais.tables import IngestRow
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.stored import EventStore

IntArray = npt.NDArray[np.int64]
# Detector modules by name (the registry keeps the detectors, not their modules).
_MODULES = {name: f"sanctionwatch.behaviour.detectors.{name}" for name in DETECTORS}


@dataclass(frozen=True)
class Rows:
    """One vessel's stored positions in time order with where each came from."""

    t_ms: IntArray
    line: IntArray
    ingest: IntArray
    source: list[str]  # per position: the input file's name


def read_rows(store: PositionStore, mmsis: list[int]) -> dict[int, Rows]:
    """The case's vessels' positions (time, line, ingest, file), in one pass over the
    Parquet files that can hold them; only those columns are read."""
    empty = Rows(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), [])
    files = store.files_holding(min(mmsis), max(mmsis)) if mmsis else []
    if not files:
        return dict.fromkeys(mmsis, empty)
    dataset = pads.dataset(files, schema=POSITION_SCHEMA, format="parquet")
    table = dataset.to_table(
        columns=["mmsi", "ts", "line", "ingest_id", "source"],
        filter=pads.field("mmsi").isin(mmsis),
    ).sort_by([("mmsi", "ascending"), ("ts", "ascending")])
    vessel = np.asarray(table.column("mmsi").to_numpy(), dtype=np.int64)
    t_ms = np.asarray(table.column("ts").cast(pa.int64()).to_numpy(), dtype=np.int64)
    line = np.asarray(table.column("line").to_numpy(), dtype=np.int64)
    ingest = np.asarray(table.column("ingest_id").to_numpy(), dtype=np.int64)
    source = table.column("source").cast(pa.string()).to_pylist()
    out = {}
    for mmsi in mmsis:
        lo, hi = (int(i) for i in np.searchsorted(vessel, [mmsi, mmsi + 1]))
        out[mmsi] = Rows(t_ms[lo:hi], line[lo:hi], ingest[lo:hi], source[lo:hi])
    return out


def ingest_files(store: PositionStore) -> dict[int, dict[str, Any]]:
    """Each ingest's file as named when ingested, its SHA-256 and format, by ingest id."""
    return {row.id: _ingest_json(row) for row in store.ingests()}


def _ingest_json(row: IngestRow) -> dict[str, Any]:
    return {
        "ingest": row.id,
        "file": row.file,
        "sha256": row.sha256,
        "format": row.format,
        "ingested": row.finished,
    }


def span_sources(
    rows: Rows, lo: int, hi: int, ingests: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The files of positions ``lo`` to ``hi`` (exclusive) of one vessel: per ingest and
    file, its SHA-256, the first and last line and the number of positions."""
    if hi <= lo:
        return []
    ingest = rows.ingest[lo:hi]
    line = rows.line[lo:hi]
    out = []
    for ingest_id in np.unique(ingest):
        mine = np.flatnonzero(ingest == ingest_id)
        known = ingests.get(int(ingest_id), {})
        out.append(
            {
                "file": rows.source[lo + int(mine[0])],
                "sha256": known.get("sha256"),
                "ingest": int(ingest_id),
                "lines": [int(line[mine].min()), int(line[mine].max())],
                "positions": len(mine),
                "from": iso_utc(int(rows.t_ms[lo + int(mine[0])])),
                "to": iso_utc(int(rows.t_ms[lo + int(mine[-1])])),
            }
        )
    return out


def track_sources(rows: Rows, ingests: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Where a vessel's whole stored track came from (span_sources over all of it)."""
    return span_sources(rows, 0, len(rows.t_ms), ingests)


def event_sources(
    event: Event, rows: dict[int, Rows], ingests: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The positions an event spans, of its vessel and of the other vessel of an encounter:
    from the last at or before its start to the first at or after its end."""
    out = []
    for mmsi in (event.mmsi, event.other_mmsi):
        if mmsi is None or mmsi not in rows:
            continue
        mine = rows[mmsi]
        end = event.end_ms if event.end_ms is not None else event.start_ms
        lo = max(int(np.searchsorted(mine.t_ms, event.start_ms, side="right")) - 1, 0)
        hi = min(int(np.searchsorted(mine.t_ms, end, side="left")) + 1, len(mine.t_ms))
        out += [{"mmsi": mmsi, **s} for s in span_sources(mine, lo, hi, ingests)]
    return out


def identity_source(source: str | None, ingests: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """An identity's ``file:line`` of first report with that file's SHA-256 (every ingest
    of a file of that name: the same name ingested twice has two)."""
    if not source:
        return {"file": None, "line": None, "sha256": []}
    name, _, line = source.rpartition(":")
    if not line.isdigit():
        name, line = source, ""
    hashes = sorted(
        {
            i["sha256"]
            for i in ingests.values()
            if i["file"] == name or i["file"].rsplit("/", 1)[-1] == name
        }
    )
    return {"file": name, "line": int(line) if line else None, "sha256": hashes}


def detector_states(stored: EventStore) -> dict[str, dict[str, Any]]:
    """Each detector's parameters as its stored events were computed with, and the last
    ingest they include, by detector name."""
    return {
        name: {"parameters": json.loads(params), "ingest": ingest}
        for name, params, ingest in stored.states()
    }


def parameter_notes() -> dict[str, dict[str, str]]:
    """What ``params.toml`` says of each default, by detector and parameter: its meaning
    and where it comes from ("(GFW)": Global Fishing Watch's published method, "(our
    choice)": this project's), from the comment on the parameter's line."""
    text = resources.files("sanctionwatch.behaviour").joinpath("params.toml").read_text("utf-8")
    notes: dict[str, dict[str, str]] = {}
    table, after_key = "", False
    block: list[str] = []  # the comment lines above some keys
    for raw in text.splitlines():
        line = raw.strip()
        if not line or (line.startswith("[") and line.endswith("]")):
            table = line[1:-1] if line else table
            block, after_key = [], False
        elif line.startswith("#"):
            block = [*([] if after_key else block), line.lstrip("# ")]
            after_key = False
        elif "=" in line:
            key, _, rest = line.partition("=")
            _, hash_mark, comment = rest.partition("#")
            said = comment.strip() if hash_mark else " ".join(block)
            if said:
                notes.setdefault(table, {})[key.strip()] = said
            after_key = True
    return notes


def detector_definitions(states: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every registered detector: its definition (its module's docstring), the version of
    sanctionwatch it is part of, the parameters in force for its stored events and what
    the defaults file says of each (its meaning and published source)."""
    notes = parameter_notes()
    out = []
    for name, module in sorted(_MODULES.items()):
        doc = (importlib.import_module(module).__doc__ or "").strip()
        state = states.get(name, {})
        out.append(
            {
                "detector": name,
                "version": f"sanctionwatch {__version__}",
                "definition": " ".join(doc.split()),
                "parameters": state.get("parameters"),
                "ingest": state.get("ingest"),
                "parameter_notes": notes.get(name, {}),
            }
        )
    return out
