"""OFAC's legacy CSV files: the SDN list (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the
consolidated non-SDN list (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv).

The files have no header; ``-0-`` marks an empty value (OFAC's dat_spec.txt). Each file's role
comes from its column count: 12 primary records, 6 addresses, 5 alternate names, 2 Remarks
overflow, all joined on ``ent_num``. ``parse`` gets every OFAC file the user named, groups them
into one set per primary file and returns one ParseResult per set. Entities are built in
:mod:`ofac_entities`; the Remarks text is read by :mod:`ofac_remarks`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats.ofac_entities import OfacRecord, build_entities
from sanctionwatch.lists.formats.ofac_remarks import REMARKS_WIDTH
from sanctionwatch.lists.model import ListFormat, ParseResult, Rejected
from sanctionwatch.lists.reading import iter_csv_rows, read_head

FORMAT_NAME = "ofac_csv"
PRIMARY, ADDRESS, ALIAS, COMMENTS = 12, 6, 5, 2
_ROLE_NAMES = {PRIMARY: "primary", ADDRESS: "address", ALIAS: "alias", COMMENTS: "comments"}
_LAYOUTS = {
    PRIMARY: "ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, "
    "GRT, Vess_flag, Vess_owner, Remarks",
    ADDRESS: "ent_num, add_num, address, city/state/postal code, country, add_remarks",
    ALIAS: "ent_num, alt_num, alt_type, alt_name, alt_remarks",
    COMMENTS: "ent_num, remarks overflow",
}
_SDN_TYPES = {"individual", "vessel", "aircraft", "-0-"}
_ALT_TYPES = {"aka", "fka", "nka"}
_SNIFF_ROWS = 25


def sniff_layout(head: bytes) -> int | None:
    """The column count (12, 6, 5 or 2) of an OFAC legacy CSV head, or None if it is not one.

    Most of the first records (a broken row may sit among them) must share one column count
    and start with a numeric ent_num; 12-, 6- and 5-column files must show OFAC's ``-0-``
    empty marker and their typed column (SDN_Type, add_num or alt_type); the 2-column
    overflow file holds text only.
    """
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if len(head) and not text.endswith(("\n", "\r", "\x1a")):
        text = text[: max(text.rfind("\n"), 0)]  # drop a record cut by the head's end
    rows = [
        row
        for row in _head_rows(text)
        if row and not all(cell.strip() in ("", "\x1a") for cell in row)
    ][:_SNIFF_ROWS]
    if not rows:
        return None
    width = Counter(len(row) for row in rows).most_common(1)[0][0]
    good = [row for row in rows if len(row) == width and row[0].strip().isdigit()]
    if width not in _ROLE_NAMES or 2 * len(good) <= len(rows):
        return None
    if width == COMMENTS:
        return width if all(row[1].strip() for row in good) else None
    if "-0-" not in text:
        return None
    if width == PRIMARY:
        ok = all(row[2].strip().lower() in _SDN_TYPES for row in good)
    elif width == ADDRESS:
        ok = all(row[1].strip().isdigit() for row in good)
    else:
        ok = all(row[1].strip().isdigit() and row[2].strip() in _ALT_TYPES for row in good)
    return width if ok else None


def _head_rows(text: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error:
        return


def sniff(head: bytes, path: Path) -> bool:
    """Whether ``head`` (the first bytes of ``path``) is one of OFAC's legacy CSV files."""
    return sniff_layout(head) is not None


def list_kind(path: Path) -> str:
    """``"ofac_cons"`` for the consolidated non-SDN files, else ``"ofac_sdn"``.

    Both lists share one layout and their content has no marker of which list it is; OFAC
    names every consolidated file ``cons_*.csv``, so the file name is the only reliable cue.
    """
    return "ofac_cons" if path.name.lower().startswith("cons_") else "ofac_sdn"


def parse(paths: Sequence[Path]) -> list[ParseResult]:
    """Read OFAC legacy CSV files: one ParseResult per primary file (sdn.csv/cons_prim.csv),
    joined with the address, alias and overflow files of the same list.

    Raises InputError for a file that is not an OFAC CSV, for auxiliary files whose primary
    file was not given, and when an auxiliary file could belong to several primary files.
    """
    paths = list(dict.fromkeys(paths))  # a file named twice is read once
    roles: dict[Path, int] = {}
    for path in paths:
        layout = sniff_layout(read_head(path))
        if layout is None:
            raise InputError(
                f"{path}:1: not an OFAC legacy CSV file (expected headerless rows starting "
                "with a numeric ent_num, 12, 6, 5 or 2 columns, '-0-' for empty values)"
            )
        roles[path] = layout
    primaries = [path for path in paths if roles[path] == PRIMARY]
    joined: dict[Path, list[Path]] = {path: [] for path in primaries}
    for path in paths:
        if roles[path] != PRIMARY:
            joined[_primary_for(path, roles[path], primaries)].append(path)
    return [_parse_set(primary, joined[primary], roles) for primary in primaries]


