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
    the vehicle of entity-expansion ("billion laughs") and external-entity attacks.

    The whole prolog is read, however long (a megabyte of comment must not push a DOCTYPE
    out of sight), as libxml2 would read it: in the encoding its first bytes show (UTF-8 and
    other ASCII-compatible ones, UTF-16, UTF-32). Only memory for one read chunk is held.
    A declared encoding outside :data:`XML_ENCODINGS` is refused (UTF-7, EBCDIC: a DOCTYPE
    in them is invisible to a byte scan).
    """
    with path.open("rb") as handle:
        _PrologScanner(handle, path).scan()


# Encodings a list may declare: the ASCII-compatible ones spell markup in plain bytes, and
# the UTF-16/32 ones are recognised from the first bytes, before the declaration.
XML_ENCODINGS = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1", "iso-8859-15"}
    | {"windows-1252", "cp1252", "utf-16", "utf-16le", "utf-16be", "utf-32", "ucs-4"}
)
_ENCODING = re.compile(r"""\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHUNK = 64 * 1024


class _PrologScanner:
    """Reads an XML prolog (declaration, comments, processing instructions, white space) up
    to the root element; raises HostileInputError at any markup declaration (``<!DOCTYPE``,
    ``<!ENTITY``, ...)."""

    def __init__(self, handle: io.BufferedReader, path: Path) -> None:
        self._handle = handle
        self._path = path
        first = handle.read(4)
        codec = _codec_from_first_bytes(first)
        if codec is None:
            raise InputError(f"{path}: XML in an encoding sanctionwatch does not read (EBCDIC?)")
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self._buffer = self._decoder.decode(first)

    def _more(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        chunk = self._handle.read(_CHUNK)
        self._buffer += self._decoder.decode(chunk, final=not chunk)
        return bool(chunk)

    def _starts(self, size: int) -> str:
        while len(self._buffer) < size and self._more():
            pass
        return self._buffer[:size]

    def _skip_past(self, terminator: str) -> str | None:
        """Drop everything up to and including ``terminator``; the first kilobyte of what
        was dropped (to read the XML declaration), or None at the end of the file."""
        kept = ""
        while True:
            found = self._buffer.find(terminator)
            if found >= 0:
                kept = (kept + self._buffer[:found])[:1024]
                self._buffer = self._buffer[found + len(terminator) :]
                return kept
            cut = max(0, len(self._buffer) - (len(terminator) - 1))
            kept = (kept + self._buffer[:cut])[:1024]
            self._buffer = self._buffer[cut:]
            if not self._more():
                return None

    def scan(self) -> None:
        first = True
        while True:
            self._buffer = self._buffer.lstrip("\ufeff \t\r\n")
            if not self._buffer:
                if not self._more():
                    return
                continue
            head = self._starts(4)
            if head.startswith("<?"):
                declaration = self._skip_past("?>")
                if declaration is None:
                    return
                if first:
                    self._check_encoding(declaration)
            elif head.startswith("<!--"):
                self._buffer = self._buffer[4:]
                if self._skip_past("-->") is None:
                    return
            elif head.startswith("<!"):
                raise HostileInputError(
                    f"{self._path}: declares a DTD or entities ({self._starts(9)}); refused: "
                    "sanctions lists never need them, and they are used for "
                    "entity-expansion and external-entity attacks"
                )
            else:
                return  # the root element (or text, which the parser reports)
            first = False

    def _check_encoding(self, declaration: str) -> None:
        found = _ENCODING.search(declaration)
        if found and found.group(1).lower() not in XML_ENCODINGS:
            raise InputError(
                f"{self._path}: declares the encoding {found.group(1)!r}, which sanctionwatch "
                f"does not read (use one of: {', '.join(sorted(XML_ENCODINGS))})"
            )


def _codec_from_first_bytes(first: bytes) -> str | None:
    """The codec libxml2 would pick from the first four bytes (XML 1.0, appendix F)."""
    for marks, codec in (
        ((b"\x00\x00\xfe\xff", b"\x00\x00\x00<"), "utf-32-be"),
        ((b"\xff\xfe\x00\x00", b"<\x00\x00\x00"), "utf-32-le"),
        ((b"\xfe\xff", b"\x00<\x00?"), "utf-16-be"),
        ((b"\xff\xfe", b"<\x00?\x00"), "utf-16-le"),
    ):
        if first.startswith(marks):
            return codec
    if first.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if first.startswith(b"Lo\xa7\x94"):
        return None
    return "latin-1"  # ASCII-compatible: markup is plain bytes; values do not matter here


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
    checked = False
    try:
        for _event, element in context:
            if not checked:  # a second look, by the parser itself: no DTD got through
                _refuse_parsed_dtd(element, path)
                checked = True
            if etree.QName(element).localname in tags:
                yield element
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(f"{path}:{line}: invalid XML at column {column}: {exc.msg}") from exc


def _refuse_parsed_dtd(element: etree._Element, path: Path) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id:
        raise HostileInputError(
            f"{path}: declares a DTD or entities (<!DOCTYPE); refused: sanctions lists "
            "never need them"
        )


def local_name(element: etree._Element) -> str:
    """The tag without its namespace."""
    return str(etree.QName(element).localname)
