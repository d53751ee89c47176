"""`sanctionwatch demo` on the bundled real lists, run as a user runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def test_demo_loads_summarises_diffs_and_screens(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "--home", str(tmp_path / "home"), "demo"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    # Every bundled list loaded, dated from its content or its file name.
    assert "un         2018-10-29 (date from content): 3408 entities" in out
    assert "un         2026-02-27 (date from content): 3108 entities" in out
    assert "ofac_sdn   2024-05-03 (date from file name)" in out
    assert "uk_ofsi    2018-04-13 (date from content)" in out
    # The summary row of the UN list: 730 persons, 273 entities, DPRK 80 and 75.
    un_row = next(line for line in out.splitlines() if line.startswith("│ un "))
    assert [cell.strip() for cell in un_row.strip("│").split("│")] == [
        "un",
        "2026-02-27",
        "2",
        "730",
        "273",
        "0",
        "80",
        "75",
        "0 (0)",
    ]
    ofac_row = next(line for line in out.splitlines() if line.startswith("│ ofac_sdn "))
    assert ofac_row.rstrip("│ ").endswith("105 (105)")  # DPRK vessels, all with an IMO number
    assert "un 2018-10-29 -> 2026-02-27:" in out
    komid = "KOMID -> 1.00 KOREA MINING DEVELOPMENT TRADING CORPORATION [Organization] un:KPe.001"
    assert komid in out
    # one person in Hangul, Cyrillic and three romanisations: the same OFAC record, explained
    for written in ("김정은", "Ким Чен Ын", "Kim Jong Un", "Kim Chong-un", "Gim Jeong-eun"):
        line = next(x for x in out.splitlines() if x.strip().startswith(f"{written} -> "))
        assert "KIM, Jong Un [Person] ofac_sdn:20157" in line and "by korean" in line
    assert "ANGARA (IMO 9179842) -> 1.00 ANGARA [Vessel] ofac_sdn:37059" in out
    assert "ANGARA (IMO 9124043): no match" in out  # the other ship called ANGARA
    # The AIS part: the real logs with every line accounted for, then the synthetic scenario.
    assert (
        "amsa_risky_ais.txt.gz (NMEA): 44,687 lines -> 16,047 positions, 8,757 duplicates, "
        "2,118 static, 0 fragments, 1,036 rejected" in out
    )
    # Each file's outcomes add up to its lines, fragments of multi-sentence messages included.
    summaries = re.findall(
        r"\((?:\w+ CSV|NMEA)\): ([\d,]+) lines -> ([\d,]+) positions, ([\d,]+) duplicates, "
        r"([\d,]+) static, ([\d,]+) fragments, ([\d,]+) rejected(?: \([^)]*\))?, "
        r"([\d,]+) skipped",
        out,
    )
    assert len(summaries) >= 5
    for lines, *outcomes in ([int(n.replace(",", "")) for n in row] for row in summaries):
        assert lines == sum(outcomes)
    # 1,001 lines: the header is a line too (one outcome per line, issue 10)
    assert "noaa_marinecadastre_20230111_1000rows.csv (MarineCadastre CSV): 1,001 lines" in out
    assert "SYNTHETIC traffic: the rajin scenario" in out
    assert "KUM UN SAN 3 / PU RYONG: name changed: KUM UN SAN 3 -> PU RYONG" in out
    assert "YU JONG 2: IMO 8604918 has a wrong check digit" in out
    # The gap detector names the shuttle's dark calls at Rajin (WPI name Najin).
    assert "ANGARA (MMSI" in out and "likely dark port call at Najin" in out
    assert "SAEBYOL (MMSI 445098760) loitering" in out
    assert "port calls seen in AIS" in out and "YU JONG 2 (MMSI 445211840) at Najin (KP)" in out
    # ... and its calls at Vostochny in the open, the meeting at sea, the identity tricks,
    # and the cargo that moved where no port saw it.
    assert "LADY R (MMSI 273292640) at Vostochnyy (RU)" in out
    assert "PATRIOT (MMSI 273447120) met CHON MA SAN (MMSI 445120350)" in out
    assert "PU RYONG (MMSI 445076120) identity: name_change" in out
    assert "HAI FENG 18 (MMSI 355612000) (with SAEBYOL (MMSI 445098760)) identity" in out
    assert "after meeting PATRIOT (MMSI 273447120): cargo loaded where no port saw it" in out
    assert "(likely dark port call at Najin): cargo loaded where no port saw it" in out
    # The chain: every vessel linked and ranked; the Rajin shuttle at the top, each listed
    # ship by its IMO number, with its dark calls at Najin among the reasons; and the alerts.
    assert "9. Linked to the lists and ranked by risk, with reasons" in out
    ranked = re.findall(r"^\s+(\d+)\. (.+?) \(MMSI (\d+), IMO (\d+|-)\) ([\d.]+) (\w+)", out, re.M)
    top = {name: (int(rank), level) for rank, name, _mmsi, _imo, _score, level in ranked}
    for ship in ("ANGARA", "MARIA", "LADY R", "MAIA-1", "PATRIOT", "CHON MA SAN"):
        assert top[ship][1] == "high" and top[ship][0] <= 12
    assert "ANGARA (MMSI 273316470, IMO 9179842)" in out
    assert "listed as ANGARA (ofac_sdn 37059, via imo)" in out
    assert re.search(r"likely dark port calls at watched ports: Najin at 2023-10-0\dT", out)
    assert "met ships of high risk, directly or through others: met 273447120" in out
    assert "10. Alerts raised" in out
    assert re.search(r"\d+ encounter_with_sanctioned, \d+ sanctioned_vessel_seen", out)
    assert (
        "[high] sanctioned_vessel_seen: MMSI 273316470 ANGARA is linked to ANGARA "
        "(ofac_sdn record 37059) via imo" in out
    )
    # The demo ends by saying how to open the workspace on this home.
    # A case prepared from the shuttle ships' alerts, with a note.
    prepared = re.search(
        r"case (\d+) 'Rajin - Vostochny shuttle[^']*': (\d+) alerts accepted, (\d+) ships", out
    )
    assert prepared and int(prepared[2]) == 4 and int(prepared[3]) == 4, out[-2000:]
    dossier = tmp_path / "home" / "dossiers" / f"case-{prepared[1]}"
    assert f"its evidence dossier: {dossier / 'dossier.pdf'}" in out
    assert (dossier / "dossier.pdf").read_bytes().startswith(b"%PDF-")
    verified = subprocess.run(
        [sys.executable, "-m", "sanctionwatch", "dossier", "verify", str(dossier)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "12. The workspace in the browser" in out
    assert f"http://127.0.0.1:8000/cases/{prepared[1]}" in out
    assert f"sanctionwatch --home {tmp_path / 'home'} serve" in out