def _primary_for(path: Path, role: int, primaries: list[Path]) -> Path:
    kind = list_kind(path)
    candidates = [p for p in primaries if list_kind(p) == kind]
    primary_name = "cons_prim.csv" if kind == "ofac_cons" else "sdn.csv"
    if not candidates:
        raise InputError(
            f"{path}: an OFAC {_ROLE_NAMES[role]} file ({kind}) only adds to the list's "
            f"primary file; load it together with {primary_name} from the same download"
        )
    if len(candidates) > 1:
        candidates = [p for p in candidates if p.parent == path.parent]
    if len(candidates) != 1:
        raise InputError(
            f"{path}: several OFAC primary files of the same list were given and none is in "
            f"the same folder as this {_ROLE_NAMES[role]} file; load one set at a time"
        )
    return candidates[0]


def _parse_set(primary: Path, auxiliary: list[Path], roles: dict[Path, int]) -> ParseResult:
    result = ParseResult(
        list_name=list_kind(primary),
        format_name=FORMAT_NAME,
        files=[primary.name, *(path.name for path in auxiliary)],
        version=None,  # OFAC's CSV files state no publication date
    )
    records = _read_primary(primary, result)
    # Overflow first, so that Remarks are whole before the entities are built.
    for path in sorted(auxiliary, key=lambda p: roles[p] != COMMENTS):
        for line, row in _rows_of_width(path, roles[path], result):
            record = records.get(row[0].strip())
            if record is None:
                result.rejected.append(
                    _rejected(
                        path,
                        line,
                        f"no primary record for ent_num {row[0].strip()} in {primary.name}",
                        row,
                    )
                )
            elif roles[path] == COMMENTS:
                _append_overflow(record, path, line, row, result)
            elif roles[path] == ALIAS:
                record.aliases.append((path.name, line, [_value(cell) for cell in row]))
            else:
                record.addresses.append((path.name, line, [_value(cell) for cell in row]))
    result.entities.extend(build_entities(primary.name, list(records.values()), result))
    return result


def _read_primary(path: Path, result: ParseResult) -> dict[str, OfacRecord]:
    records: dict[str, OfacRecord] = {}
    for line, row in _rows_of_width(path, PRIMARY, result):
        ent_num = row[0].strip()
        name = _value(row[1])
        if name is None:
            result.rejected.append(_rejected(path, line, "no SDN_Name", row))
            continue
        if ent_num in records:
            first = records[ent_num].line
            result.rejected.append(
                _rejected(path, line, f"duplicate ent_num {ent_num} (first at line {first})", row)
            )
            continue
        cells = [_value(cell) for cell in row]
        remarks = None if cells[11] is None else row[11]
        records[ent_num] = OfacRecord(ent_num, line, cells, remarks)
    return records


def _rows_of_width(path: Path, width: int, result: ParseResult) -> Iterator[tuple[int, list[str]]]:
    """Rows of the expected width with a numeric ent_num; the others are rejected."""
    for line, row in iter_csv_rows(path):
        if len(row) != width:
            reason = f"expected {width} columns ({_LAYOUTS[width]}), found {len(row)}"
            result.rejected.append(_rejected(path, line, reason, row))
        elif not row[0].strip().isdigit():
            reason = f"ent_num {row[0].strip()!r} is not a number"
            result.rejected.append(_rejected(path, line, reason, row))
        else:
            yield line, row


def _append_overflow(
    record: OfacRecord, path: Path, line: int, row: list[str], result: ParseResult
) -> None:
    # OFAC cuts Remarks at the column width and continues them in the overflow file. Remarks
    # shorter than that are whole: an overflow row for them comes from another edition of
    # the list (files from different downloads), and appending it would garble them.
    current = record.remarks or ""
    if len(current) < REMARKS_WIDTH:
        reason = (
            f"overflow for ent_num {record.ent_num}, whose Remarks in the primary file are "
            f"complete ({len(current)} characters, not cut at {REMARKS_WIDTH}): the files "
            "come from different editions of the list"
        )
        result.rejected.append(_rejected(path, line, reason, row))
        return
    record.remarks = current + row[1]


def _value(cell: str) -> str | None:
    value = cell.strip()
    return None if value in ("", "-0-") else value


def _rejected(path: Path, line: int, reason: str, row: list[str]) -> Rejected:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row)  # the row as OFAC wrote it
    return Rejected(file=path.name, line=line, reason=reason, raw=buffer.getvalue()[:2000])


FORMAT = ListFormat(
    name=FORMAT_NAME,
    description="OFAC legacy CSV: SDN (sdn/add/alt/sdn_comments.csv) and consolidated non-SDN "
    "(cons_prim/cons_add/cons_alt/cons_comments.csv)",
    sniff=sniff,
    parse=parse,
)
