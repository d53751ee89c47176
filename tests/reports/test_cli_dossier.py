"""`sanctionwatch dossier CASE_ID --out DIR` and `dossier verify DIR` from the command line:
exit 0 with the files written / intact, 1 naming an altered file, 2 when the directory is
not a dossier or is not empty; an unknown case is refused."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sanctionwatch.cases import cases
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cli import cli
from tests.reports.dossier_support import Built, built

__all__ = ["built"]  # the fixture


def sw(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.output


def test_build_then_verify_then_tamper(built: Built, tmp_path: Path) -> None:
    home, out = built.settings.home, tmp_path / "out"
    code, output = sw(home, "dossier", str(built.case_id), "--out", str(out))
    assert code == 0, output
    assert f"dossier of case {built.case_id} written to" in output
    assert (out / "dossier.pdf").read_bytes().startswith(b"%PDF-")
    assert sw(home, "dossier", "verify", str(out)) == (0, f"dossier intact: {out}\n")

    html = out / "dossier.html"
    body = bytearray(html.read_bytes())
    body[100] ^= 0x20  # one byte
    html.write_bytes(bytes(body))
    code, output = sw(home, "dossier", "verify", str(out))
    assert (code, output) == (1, "changed: dossier.html\n")

    (out / "dossier.pdf").unlink()
    code, output = sw(home, "dossier", "verify", str(out))
    assert code == 1 and "missing: dossier.pdf" in output


def test_a_case_with_no_subject_has_a_dossier_too(built: Built, tmp_path: Path) -> None:
    with CasesDatabase.open(built.settings) as db, db.begin() as session:
        case_id = cases.create_case(session, cli_principal(), "Nothing yet").id
    out = tmp_path / "empty"
    code, output = sw(built.settings.home, "dossier", str(case_id), "--out", str(out))
    assert code == 0, output
    assert (out / "dossier.pdf").read_bytes().startswith(b"%PDF-")
    assert "No timeline figure in this dossier." in (out / "dossier.html").read_text("utf-8")
    assert sw(built.settings.home, "dossier", "verify", str(out))[0] == 0


def test_refusals(built: Built, tmp_path: Path) -> None:
    home = built.settings.home
    code, output = sw(home, "dossier", "verify", str(tmp_path))
    assert code == 2 and "no manifest.json" in output
    code, output = sw(home, "dossier", "999", "--out", str(tmp_path / "x"))
    assert code == 1 and "no case 999" in output and not (tmp_path / "x").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    code, output = sw(home, "dossier", str(built.case_id), "--out", str(tmp_path / "full"))
    assert code == 2 and "must be new or empty" in output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
