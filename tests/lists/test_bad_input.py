"""Bad input: a clear error naming the file (and line), and the store left as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionwatch.errors import HostileInputError, InputError, UnknownFormatError
from sanctionwatch.lists import reading
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.reading import check_xml_prolog
from sanctionwatch.lists.store import ListStore
from tests.conftest import UN_2018, UN_2026, store_state

UN_HEAD_LINES = 400  # enough of the real UN list to be recognised and to hold whole records


def _un_excerpt(lines: int = UN_HEAD_LINES) -> bytes:
    with UN_2026.open("rb") as handle:
        return b"".join(handle.readline() for _ in range(lines))


@pytest.fixture
def loaded(store: ListStore) -> ListStore:
    load_lists(store, [UN_2018])
    return store


def test_unknown_format_names_the_formats_supported(loaded: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dear analyst,\nplease screen these names.\n")
    before = store_state(loaded)
    with pytest.raises(UnknownFormatError) as error:
        load_lists(loaded, [path])
    assert str(path) in error.value.message
    for name in (
        "un_xml",
        "ofac_csv",
        "uk_ofsi_csv",
        "uk_sanctions_list_csv",
        "eu_xml",
        "ftm_json",
    ):
        assert name in error.value.message
    assert store_state(loaded) == before


def test_empty_file(loaded: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(b"")
    before = store_state(loaded)
    with pytest.raises(InputError, match=r"consolidated\.xml: the file is empty"):
        load_lists(loaded, [path])
    assert store_state(loaded) == before


def test_missing_file(loaded: ListStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_lists(loaded, [tmp_path / "absent.xml"])


def test_devices_and_fifos_are_refused_not_read(loaded: ListStore, tmp_path: Path) -> None:
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    before = store_state(loaded)
    for path in (link, fifo):
        with pytest.raises(InputError, match=rf"{path.name}: not a regular file"):
            load_lists(loaded, [path])
    assert store_state(loaded) == before


def test_truncated_xml_names_file_and_line(loaded: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "truncated.xml"
    path.write_bytes(_un_excerpt())
    before = store_state(loaded)
    with pytest.raises(InputError) as error:
        load_lists(loaded, [path])
    assert f"{path}:{UN_HEAD_LINES + 1}:" in error.value.message
    assert store_state(loaded) == before


def test_one_bad_file_among_good_ones_loads_nothing(loaded: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "truncated.xml"
    path.write_bytes(_un_excerpt())
    before = store_state(loaded)
    with pytest.raises(InputError):
        load_lists(loaded, [UN_2026, path])
    assert store_state(loaded) == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>&lol4;</FIRST_NAME><REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER>
</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>&xxe;</FIRST_NAME><REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER>
</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>
"""

