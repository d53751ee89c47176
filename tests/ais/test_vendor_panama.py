"""tools/vendor_panama_ais.py: the bundled Panama Canal log is the npm file byte for byte,
and a tarball that is not the checked one is refused with nothing written."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_panama_ais", ROOT / "tools/vendor_panama_ais.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundled_log_and_licence_are_the_packaged_files() -> None:
    members = tool().MEMBERS
    log_name, log_digest, _ = members["package/test-data/ais28736.log"]
    licence_name, licence_digest, _ = members["package/LICENSE"]
    raw = gzip.decompress((ROOT / "data/ais" / log_name).read_bytes())
    assert hashlib.sha256(raw).hexdigest() == log_digest
    assert raw.count(b"\n") == 28_736
    licence = (ROOT / "data/ais" / licence_name).read_bytes()
    assert hashlib.sha256(licence).hexdigest() == licence_digest


def test_another_tarball_is_refused_and_nothing_written(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = b"!AIVDM,1,1,,A,15NK0G0P00rCl7b57Ar5ROwB0D2b,0*30\n"
        info = tarfile.TarInfo("package/test-data/ais28736.log")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    tarball = tmp_path / "aisparser-0.1.2.tgz"
    tarball.write_bytes(buffer.getvalue())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SystemExit, match="sha256"):
        tool().vendor(tarball, out)
    assert list(out.iterdir()) == []
