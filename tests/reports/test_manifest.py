"""manifest.json: every file's SHA-256 and an overall digest that ``sha256sum`` reproduces;
verify names each changed, missing or added file, and a manifest edited to match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sanctionwatch.errors import DossierError
from sanctionwatch.reports.manifest import MANIFEST, verify, write_manifest


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    root = tmp_path / "d"
    (root / "sub").mkdir(parents=True)
    (root / "dossier.pdf").write_bytes(b"%PDF-1.7 body")
    (root / "dossier.html").write_text("<p>x</p>", encoding="utf-8")
    (root / "sub" / "tracks.geojson").write_text("{}", encoding="utf-8")
    write_manifest(root, 7, "2024-03-01T00:00:00Z")
    return root


def test_the_manifest_lists_every_file_and_a_digest_sha256sum_gives(dossier: Path) -> None:
    manifest = json.loads((dossier / MANIFEST).read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {
        "dossier.html": hashlib.sha256(b"<p>x</p>").hexdigest(),
        "dossier.pdf": hashlib.sha256(b"%PDF-1.7 body").hexdigest(),
        "sub/tracks.geojson": hashlib.sha256(b"{}").hexdigest(),
    }
    # `sha256sum dossier.html dossier.pdf sub/tracks.geojson | sha256sum`
    lines = "".join(f"{listed[p]}  {p}\n" for p in sorted(listed))
    assert manifest["digest"] == hashlib.sha256(lines.encode()).hexdigest()
    assert manifest["case_id"] == 7 and verify(dossier).intact


def test_one_byte_changed_is_named(dossier: Path) -> None:
    pdf = dossier / "dossier.pdf"
    body = bytearray(pdf.read_bytes())
    body[-1] ^= 1
    pdf.write_bytes(bytes(body))
    verdict = verify(dossier)
    assert (verdict.changed, verdict.missing, verdict.added) == (["dossier.pdf"], [], [])
    assert not verdict.intact


def test_missing_and_added_files_are_named(dossier: Path) -> None:
    (dossier / "sub" / "tracks.geojson").unlink()
    (dossier / "extra.csv").write_text("a\n", encoding="utf-8")
    verdict = verify(dossier)
    assert (verdict.changed, verdict.missing, verdict.added) == (
        [], ["sub/tracks.geojson"], ["extra.csv"]
    )  # fmt: skip


def test_a_manifest_edited_to_match_an_edited_file_breaks_its_digest(dossier: Path) -> None:
    (dossier / "dossier.html").write_text("<p>y</p>", encoding="utf-8")
    manifest = json.loads((dossier / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == "dossier.html":
            entry["sha256"] = hashlib.sha256(b"<p>y</p>").hexdigest()
    (dossier / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    verdict = verify(dossier)
    assert verdict.changed == [] and not verdict.digest_ok and not verdict.intact


def test_no_manifest_is_an_error_not_a_verdict(tmp_path: Path, dossier: Path) -> None:
    with pytest.raises(DossierError, match=r"no manifest\.json"):
        verify(tmp_path / "empty")
    (dossier / MANIFEST).write_text("{", encoding="utf-8")
    with pytest.raises(DossierError, match="cannot be read as a manifest"):
        verify(dossier)