EXTERNAL_DTD_OVER_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/evil.dtd">
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS/><ENTITIES/>
</CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize(
    "content",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD_OVER_NETWORK],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_hostile_xml_is_refused_unexpanded(
    loaded: ListStore, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(content)
    before = store_state(loaded)
    with pytest.raises(HostileInputError, match="DTD or entities"):
        load_lists(loaded, [path])
    assert store_state(loaded) == before


def test_wrong_encoding_in_xml_names_the_line(loaded: ListStore, tmp_path: Path) -> None:
    # A UTF-8 list edited in a Latin-1 editor: one name now holds a bare 0xC9 byte.
    text = _un_excerpt(60).replace(b"<FIRST_NAME>ERIC", b"<FIRST_NAME>\xc9RIC")
    path = tmp_path / "edited.xml"
    with UN_2026.open("rb") as handle:
        rest = handle.read()[len(_un_excerpt(60)) :]
    path.write_bytes(text + rest)
    line = text.split(b"\n").index(next(x for x in text.split(b"\n") if b"\xc9RIC" in x)) + 1
    before = store_state(loaded)
    with pytest.raises(InputError) as error:
        load_lists(loaded, [path])
    assert f"{path}:{line}:" in error.value.message
    assert store_state(loaded) == before


def test_utf16_file_is_refused_as_unknown(loaded: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("Name 6,Name 1\nKIM,Jong Un\n".encode("utf-16"))
    with pytest.raises(UnknownFormatError):
        load_lists(loaded, [path])


JUNK_SIZE = 2 * 1024**3


# Peak resident memory of this process alone (VmHWM is reset by exec; ru_maxrss is not, so it
# would report the pytest parent's peak).
_PRINT_PEAK = """
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]))
"""


def _peak_rss_of(code: str) -> tuple[int, str]:
    """Run ``code`` in a fresh interpreter; its peak resident memory (KiB) and its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code + _PRINT_PEAK], capture_output=True, text=True, check=True
    )
    lines = done.stdout.strip().splitlines()
    return int(lines[-1]), "\n".join(lines[:-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize("head", ["random", "xml"])
def test_a_2_gb_file_of_junk_fails_fast_with_bounded_memory(tmp_path: Path, head: str) -> None:
    # A sparse file: 2 GiB long, costing no disk. "random" starts with random bytes; "xml" with
    # a real UN list header, so that detection accepts it and the parser must stop at the junk.
    path = tmp_path / "junk.bin"
    with path.open("wb") as handle:
        handle.write(os.urandom(65536) if head == "random" else _un_excerpt(40))
        handle.truncate(JUNK_SIZE)
    home = tmp_path / "home"
    code = (
        "from pathlib import Path\n"
        "from sanctionwatch.errors import InputError\n"
        "from sanctionwatch.lists.loader import load_lists\n"
        "from sanctionwatch.lists.store import ListStore\n"
        f"store = ListStore(Path({str(home)!r}) / 'lists.sqlite')\n"
        "try:\n"
        f"    load_lists(store, [Path({str(path)!r})])\n"
        "except InputError as exc:\n"
        "    print(type(exc).__name__, exc.message)\n"
    )
    peak_kib, output = _peak_rss_of(code)
    assert str(path) in output
    expected = "UnknownFormatError" if head == "random" else "InputError"
    assert output.startswith(expected)
    assert peak_kib < 400 * 1024  # far below the file's 2 GiB: it was never read whole
    with ListStore(home / "lists.sqlite") as store:
        assert store.list_names() == []


# 1.1 MB: past any fixed look-ahead; it names the UN list's root, so detection accepts it
PADDING = b"<!-- <CONSOLIDATED_LIST " + b"padding " * 140_000 + b"-->\n"


def _padded(content: bytes) -> bytes:
    """``content`` with a long comment between the XML declaration and the DOCTYPE."""
    declaration, rest = content.split(b"\n", 1)
    return declaration + b"\n" + PADDING + rest


@pytest.mark.parametrize(
    "content",
    [
        _padded(BILLION_LAUGHS),
        _padded(EXTERNAL_ENTITY),
        PADDING + BILLION_LAUGHS.split(b"\n", 1)[1],  # no XML declaration at all
        _padded(BILLION_LAUGHS).replace(b"-->\n", b"-->\n<?pi " + b"x" * 1_100_000 + b"?>\n"),
    ],
    ids=["comment-billion-laughs", "comment-external-entity", "no-declaration", "long-pi"],
)
def test_hostile_xml_is_refused_however_long_the_prolog(
    loaded: ListStore, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(content)
    before = store_state(loaded)
    with pytest.raises(InputError) as error:
        load_lists(loaded, [path])
    assert isinstance(error.value, HostileInputError)
    assert "DTD or entities" in error.value.message
    assert store_state(loaded) == before


def test_xml_in_an_encoding_that_could_hide_a_doctype_is_refused(
    loaded: ListStore, tmp_path: Path
) -> None:
    # UTF-7 spells "<!DOCTYPE" as "+ADw-!DOCTYPE": a byte scan would not see it
    body = BILLION_LAUGHS.split(b"\n", 1)[1].replace(b"<!DOCTYPE", b"+ADw-!DOCTYPE")
    path = tmp_path / "consolidated.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-7"?>\n' + body)
    before = store_state(loaded)
    with pytest.raises(InputError):
        load_lists(loaded, [path])
    assert store_state(loaded) == before


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_the_prolog_is_read_in_the_encoding_libxml2_would_use(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(_padded(BILLION_LAUGHS).decode("ascii").encode(codec))
    with pytest.raises(HostileInputError, match="DTD or entities"):
        check_xml_prolog(path)
    path.write_bytes(_padded(_un_excerpt(60)).decode("utf-8").encode(codec))
    check_xml_prolog(path)  # a real list behind a long comment is fine


def test_the_parser_refuses_a_dtd_the_prolog_scan_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "check_xml_prolog", lambda _path: None)
    path = tmp_path / "consolidated.xml"
    path.write_bytes(EXTERNAL_ENTITY)
    with pytest.raises(HostileInputError, match="DTD or entities"):
        list(reading.iter_xml_elements(path, {"INDIVIDUAL"}))
