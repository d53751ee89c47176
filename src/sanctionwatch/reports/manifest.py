"""``manifest.json``: every file of a dossier directory with its SHA-256, and one digest
over them all, so that a reader can tell whether anything was changed, removed or added
since the dossier was built (``sanctionwatch dossier verify DIR``).

The overall digest is the SHA-256 of the lines ``<sha256>  <path>\\n`` in path order (the
format of ``sha256sum``), so it can be recomputed by hand:
``sha256sum $(find . -type f ! -name manifest.json | sort) | sha256sum`` (paths relative).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctionwatch.errors import DossierError
from sanctionwatch.hashing import file_sha256

MANIFEST = "manifest.json"
FORMAT = "sanctionwatch-dossier-manifest/1"


def _files(root: Path) -> dict[str, str]:
    """Every file under ``root`` but the manifest, by its POSIX path relative to root."""
    return {
        path.relative_to(root).as_posix(): file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST
    }


def overall_digest(files: dict[str, str]) -> str:
    text = "".join(f"{sha}  {name}\n" for name, sha in sorted(files.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_manifest(root: Path, case_id: int, built_at: str) -> Path:
    """Write ``root/manifest.json`` over the files now in ``root``."""
    files = _files(root)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "case_id": case_id,
        "built_at": built_at,
        "algorithm": "sha256",
        "files": [{"path": name, "sha256": sha} for name, sha in files.items()],
        "digest": overall_digest(files),
    }
    target = root / MANIFEST
    target.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return target


@dataclass(frozen=True)
class Verdict:
    """What differs between a dossier directory and its manifest."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    digest_ok: bool = True

    @property
    def intact(self) -> bool:
        return not (self.changed or self.missing or self.added) and self.digest_ok


def verify(root: Path) -> Verdict:
    """Compare ``root``'s files with its manifest; a DossierError when the manifest is
    missing or unreadable (then nothing can be said of the files)."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        listed = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
        digest = str(manifest["digest"])
    except FileNotFoundError as exc:
        raise DossierError(f"{root}: no {MANIFEST}: not a dossier directory") from exc
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise DossierError(f"{root / MANIFEST}: cannot be read as a manifest ({exc})") from exc
    found = _files(root)
    return Verdict(
        changed=sorted(n for n in listed if n in found and found[n] != listed[n]),
        missing=sorted(n for n in listed if n not in found),
        added=sorted(n for n in found if n not in listed),
        digest_ok=overall_digest(listed) == digest,
    )
