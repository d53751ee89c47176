"""Linking, risk and alert commands: ``vessels risk|show``, ``alerts list`` and ``run``.

The work is in ``chain.py`` (detect, link, score, alert, kept up to date) and ``inbox.py``;
this module parses, calls and formats.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from sanctionwatch.cli_support import Group, stderr, stdout
from sanctionwatch.config import Settings
from sanctionwatch.home_lock import home_writer
from sanctionwatch.safe_text import spreadsheet_safe_row, terminal_safe
from sanctionwatch.sqlite_files import home_is_writable
from sanctionwatch.vessel_view import contract_line

if TYPE_CHECKING:
    from sanctionwatch.chain import Refreshed

LEVELS = ("low", "medium", "high")
# cases.triage.STATUSES, spelled out: importing the cases layer here would slow every command.
ALERT_STATUSES = ("new", "accepted", "dismissed", "unsure")


def _say(message: str) -> None:
    click.echo(message, err=True)


def _bring_up_to_date(settings: Settings, command: str) -> bool:
    """Refresh events, scores and alerts if anything changed; False when the home cannot
    be written (the caller then computes in memory)."""
    from sanctionwatch.chain import refresh, up_to_date

    if up_to_date(settings):
        return True
    if not home_is_writable(settings.home):
        return False
    with home_writer(settings, command, notify=_say) as lock:
        done = refresh(settings, lock)
    _report(done)
    return True


def _report(done: Refreshed) -> None:
    """What a refresh did, on stderr (stdout carries the results)."""
    for report in done.detected:
        if report.mode != "unchanged":
            stderr.print(f"detect {report.detector}: {report.mode}, {report.events_found:,} events")
    if done.rescored:
        stderr.print(f"linked and scored {done.vessels:,} vessels")
    if done.portfolio_screened:
        stderr.print("portfolio screened against the current lists")
    if done.alerts:
        stderr.print(f"{len(done.alerts):,} new alerts (sanctionwatch alerts list)")


@click.group(cls=Group)
def vessels() -> None:
    """Vessels' risk with its reasons, and everything known about one vessel."""


@vessels.command("risk")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many vessels.")
@click.option("--min-level", type=click.Choice(LEVELS), default="low", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl",
              show_default=True)  # fmt: skip
@click.pass_context
def vessels_risk(ctx: click.Context, limit: int | None, min_level: str, fmt: str) -> None:
    """Every vessel's risk score, level, factors (each with its evidence) and list links,
    highest score first. Links and scores are brought up to date first when the AIS data,
    the events, the lists or the weights changed."""
    from sanctionwatch.chain import risks_in_memory
    from sanctionwatch.risk.stored import RiskStore

    settings: Settings = ctx.obj
    if _bring_up_to_date(settings, "vessels risk"):
        with RiskStore(settings.home, writable=False) as store:
            bodies = store.risks(min_level, limit)
    else:
        stderr.print(
            f"{settings.home} cannot be written: scores computed now from the stored events "
            "and lists, not stored"
        )
        bodies = risks_in_memory(settings, min_level, limit)
    lines = [contract_line(body) for body in bodies]
    if fmt == "jsonl":
        for line in lines:
            click.echo(terminal_safe(json.dumps(line, ensure_ascii=False)))
    elif fmt == "csv":
        _write_csv(lines)
    else:
        _risk_table(lines)


def _write_csv(lines: list[dict[str, Any]]) -> None:
    fields = ["mmsi", "imo", "name", "flag", "score", "level", "factors", "links"]
    writer = csv.DictWriter(sys.stdout, fields, lineterminator="\n")
    writer.writeheader()
    for line in lines:
        row = {
            **{key: line[key] for key in fields[:6]},
            "factors": "; ".join(
                f"{f['factor']} +{f['points']}: {f['reason']}" for f in line["factors"]
            ),
            "links": "; ".join(
                f"{link['caption']} ({link['list']} {link['record']}, via {link['via']}, "
                f"{link['confidence']})"
                for link in line["links"]
            ),
        }
        writer.writerow(spreadsheet_safe_row(row))


def _risk_table(lines: list[dict[str, Any]]) -> None:
    table = Table("MMSI", "IMO", "name", "flag", "score", "level", "reasons", "listed as")
    for line in lines:
        table.add_row(
            str(line["mmsi"]),
            str(line["imo"] or "-"),
            line["name"] or "-",
            (line["flag"] or "-").upper(),
            f"{line['score']:g}",
            line["level"],
            "\n".join(f"+{f['points']:g} {f['reason']}" for f in line["factors"]) or "-",
            "\n".join(f"{k['caption']} ({k['list']}, {k['via']})" for k in line["links"]) or "-",
        )
    stdout.print(table)
    stdout.print(f"{len(lines):,} vessels")


@vessels.command("show")
@click.argument("vessel")
@click.option("--json", "as_json", is_flag=True, help="Print as one JSON object.")
@click.pass_context
def vessels_show(ctx: click.Context, vessel: str, as_json: bool) -> None:
    """One vessel (an MMSI, or an IMO number: every MMSI that broadcast it): identity
    history, list links, identity flags, risk factors and events, in one view."""
    from sanctionwatch.vessel_view import vessel_mmsis, vessel_risks, vessel_view

    settings: Settings = ctx.obj
    stored = _bring_up_to_date(settings, "vessels show")
    mmsis = vessel_mmsis(settings, vessel)
    risks = vessel_risks(settings, mmsis, stored=stored)
    views = [vessel_view(settings, mmsi, risks.get(mmsi)) for mmsi in mmsis]
    if as_json:
        for view in views:
            click.echo(terminal_safe(json.dumps(view, ensure_ascii=False)))
        return
    for view in views:
        _print_view(view)


