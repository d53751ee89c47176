"""Static reports of one ingest summed up as runs, so memory follows identity changes.

Split from ``ingest.py``: a file of millions of static reports (a CSV row repeats its
vessel's identity columns) becomes a few runs per vessel before the store sees them.
"""

from __future__ import annotations

from typing import Any

from sanctionwatch.ais.model import IDENTITY_FIELDS, StaticReport


class StaticSummary:
    """Static reports of one file as runs: per vessel, in time order, consecutive reports
    that say the same (after filling what a partial report leaves out from the vessel's
    previous report in this file) become one report with first and last time and a count.

    Memory grows with the number of identity changes, not with the number of reports. A
    return to an earlier identity (draught 3.6 -> 5.6 -> 3.6 m) is three runs.
    """

    def __init__(self) -> None:
        self.current: dict[int, list[Any]] = {}  # mmsi -> [values, first, line, last, count]
        self.closed: list[list[Any]] = []

    def add(self, reports: list[StaticReport]) -> None:
        for r in sorted(reports, key=lambda r: (r.mmsi, r.ts, r.line)):
            run = self.current.get(r.mmsi)
            values = tuple(
                getattr(r, name) if getattr(r, name) is not None or run is None
                else run[0][index]
                for index, name in enumerate(IDENTITY_FIELDS)
            )  # fmt: skip
            last = r.last_ts if r.last_ts is not None else r.ts
            if run is not None and run[0] == values and r.ts >= run[1]:
                run[3] = max(run[3], last)
                run[4] += r.count
                continue
            if run is not None:
                self.closed.append([r.mmsi, *run])
            self.current[r.mmsi] = [values, r.ts, r.line, last, r.count]

    def reports(self) -> list[StaticReport]:
        runs = self.closed + [[mmsi, *run] for mmsi, run in self.current.items()]
        return [
            StaticReport(
                mmsi=mmsi,
                ts=first,
                line=line,
                last_ts=last,
                count=count,
                **dict(zip(IDENTITY_FIELDS, values, strict=True)),
            )
            for mmsi, values, first, line, last, count in runs
        ]
