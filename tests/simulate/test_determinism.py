"""Same seed and arguments, same bytes; another seed, another run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sanctionwatch.simulate import simulate


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = simulate(tmp_path / "a", seed=11, days=1.0, vessels=13)
    second = simulate(tmp_path / "b", seed=11, days=1.0, vessels=13)
    third = simulate(tmp_path / "c", seed=12, days=1.0, vessels=13)
    a, b, c = digests(first.out_dir), digests(second.out_dir), digests(third.out_dir)
    assert len(a) == 8  # 3 AIS files (one day), 2 Parquet, truth, manifest, README
    assert a == b
    assert a.keys() == c.keys()
    changed = {name for name in a if a[name] != c[name]}
    assert changed >= {name for name in a if name.endswith((".nmea", ".csv", ".parquet"))}
    assert first.positions == second.positions


def test_a_rerun_replaces_its_own_files(tmp_path: Path) -> None:
    simulate(tmp_path, seed=1, days=2.0, vessels=13, formats=("nmea",))
    assert len(list(tmp_path.glob("synthetic-*.nmea"))) == 2
    simulate(tmp_path, seed=1, days=1.0, vessels=13, formats=("nmea",))
    assert len(list(tmp_path.glob("synthetic-*.nmea"))) == 1