def _print_view(view: dict[str, Any]) -> None:
    risk = view["risk"] or {}
    identity = view["identity"] or {}
    stdout.print(
        f"MMSI {view['mmsi']}: {risk.get('name') or '(no name)'}, IMO {risk.get('imo') or '-'}, "
        f"flag {(risk.get('flag') or '-').upper()}; risk {risk.get('score', 0):g} "
        f"({risk.get('level', 'low')})"
    )
    identities = identity.get("identities") or []
    stdout.print(f"Identity history ({len(identities)} rows):")
    for row in identities:
        stdout.print(
            f"  {row.get('first_seen')} .. {row.get('last_seen')}: IMO {row.get('imo') or '-'}, "
            f"{row.get('name') or '-'}, call sign {row.get('callsign') or '-'}"
        )
    stdout.print(f"Links ({len(risk.get('links', []))}):")
    for link in risk.get("links", []):
        stdout.print(
            f"  {link['caption']} ({link['list']} record {link['record']}) via {link['via']}, "
            f"confidence {link['confidence']}: {link.get('reason', '')}"
        )
    for flag in view["flags"]:
        stdout.print(f"Identity flag {flag['kind']}: {flag['reason']}")
    stdout.print(f"Factors ({len(risk.get('factors', []))}):")
    for factor in risk.get("factors", []):
        stdout.print(f"  +{factor['points']:g} {factor['factor']}: {factor['reason']}")
    stdout.print(f"Events ({len(view['events'])}):")
    for event in view["events"]:
        other = f" with {event['other_mmsi']}" if event.get("other_mmsi") else ""
        port = f" at {event['port']}" if event.get("port") else ""
        stdout.print(f"  {event['start']} {event['type']}{other}{port}")


@click.group(cls=Group)
def alerts() -> None:
    """Alerts raised by the rules in alerts/rules.toml (or [alerts] rules in config.toml)."""


@alerts.command("list")
@click.option(
    "--status",
    type=click.Choice(ALERT_STATUSES),
    help="Only alerts with this status: new (not triaged yet), or the team's latest decision.",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True)  # fmt: skip
@click.pass_context
def alerts_list(ctx: click.Context, status: str | None, fmt: str) -> None:
    """Alerts, newest first. They are raised by `run`, `vessels risk|show`, `lists
    load|update` and `portfolio screen`, once per rule and subject until the evidence changes.
    Their status is the team's latest triage decision (the cases database, if the home has
    one; it is never created here), else new."""
    from sanctionwatch.alerts.store import AlertStore
    from sanctionwatch.cases.triage import list_alerts, read_if_present

    settings: Settings = ctx.obj
    with read_if_present(settings) as session:
        if session is None:
            with AlertStore(settings.home, writable=False) as store:
                found = [alert.to_dict() for alert in store.alerts(status)]
        else:
            _, lines = list_alerts(session, settings, status=status)
            found = [{k: v for k, v in line.items() if k != "triage"} for line in lines]
    if fmt == "jsonl":
        for alert in found:
            click.echo(terminal_safe(json.dumps(alert, ensure_ascii=False)))
        return
    table = Table("id", "created", "severity", "rule", "summary", "status")
    for alert in found:
        table.add_row(
            str(alert["id"]), alert["created"], alert["severity"], alert["rule"],
            alert["summary"], alert["status"],
        )  # fmt: skip
    stdout.print(table)


@click.command("run")
@click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Ingest the files in this folder first (moved to done/ or rejected/).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as one JSON object.")
@click.pass_context
def run_command(ctx: click.Context, inbox: Path | None, as_json: bool) -> None:
    """The whole chain, incrementally: ingest the inbox (AIS files, or list files), detect,
    link, score, alert, and screen the portfolio again if the lists changed. Running it twice
    on the same data changes nothing; a run interrupted at any point is completed by the next."""
    from sanctionwatch.chain import refresh
    from sanctionwatch.inbox import process_inbox, waiting_files

    settings: Settings = ctx.obj
    if inbox is not None:
        waiting_files(inbox)  # a missing inbox is refused before the lock is taken
    with home_writer(settings, "run", notify=_say) as lock:
        taken = process_inbox(settings, lock, inbox) if inbox is not None else []
        done = refresh(settings, lock)
    if as_json:
        click.echo(
            terminal_safe(
                json.dumps(
                    {
                        "inbox": [
                            {"file": o.file, "status": o.status, "detail": o.detail,
                             "moved_to": str(o.moved_to)}
                            for o in taken
                        ],
                        "detected": {r.detector: r.mode for r in done.detected},
                        "rescored": done.rescored,
                        "vessels": done.vessels,
                        "portfolio_screened": done.portfolio_screened,
                        "alerts": [a.to_dict()["id"] for a in done.alerts],
                    },
                    ensure_ascii=False,
                )
            )
        )  # fmt: skip
        return
    for outcome in taken:
        stdout.print(f"{outcome.file}: {outcome.status}: {outcome.detail} -> {outcome.moved_to}")
    _report(done)
    if not done.rescored and not done.alerts and not taken:
        stdout.print("nothing new: events, scores and alerts are up to date")
    else:
        stdout.print(f"{len(done.alerts):,} new alerts")
