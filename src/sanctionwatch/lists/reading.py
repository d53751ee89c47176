"""Reading list files safely: bounded-memory text decoding, CSV rows with line numbers, and
XML without DTDs, entity expansion or network access.

Official lists come from many publishers over many years: UTF-8 with or without a BOM,
Windows-1252 (the legacy UK list), CRLF line ends, a trailing DOS end-of-file byte (0x1A,
OFAC). These helpers absorb those differences once so that parsers see clean rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from sanctionwatch.errors import HostileInputError, InputError

HEAD_BYTES = 64 * 1024
# A DTD may only stand in the prolog, before the root element; we look at this much of it.
_PROLOG_LIMIT = 1024 * 1024
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of a file (for format detection)."""
    with path.open("rb") as handle:
        return handle.read(size)


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252``.

    Reads the file in 1 MiB chunks with an incremental decoder, so memory stays bounded.
    Raises :class:`InputError` for a file with NUL bytes (binary, or UTF-16) or undecodable bytes.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if b"\x00" in chunk:
                raise InputError(f"{path}: contains NUL bytes; not a text file (binary or UTF-16?)")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                break
        else:
            try:
                decoder.decode(b"", final=True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
    return "cp1252"


def iter_csv_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, row)`` for each CSV record of ``path`` (1-based physical line).

    A record may span several physical lines (quoted newlines); its number is the line it
    starts on. A trailing DOS end-of-file byte (0x1A) and blank lines are skipped.
    """
    encoding = encoding or detect_encoding(path)
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        lines = _LineCounter(handle)
        reader = csv.reader(lines)
        while True:
            start = lines.line_number + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{path}:{start}: malformed CSV ({exc})") from exc
            if not "".join(row).strip(" \t\r\n\x1a"):  # blank, or the DOS end-of-file byte
                continue
            yield start, row


class _LineCounter:
    """Iterator over a text file's lines that counts them (csv.reader's line_num counts records)."""

    def __init__(self, handle: io.TextIOBase) -> None:
        self._handle = handle
        self.line_number = 0

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = self._handle.readline()
        if not line:
            raise StopIteration
        self.line_number += 1
        return line


def check_xml_prolog(path: Path) -> None:
    """Reject XML that declares a DTD or entities: no sanctions list needs one, and they are
    the vehicle of entity-expansion ("billion laughs") and external-entity attacks."""
    with path.open("rb") as handle:
        head = handle.read(_PROLOG_LIMIT)
    root_start = re.search(rb"<[A-Za-z_]", head)
    prolog = head[: root_start.start()] if root_start else head
    for marker in _DTD_MARKERS:
        if marker in prolog.upper() or (marker == b"<!ENTITY" and marker in head.upper()):
            raise HostileInputError(
                f"{path}: declares a DTD or entities ({marker.decode()}); refused: sanctions "
                "lists never need them, and they are used for entity-expansion and "
                "external-entity attacks"
            )


def iter_xml_elements(path: Path, tags: set[str]) -> Iterator[etree._Element]:
    """Yield each completed element whose local name is in ``tags``, streaming the file.

    The caller must call ``element.clear()`` when done (memory stays bounded). Entities are
    never resolved and the network is never used. A syntax error (a truncated file, say)
    raises :class:`InputError` naming the file, line and column.
    """
    check_xml_prolog(path)
    context = etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for _event, element in context:
            if etree.QName(element).localname in tags:
                yield element
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(f"{path}:{line}: invalid XML at column {column}: {exc.msg}") from exc


def local_name(element: etree._Element) -> str:
    """The tag without its namespace."""
    return str(etree.QName(element).localname)
