"""A file's SHA-256, read in blocks (files may be gigabytes of AIS): for the inbox's
already-ingested check, the traffic generator's manifest and the dossier's manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()
