"""Counter-based random numbers: a pure function of (seed, stream, keys).

Per-report noise, timing jitter, radio channel, duplicates and corruption are drawn by
hashing the seed with the vessel and the report's time instead of from a stateful
generator. The outcome for one report therefore does not depend on how the run is cut
into time windows, on the order vessels are visited, or on how many other vessels there
are: the same seed gives the same bytes, window by window, and a run can stream.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def splitmix64(x: U64) -> U64:
    """The SplitMix64 finaliser (Steele, Lea, Flood 2014), elementwise, wrapping."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        return np.asarray(z ^ (z >> np.uint64(31)), dtype=np.uint64)


def hash_keys(seed: int, stream: int, *keys: npt.ArrayLike) -> U64:
    """64-bit hashes of (seed, stream, key1, key2, ...), broadcast over the key arrays."""
    with np.errstate(over="ignore"):
        h = splitmix64(np.asarray([(seed * 1_000_003 + stream) & (2**64 - 1)], dtype=np.uint64))
        for key in keys:
            h = splitmix64(h ^ np.asarray(key).astype(np.int64).view(np.uint64))
    return h


def uniform(seed: int, stream: int, *keys: npt.ArrayLike) -> FloatArray:
    """Uniform numbers in [0, 1), one per broadcast key."""
    h = hash_keys(seed, stream, *keys)
    return np.asarray((h >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53), dtype=np.float64)


def streams(seed: int, stream: int, count: int, *keys: npt.ArrayLike) -> list[FloatArray]:
    """``count`` independent uniform arrays from one hash of the keys (cheaper than ``count``
    calls of :func:`uniform`)."""
    base = hash_keys(seed, stream, *keys)
    out = []
    with np.errstate(over="ignore"):
        for index in range(count):
            h = splitmix64(base + np.uint64(index + 1) * _GOLDEN)
            out.append(np.asarray((h >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)))
    return out


def normal_pair(u1: FloatArray, u2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two independent standard normal arrays from two uniform ones (Box-Muller)."""
    radius = np.sqrt(-2.0 * np.log1p(-u1))
    angle = 2.0 * np.pi * u2
    return radius * np.cos(angle), radius * np.sin(angle)
