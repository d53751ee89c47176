"""What one ingest did, line by line: the counts the catalogue keeps and the CLI prints.

Kept apart from the store (which only records them) so that the readers' accounting and
its human summary live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestCounts:
    """What one ingest did; also what the CLI prints."""

    file: str
    format: str
    lines: int = 0
    positions_read: int = 0  # = accepted + duplicates + positions_rejected
    positions_rejected: int = 0  # failed the position checks (validate.py); also in rejected
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    statics: int = 0
    vessels: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    quarantine: str | None = None
    ingest_id: int | None = None


def ingest_summary_lines(counts: IngestCounts) -> list[str]:
    """The human summary of one ingest: a headline, then one line per reason."""
    from sanctionwatch.ais.model import iso_utc

    span = "-"
    if counts.first_ts is not None and counts.last_ts is not None:
        span = f"{iso_utc(counts.first_ts)} .. {iso_utc(counts.last_ts)}"
    lines = [
        f"{counts.file} ({counts.format}): {counts.lines:,} lines; "
        f"{counts.accepted:,} positions accepted, {counts.duplicates:,} duplicates skipped, "
        f"{counts.rejected:,} rejected, {sum(counts.skipped_by_reason.values()):,} skipped, "
        f"{counts.statics:,} static reports; {counts.vessels:,} vessels; {span}"
    ]
    for title, by_reason in (
        ("rejected", counts.rejected_by_reason),
        ("skipped", counts.skipped_by_reason),
    ):
        for reason, number in by_reason.items():
            lines.append(f"  {title}: {number:>9,}  {reason}")
    if counts.quarantine:
        lines.append(f"  rejected lines (line number, reason, text): {counts.quarantine}")
    return lines
