"""Text made safe for terminals and spreadsheets (OWASP's CSV-injection rule)."""

from __future__ import annotations

import io

import pyarrow as pa
import pytest
from rich.table import Table

from sanctionwatch.safe_text import (
    SafeConsole,
    spreadsheet_safe,
    spreadsheet_safe_arrow,
    terminal_safe,
    unicode_problem,
)

CLEAR_SCREEN = "\x1b[2J"
OSC8_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("KIM Jong Un", "KIM Jong Un"),
        ("김정은 Ким Чен Ын 金正恩", "김정은 Ким Чен Ын 金正恩"),
        (f"A{CLEAR_SCREEN}B", "A\\x1b[2JB"),
        (OSC8_LINK, "\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\"),
        ("bell\x07 del\x7f csi\x9b1m", "bell\\x07 del\\x7f csi\\x9b1m"),
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        ("two\nlines\tand\rreturn", "two\\nlines\\tand\\rreturn"),
        ("lone \ud800", "lone \\ud800"),
        ("عبد\u200fالله", "عبد\u200fالله"),  # a right-to-left mark is kept
    ],
)
def test_terminal_safe_escapes_what_a_terminal_obeys(text: str, shown: str) -> None:
    assert terminal_safe(text) == shown


def test_terminal_safe_can_keep_line_breaks_of_messages() -> None:
    assert terminal_safe("a\nb\tc\x1b", keep_layout=True) == "a\nb\tc\\x1b"


def test_safe_console_prints_data_literally_in_tables_and_messages() -> None:
    out = io.StringIO()
    console = SafeConsole(file=out, width=100)
    table = Table("name")
    table.add_row(f"X{CLEAR_SCREEN}Y")
    table.add_row("[bold red]LISTED[/] [link=https://evil.example/]here[/link] :warning:")
    console.print(table)
    console.print(f"title {OSC8_LINK}\nsecond line")
    printed = out.getvalue()
    assert "\x1b" not in printed
    assert "X\\x1b[2JY" in printed
    assert "[bold red]LISTED[/] [link=https://evil.example/]here[/link] :warning:" in printed
    assert "\nsecond line" in printed


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+SUM(1+1)", "'+SUM(1+1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        (
            '=HYPERLINK("https://evil.example/","click")',
            '\'=HYPERLINK("https://evil.example/","click")',
        ),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
        ),
        ("a=b", "a=b"),
        ("-12.5", "-12.5"),  # a number written as text stays a number
        ("+7", "+7"),
        ("-1e5", "-1e5"),
        ("", ""),
        (-12.5, -12.5),
        (None, None),
    ],
)
def test_spreadsheet_safe_follows_owasp(cell: object, written: object) -> None:
    assert spreadsheet_safe(cell) == written


def test_spreadsheet_safe_arrow_column_matches_the_python_rule() -> None:
    values = ["=1+1", "@A1", "-12.5", "plain", None, "-x", "\tTAB"]
    column = pa.chunked_array([values], type=pa.string())
    assert spreadsheet_safe_arrow(column).to_pylist() == [spreadsheet_safe(v) for v in values]


def test_unicode_problem_names_a_lone_surrogate() -> None:
    assert unicode_problem("Kim Jong Un") is None
    problem = unicode_problem("Kim \udc80")
    assert problem is not None and "U+DC80" in problem
