"""Text made safe for terminals and spreadsheets (OWASP's CSV-injection rule)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from rich.table import Table

import sanctionwatch
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
        (f"A{CLEAR_SCREEN}B", "A\\u001b[2JB"),
        (OSC8_LINK, "\\u001b]8;;https://evil.example/\\u001b\\click\\u001b]8;;\\u001b\\"),
        ("bell\x07 del\x7f csi\x9b1m", "bell\\u0007 del\\u007f csi\\u009b1m"),
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
    assert terminal_safe("a\nb\tc\x1b", keep_layout=True) == "a\nb\tc\\u001b"


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
    assert "X\\u001b[2JY" in printed
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


def test_a_json_line_printed_through_the_console_stays_the_same_json() -> None:
    data = {"name": "DEL\x7f CSI\x9b1m RLO\u202e ESC\x1b[2J", "n": 1}
    out = io.StringIO()
    SafeConsole(file=out, width=40, soft_wrap=True).print(json.dumps(data, ensure_ascii=False))
    printed = out.getvalue()
    assert not any(char in printed for char in "\x7f\x9b\u202e\x1b")
    assert json.loads(printed) == data


def test_every_console_of_the_package_is_a_safe_console() -> None:
    package = Path(sanctionwatch.__file__).parent
    makers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"(?<![A-Za-z])Console\(", path.read_text(encoding="utf-8"))
    ]
    assert makers == []  # print through cli_support's consoles, or SafeConsole(...)
