"""What one ingest did, line by line: the counts the catalogue keeps and the CLI prints.

Kept apart from the store (which only records them) so that the readers' accounting and
its human summary live in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    rejected_not_kept: int = 0  # rejected lines beyond the quarantine's cap (counted above)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    statics: int = 0
    vessels: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    quarantine: str | None = None
    ingest_id: int | None = None
    # One outcome per input line; the values add up to ``lines`` (see line_outcomes below).
    line_outcomes: dict[str, int] = field(default_factory=dict)
    # Lines used despite a flaw, by reason (a payload a few bits short); also in line_outcomes.
    warnings: dict[str, int] = field(default_factory=dict)


def line_outcomes(counts: IngestCounts, reader: Mapping[str, int]) -> dict[str, int]:
    """What became of each line, once the store has decided stored against duplicate.

    Keys: ``stored`` (a new position), ``duplicate`` (a position already stored, or twice in
    the file), ``static`` (a static report that is not a position: AIS types 5 and 24),
    ``fragment`` (a sentence of a multi-sentence message whose outcome is counted on its
    last line), ``skipped:<reason>`` and ``rejected:<reason>`` (the reasons of
    ``skipped_by_reason`` and ``rejected_by_reason``). ``reader`` holds the reader's
    ``static`` and ``fragment`` counts. Zero counts are left out.
    """
    outcomes = {
        "stored": counts.accepted,
        "duplicate": counts.duplicates,
        "static": reader.get("static", 0),
        "fragment": reader.get("fragment", 0),
    }
    outcomes.update({f"skipped:{k}": v for k, v in counts.skipped_by_reason.items()})
    outcomes.update({f"rejected:{k}": v for k, v in counts.rejected_by_reason.items()})
    return {key: value for key, value in outcomes.items() if value}


def ingest_summary_lines(counts: IngestCounts) -> list[str]:
    """The human summary of one ingest: a headline with one outcome per line (stored,
    duplicate, static, fragment, skipped, rejected: they add up to the line count), then one
    line per reason."""
    from sanctionwatch.ais.model import iso_utc

    span = "-"
    if counts.first_ts is not None and counts.last_ts is not None:
        span = f"{iso_utc(counts.first_ts)} .. {iso_utc(counts.last_ts)}"
    outcome = counts.line_outcomes
    skipped = sum(counts.skipped_by_reason.values())
    lines = [
        f"{counts.file} ({counts.format}): {counts.lines:,} lines: "
        f"{outcome.get('stored', 0):,} stored, {outcome.get('duplicate', 0):,} duplicate, "
        f"{outcome.get('static', 0):,} static, {outcome.get('fragment', 0):,} fragment, "
        f"{skipped:,} skipped, {counts.rejected:,} rejected; "
        f"{counts.statics:,} identity reports; {counts.vessels:,} vessels; {span}"
    ]
    for title, by_reason in (
        ("rejected", counts.rejected_by_reason),
        ("skipped", counts.skipped_by_reason),
    ):
        for reason, number in by_reason.items():
            lines.append(f"  {title}: {number:>9,}  {reason}")
    for reason, number in counts.warnings.items():
        lines.append(f"  warning: {number:>9,}  {reason}")
    if counts.quarantine:
        lines.append(f"  rejected lines (line number, reason, text): {counts.quarantine}")
    if counts.rejected_not_kept:
        lines.append(
            f"  {counts.rejected_not_kept:,} more rejected lines not kept in that file: "
            "the reason counts are still exact"
        )
    return lines
