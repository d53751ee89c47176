"""FollowTheMoney entities as JSON lines (the OpenSanctions and Aleph export format).

One entity per line: ``{"id", "schema", "properties": {prop: [values]}}`` plus optional
context keys (``caption``, ``datasets``, ``referents``, ``first_seen``, ``last_seen``,
``last_change``, ``target``), kept as given. Files may be plain or gzip-compressed.

Entity ids are foreign ids (OpenSanctions' ``NK-...``, ``ofac-...``) and are kept exactly as
given. Every line is validated against the FtM model: a line that is not JSON, lacks an id,
names an unknown schema or a property its schema lacks is :class:`Rejected` with its line
number; values FtM drops on cleaning (a date it cannot read, say) are counted as warnings.
The same validation guards :func:`write_ftm_json`, so what we export FtM reads back whole.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData
from followthemoney.util import sanitize_text

from sanctionwatch.errors import InputError
from sanctionwatch.lists.model import ListEntity, ListFormat, ParseResult, Rejected

FORMAT_NAME = "ftm_json"
LIST_NAME = "ftm"
GZIP_MAGIC = b"\x1f\x8b"
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_RAW_LIMIT = 2000
_ENTITY_KEYS = ("id", "schema", "properties")
# Enough decompressed text to see the first entity of a gzip file when sniffing.
_SNIFF_INFLATE_LIMIT = 256 * 1024


class InvalidEntity(ValueError):
    """A JSON value that is not a valid FtM entity; the message says why."""


def sniff(head: bytes, path: Path) -> bool:
    """The first non-empty line (after gunzip when the head is gzip) is a JSON object with
    ``schema`` and ``properties`` keys."""
    if head.startswith(GZIP_MAGIC):
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            head = inflater.decompress(head, _SNIFF_INFLATE_LIMIT)
        except zlib.error:
            return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    first, newline, _rest = text.partition("\n")
    try:
        data = json.loads(first)
    except ValueError:
        # A first entity longer than the head: judge by its opening keys.
        return (
            not newline
            and first.startswith("{")
            and all(f'"{key}"' in first for key in ("schema", "properties"))
        )
    return isinstance(data, dict) and "schema" in data and "properties" in data


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """One :class:`ParseResult` per file (each file is one export of one dataset)."""
    return [parse_file(path) for path in paths]


def parse_file(path: Path) -> ParseResult:
    """Read one FtM JSON lines file, plain or gzip.

    Returns every valid entity, wrapped with ``record_id`` = its id and ``source`` =
    ``file:line``. ``list_name`` is ``ftm-<dataset>`` when every entity names the same single
    dataset, else ``ftm``; ``version`` is the newest ``last_change``/``last_seen`` date.
    Raises :class:`InputError` for an unreadable or corrupt file, or when no line at all is
    an FtM entity (then it is not this format).
    """
    result = ParseResult(list_name=LIST_NAME, format_name=FORMAT_NAME, files=[path.name])
    entities: dict[str, tuple[ListEntity, int]] = {}
    datasets: set[tuple[str, ...]] = set()
    dates: list[str] = []
    for line_number, text, problem in _iter_lines(path):
        try:
            if problem:
                raise InvalidEntity(problem)
            data = json.loads(text)
            proxy, dropped = entity_from_dict(data)
        except ValueError as exc:  # JSONDecodeError and InvalidEntity
            result.rejected.append(_rejected(path, line_number, exc, text))
            continue
        for value in dropped:
            result.warnings.append(f"{path.name}:{line_number}: {proxy.id}: FtM dropped {value}")
        if proxy.id in entities:
            if not _merge(path, line_number, proxy, entities, result):
                result.rejected.append(
                    Rejected(
                        path.name, line_number, _incompatible(proxy, entities), text[:_RAW_LIMIT]
                    )
                )
            continue
        entity = ListEntity(proxy, record_id=str(proxy.id), source=f"{path.name}:{line_number}")
        entities[str(proxy.id)] = (entity, line_number)
        datasets.add(tuple(_strings(data.get("datasets"))))
        dates += [d[:10] for k in ("last_change", "last_seen") for d in _strings(data.get(k))]
    if not entities and result.rejected:
        first = result.rejected[0]
        raise InputError(
            f"{path}:{first.line}: no FollowTheMoney entity in this file ({first.reason})"
        )
    result.entities = [entity for entity, _line in entities.values()]
    result.list_name = _list_name(datasets)
    result.version = max((d for d in dates if _ISO_DAY.match(d)), default=None)
    return result


def entity_from_dict(data: Any) -> tuple[EntityProxy, list[str]]:
    """Validate one decoded JSON value as an FtM entity.

    Returns the cleaned proxy (id kept exactly as given, context keys such as ``datasets``
    kept) and a description of every value FtM dropped on cleaning. Raises
    :class:`InvalidEntity` when the value is no entity: not an object, no id, unknown or
    abstract schema, a property the schema lacks, or values that are not strings.
    """
    if not isinstance(data, dict):
        raise InvalidEntity(f"not a JSON object but {type(data).__name__}")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise InvalidEntity("missing id")
    schema = model.get(data.get("schema") or "")
    if schema is None:
        raise InvalidEntity(f"unknown schema {data.get('schema')!r}")
    if schema.abstract:
        raise InvalidEntity(f"abstract schema {schema.name!r} cannot hold an entity")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise InvalidEntity("properties is not a JSON object")
    context = {k: v for k, v in data.items() if k not in _ENTITY_KEYS}
    proxy = model.get_proxy({"id": entity_id, "schema": schema.name, **context}, cleaned=False)
    if proxy.id != entity_id:
        raise InvalidEntity(f"id {entity_id!r} is not clean text")
    dropped = []
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None:
            raise InvalidEntity(f"property {name!r} is not in schema {schema.name}")
        for value in _values(name, values):
            text = sanitize_text(value)
            if text is None:
                continue  # blank: nothing to keep
            if prop.stub or proxy.unsafe_add(prop, text) is None:
                dropped.append(f"{name}={value!r}")
    return proxy, dropped


def write_ftm_json(entities: Iterable[Mapping[str, Any]], handle: TextIO) -> int:
    """Write entity dicts (``{"id", "schema", "properties", ...}``) as FtM JSON lines.

    Each entity is validated and cleaned as :func:`parse_file` would read it, so every line
    written passes ``model.get_proxy(data, cleaned=False)`` and reads back identical.
    Returns the number of lines written. Raises :class:`InputError` naming the entity when
    one is invalid or holds a value FtM would drop (nothing is lost silently).
    """
    count = 0
    for index, data in enumerate(entities, start=1):
        try:
            proxy, dropped = entity_from_dict(dict(data))
        except InvalidEntity as exc:
            raise InputError(f"entity {index} ({data.get('id')!r}): {exc}") from exc
        if dropped:
            raise InputError(
                f"entity {index} ({proxy.id}): values FtM would drop: {', '.join(dropped)}"
            )
        line = {"id": proxy.id, "schema": proxy.schema.name, "properties": proxy.properties}
        line.update(sorted((k, v) for k, v in proxy.context.items() if k not in _ENTITY_KEYS))
        handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def _iter_lines(path: Path) -> Iterator[tuple[int, str, str]]:
    """``(line_number, text, problem)`` for each non-empty line, gunzipping as it streams;
    ``problem`` is "" or why the line cannot be text."""
    line_number = 0
    try:
        with path.open("rb") as probe:
            compressed = probe.read(2) == GZIP_MAGIC
        with gzip.open(path, "rb") if compressed else path.open("rb") as handle:
            for raw in handle:
                line_number += 1
                problem = ""
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    text = raw.decode("utf-8", errors="replace")
                    problem = f"invalid UTF-8 at byte offset {exc.start}"
                text = text.lstrip("\ufeff").strip()
                if text:
                    yield line_number, text, problem
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}:{line_number + 1}: cannot read ({exc})") from exc


def _rejected(path: Path, line: int, exc: ValueError, text: str) -> Rejected:
    if isinstance(exc, json.JSONDecodeError):
        reason = f"invalid JSON: {exc.msg} at column {exc.colno}"
    else:
        reason = str(exc)
    return Rejected(file=path.name, line=line, reason=reason, raw=text[:_RAW_LIMIT])


def _merge(
    path: Path,
    line: int,
    proxy: EntityProxy,
    entities: dict[str, tuple[ListEntity, int]],
    result: ParseResult,
) -> bool:
    """Merge a repeated id into the first entity (FtM fragments); False when the schemata clash."""
    first, first_line = entities[str(proxy.id)]
    try:
        first.proxy.merge(proxy)
    except InvalidData:
        return False
    first.source = f"{path.name}:{first_line}-{line}"
    result.warnings.append(f"{path.name}:{line}: {proxy.id} repeats line {first_line}; merged")
    return True


def _incompatible(proxy: EntityProxy, entities: dict[str, tuple[ListEntity, int]]) -> str:
    first, first_line = entities[str(proxy.id)]
    return (
        f"id {proxy.id} repeats line {first_line} with schema {proxy.schema.name}, "
        f"incompatible with {first.proxy.schema.name}"
    )


def _values(name: str, values: Any) -> list[str]:
    """A property's values as strings: a list of strings, or one bare string."""
    if isinstance(values, str):
        return [values]
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return values
    raise InvalidEntity(f"property {name!r}: values must be strings")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _list_name(datasets: set[tuple[str, ...]]) -> str:
    """``ftm-<dataset>`` when every entity names the same single dataset, else ``ftm``."""
    if len(datasets) == 1:
        (names,) = datasets
        if len(names) == 1 and _DATASET_NAME.match(names[0]):
            return f"{LIST_NAME}-{names[0]}"
    return LIST_NAME


FORMAT = ListFormat(
    name=FORMAT_NAME,
    description="FollowTheMoney entities as JSON lines (OpenSanctions exports), plain or gzip",
    sniff=sniff,
    parse=parse,
)
