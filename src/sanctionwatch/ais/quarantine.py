"""The quarantine file of one ingest: rejected lines with line number, reason and text.

Bounded whatever the input: at most ``quarantine_rows`` rows are kept (the counts by reason
stay exact; a last row says how many more were not kept), each text cut to
``quarantine_text_chars`` characters. Rows whose text the reader did not keep (positions
that failed the checks after decoding, static reports without an MMSI) get the line's text
in one pass over the input at the end; only the kept rows' line numbers are held for that.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from sanctionwatch.ais.input_limits import IngestLimits
from sanctionwatch.ais.model import Rejected


class Quarantine:
    """Writes the rejected rows of one file; ``close`` then ``restore_texts``."""

    def __init__(self, path: Path, file_name: str, limits: IngestLimits) -> None:
        self.path = path
        self.file_name = file_name
        self.max_rows = limits.quarantine_rows
        self.max_chars = limits.quarantine_text_chars
        self.kept = 0
        self.not_kept = 0
        self.needs_text: set[int] = set()  # lines of kept rows whose text is to be read back
        self.handle: TextIO = path.open("w", encoding="utf-8")

    def write(self, row: Rejected, *, text_later: bool = False) -> None:
        """Keep ``row`` if there is room (``text_later``: its text is the line's, read back
        from the input by ``restore_texts``)."""
        if self.kept >= self.max_rows:
            self.not_kept += 1
            return
        self.kept += 1
        if text_later:
            self.needs_text.add(row.line)
        self.handle.write(self._json(row.line, row.reason, row.text))

    def close(self) -> None:
        if self.not_kept:
            reason = (
                f"{self.not_kept:,} more rejected lines not kept (the limit is "
                f"{self.max_rows:,} a file): the reason counts are still exact"
            )
            self.handle.write(self._json(None, reason, ""))
        self.handle.close()

    def restore_texts(self, lines: Iterable[bytes]) -> None:
        """Give the rows that asked for it their line's text, from ``lines`` (the input's
        physical lines, first is line 1, as bounded by the line limiter)."""
        if not self.needs_text:
            return
        texts: dict[int, str] = {}
        last = max(self.needs_text)
        for number, raw in enumerate(lines, start=1):
            if number in self.needs_text:
                texts[number] = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if number >= last:
                break
        staged = self.path.with_suffix(".restoring")
        with self.path.open(encoding="utf-8") as rows, staged.open("w", encoding="utf-8") as out:
            for text in rows:
                row = json.loads(text)
                if row["line"] in texts:
                    row["text"] = texts[row["line"]]
                    text = self._json(row["line"], row["reason"], row["text"])
                out.write(text)
        os.replace(staged, self.path)

    def _json(self, line: int | None, reason: str, text: str) -> str:
        if len(text) > self.max_chars:
            text = f"{text[: self.max_chars]}... ({len(text):,} characters)"
        row = {"file": self.file_name, "line": line, "reason": reason, "text": text}
        return json.dumps(row, ensure_ascii=False) + "\n"
