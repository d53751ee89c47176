"""Text from data made safe for where it is shown: a terminal, a spreadsheet, a UTF-8 stream.

Names come from sanctions lists, AIS broadcasts and users' own files; any of them may hold
what a terminal obeys (``ESC[2J`` clears the screen, OSC 8 makes hidden links, bidi
overrides reorder what is read) or what a spreadsheet runs (``=HYPERLINK(...)``). JSON output
needs none of this: ``json.dumps`` escapes control characters, and a JSON reader is not fooled.

- :func:`terminal_safe`: every C0 control, DEL, every C1 control, the bidi embeddings,
  overrides and isolates (U+202A..U+202E, U+2066..U+2069) and lone surrogates are written as
  visible escapes (``\\u001b``, ``\\u202e``, ``\\n``), so the reader sees that they were
  there. The escapes are JSON's: a JSON line printed through the console stays valid JSON
  with the same meaning.
  :class:`SafeConsole` does it to everything a rich console prints, keeping line breaks and
  tabs of our own messages; rich markup and emoji codes are never interpreted.
- :func:`spreadsheet_safe`: OWASP's rule for CSV injection: a text cell starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, which spreadsheets
  read as "this is text". A cell that is a plain number (``-12.5``, ``+7``) stays as it is:
  it is no formula, and prefixing it would turn a number into text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    import pyarrow as pa
    from rich.text import Text

# C0, DEL, C1, bidi embeddings/overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI
# PDI), lone surrogates. Marks (LRM, RLM, ALM) are kept: Arabic and Hebrew text uses them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_EXCEPT_LAYOUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\u{ord(char):04x}"


def terminal_safe(text: str, *, keep_layout: bool = False) -> str:
    """``text`` with every character a terminal would obey written as a visible escape.

    ``keep_layout`` keeps line feeds and tabs (for our own multi-line messages); a value from
    data is best shown on one line, with its line breaks escaped too.
    """
    pattern = _UNSAFE_EXCEPT_LAYOUT if keep_layout else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


class SafeConsole(Console):
    """A rich console that never passes a control sequence from data to the terminal.

    Every string it prints (table cells, titles, messages) goes through
    :func:`terminal_safe` before rich measures it, so tables stay aligned; markup and emoji
    codes are off, so a name like ``[link=...]x[/]`` or ``:warning:`` prints as written.
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("markup", False)
        options.setdefault("emoji", False)
        options.setdefault("highlight", False)
        super().__init__(**options)

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(terminal_safe(text, keep_layout=True), **options)


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows and never runs (OWASP's rule; see the module).

    Only text is changed; numbers, None and plain numeric text are returned as given.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_safe_row(row: dict[str, Any]) -> dict[str, Any]:
    """Every cell of a CSV row (as given to ``csv.DictWriter``) made spreadsheet-safe."""
    return {key: spreadsheet_safe(value) for key, value in row.items()}


def spreadsheet_safe_arrow(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A string column (Arrow) with :func:`spreadsheet_safe` applied to every value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    formula = pc.and_(
        pc.match_substring_regex(column, _FORMULA_PATTERN),
        pc.invert(pc.match_substring_regex(column, f"^{_PLAIN_NUMBER.pattern}$")),
    )
    quoted = pc.binary_join_element_wise(pa.scalar("'"), column, "")
    result: pa.ChunkedArray = pc.if_else(formula, quoted, column)
    return result


def unicode_problem(text: str) -> str | None:
    """Why ``text`` is not Unicode text that can be written out (a lone surrogate, which
    JSON's ``\\ud800`` escapes can produce), or None when it is fine."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"holds a lone surrogate (U+{ord(found.group()):04X}), which is not text"
