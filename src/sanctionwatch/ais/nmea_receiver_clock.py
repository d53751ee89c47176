"""Time for AIS messages that carry none: the receiver clock from type 4 base stations.

A log without tag blocks, vendor times or ``$PGHP`` lines still has the time of day in it:
base stations broadcast their UTC time (type 4) every 10 s, and position reports carry the
UTC second of their fix. :func:`receiver_clock` gives every message the time of the latest
type 4 report before it in the stream, and :func:`refine_with_second` places a report on
the right second near that clock. Both work on whole arrays of a chunk's messages.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def receiver_clock(
    order: npt.NDArray[np.int64], station_time: npt.NDArray[np.int64], clock: int
) -> tuple[npt.NDArray[np.int64], int]:
    """For each message, the time of the latest plausible type 4 report before it in the
    stream (``clock``, from earlier chunks, before the first); and the clock after all.

    ``order`` is each message's position in the stream, ``station_time`` the time (ms) of
    each message that is a plausible type 4 report and -1 for the others.
    """
    count = len(order)
    if count == 0:
        return np.zeros(0, dtype=np.int64), clock
    by_order = np.argsort(order, kind="stable")
    sorted_time = station_time[by_order]
    latest = np.maximum.accumulate(np.where(sorted_time >= 0, np.arange(count), -1))
    before = np.concatenate(([-1], latest[:-1]))
    at_sorted = np.where(before >= 0, sorted_time[np.maximum(before, 0)], clock)
    at = np.empty(count, dtype=np.int64)
    at[by_order] = at_sorted
    return at, int(sorted_time[latest[-1]]) if latest[-1] >= 0 else clock


def refine_with_second(
    clock: npt.NDArray[np.int64], second: npt.NDArray[np.int8]
) -> npt.NDArray[np.int64]:
    """Time of reports that carry none of their own, from the receiver clock.

    ``clock`` is the UTC time (ms) of the most recent plausible type 4 base station report
    earlier in the stream. A position report's UTC second field (0-59) is the second of the
    minute at which its position was fixed, so its time is the instant nearest the clock
    (within +-30 s) whose second is that field. Base stations report every 10 s, so the clock
    is seconds old and this places the report inside the right minute. Where the field is
    60-63 (not available, manual input, dead reckoning, inoperative) or absent (type 27 and
    static reports, passed as 60), the clock itself is the time. Values where ``clock`` is
    negative (no clock yet) are meaningless and must not be used.
    """
    seconds = second.astype(np.int64)
    delta = (seconds * 1000 - clock % 60_000 + 30_000) % 60_000 - 30_000
    return np.where(seconds <= 59, clock + delta, clock)
