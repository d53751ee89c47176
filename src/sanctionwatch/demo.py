"""``sanctionwatch demo``: the bundled real lists into a fresh store, a summary, the DPRK
entries, what changed between list versions, and a few names screened; then the AIS
samples and a synthetic scenario ingested (``demo_ais.py``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from sanctionwatch.config import Settings
from sanctionwatch.demo_ais import run_ais_demo
from sanctionwatch.demo_case import prepare_demo_case
from sanctionwatch.demo_risk import run_risk_demo
from sanctionwatch.errors import InputError
from sanctionwatch.home_lock import WriterLock, home_writer
from sanctionwatch.lists.diff import diff_versions, from_first_difference
from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.model import PARTY_SCHEMATA
from sanctionwatch.lists.store import ListStore
from sanctionwatch.lists.summary import ORGANISATION_SCHEMATA, ListSummary, summarise
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.model import Query

# Loaded in this order, so that each list's versions arrive oldest first. Paths are relative
# to the demo data folder (data/lists in a checkout; provenance in data/lists/PROVENANCE.md).
DEMO_LOADS: tuple[tuple[str, ...], ...] = (
    ("un/un_consolidated_2018-10-29.xml",),
    ("un/un_consolidated_2026-02-27.xml",),
    ("ofac/sdn_set_2021-07-07",),
    ("ofac/sdn_2024-05-03.csv", "ofac/aux_2025-12-24"),
    ("ofac/cons_nonsdn_2025-12-19",),
    ("uk/ofsi_conlist_2018-04-13.csv",),
)

# Names as a compliance officer or a journalist might type them.
# One person written five ways (Hangul, Cyrillic, DPRK official, McCune-Reischauer, Revised
# Romanisation), a company by its acronym, the sanctioned ANGARA by IMO number and its
# homonym (another ANGARA, IMO 9124043, which burned off Japan in 2022), a Cyrillic ship name.
DEMO_QUERIES = (
    Query("김정은", schema="Person"),
    Query("Ким Чен Ын", schema="Person"),
    Query("Kim Jong Un", schema="Person", birth_date="1984-01-08"),
    Query("Kim Chong-un", schema="Person"),
    Query("Gim Jeong-eun", schema="Person"),
    Query("최룡해", schema="Person"),
    Query("KOMID"),
    Query("ANGARA", schema="Vessel", imo="9179842"),
    Query("ANGARA", schema="Vessel", imo="9124043"),
    Query("Майя-1", schema="Vessel"),
)


def demo_data_dir() -> Path:
    """The bundled demo lists: ``$SANCTIONWATCH_DEMO_DATA``, else ``data/lists`` of the checkout."""
    if value := os.environ.get("SANCTIONWATCH_DEMO_DATA"):
        return Path(value)
    return Path(__file__).resolve().parents[2] / "data" / "lists"


def run_demo(settings: Settings, out: Console, progress: Progress | None = None) -> None:
    """The whole demo, under the home's writer lock (it loads lists and ingests AIS)."""
    data = demo_data_dir()
    if not data.is_dir():
        raise InputError(
            f"{data}: the bundled demo lists are not there; run the demo from a checkout "
            "or set SANCTIONWATCH_DEMO_DATA"
        )
    with home_writer(settings, "demo") as lock:
        _lists_demo(settings, data, out, progress, lock)
        run_ais_demo(settings, out, first_step=5, writer=lock)
        run_risk_demo(settings, out, first_step=9, writer=lock)
    out.rule("11. A case prepared from the alerts: the Rajin shuttle's ships")
    case_id = prepare_demo_case(settings, out)
    _workspace_hint(settings, out, case_id)


def _workspace_hint(settings: Settings, out: Console, case_id: int | None) -> None:
    """How to look at all this in the browser (the server is not started: ``make demo``
    ends, and a newcomer decides when to run a server)."""
    out.rule("12. The workspace in the browser")
    home = f"--home {settings.home}"
    page = f"cases/{case_id}" if case_id else ""
    out.print(
        "  Add yourself, start the server and open the page below (alerts, vessels with their\n"
        "  map and playback, cases with a timeline, screening, lists; works offline):\n"
        f"    .venv/bin/sanctionwatch {home} users add me --role admin\n"
        f"    .venv/bin/sanctionwatch {home} serve\n"
        f"    http://127.0.0.1:8000/{page}",
        soft_wrap=True,  # commands to copy: never broken across lines
    )


def _lists_demo(
    settings: Settings, data: Path, out: Console, progress: Progress | None, lock: WriterLock
) -> None:
    out.rule("1. Loading the bundled official lists")
    with ListStore(settings.store_path, writer=lock) as store:
        started = time.perf_counter()
        batches = [[data / p for p in group] for group in DEMO_LOADS]
        for outcomes in load_batches(store, batches, progress=progress):
            for outcome in outcomes:
                v = outcome.version
                changes = f"; {outcome.changes} vs previous" if outcome.changes else ""
                out.print(
                    f"  {v.list_name:<10} {v.version} (date from {v.version_source}): "
                    f"{v.entity_count} entities, {v.rejected_count} rows rejected{changes}"
                )
        if progress:
            progress.stop()  # the rest prints to stdout; a live bar on stderr would interleave
        out.print(f"  loaded in {time.perf_counter() - started:.1f} s")

        out.rule("2. What the store holds (latest version of each list)")
        summaries = [summarise(store, name) for name in store.list_names()]
        out.print(summary_table(summaries))
        for s in summaries:
            top = ", ".join(f"{p} {n}" for p, n in s.programmes.most_common(5))
            out.print(f"  {s.list_name}: top programmes: {top}")

        out.rule("3. What changed between list versions (parties: persons, entities, vessels)")
        for s in summaries:
            versions = store.versions(s.list_name)
            if len(versions) < 2:
                continue
            result = diff_versions(store, versions[-2], versions[-1])
            added, removed, changed = (
                [c for c in group if c.schema in PARTY_SCHEMATA]
                for group in (result.added, result.removed, result.changed)
            )
            dprk_changed = [c for c in changed if c.entity_id in s.dprk_ids]
            out.print(
                f"  {s.list_name} {result.from_version} -> {result.to_version}: "
                f"{len(added)} added, {len(changed)} changed ({len(dprk_changed)} of them DPRK), "
                f"{len(removed)} removed"
            )
            for change in dprk_changed[:3]:
                for prop in change.properties[:2]:
                    old, new = from_first_difference("; ".join(prop.removed), "; ".join(prop.added))
                    old, new = old or "-", new or "-"
                    out.print(
                        f"    {change.entity_id} {change.caption}: {prop.prop}: "
                        f"{_short(old)} -> {_short(new)}"
                    )

        out.rule("4. Screening names across scripts and romanisations, with the reasons")
        screener = Screener(build_index(store))
        for query in DEMO_QUERIES:
            label = query.name + (f" (IMO {query.imo})" if query.imo else "")
            matches = screener.screen(query, limit=2)
            if not matches:
                out.print(f"  {label}: no match at or above 0.7")
            for match in matches:
                why = match.explanation
                qualifiers = "".join(f", {k} {v:+.2f}" for k, v in why.qualifiers.items())
                out.print(
                    f"  {label} -> {match.score:.2f} {match.party.caption} [{match.party.schema}] "
                    f"{match.party.list_name}:{match.party.record_id}; met "
                    f"{why.name.matched_property} {why.name.matched_name!r} by {why.name.method} "
                    f"{why.name.score:.2f}{qualifiers}"
                )
    out.print(f"\nStore: {settings.store_path}")


def summary_table(summaries: list[ListSummary]) -> Table:
    table = Table()
    columns = ("list", "version", "versions", "persons", "organisations", "vessels")
    for column in (*columns, "DPRK persons", "DPRK organisations", "DPRK vessels (with IMO)"):
        table.add_column(column, justify="left" if column in columns[:3] else "right")
    for s in summaries:
        orgs = sum(s.schemata.get(k, 0) for k in ORGANISATION_SCHEMATA)
        dprk_orgs = sum(s.dprk.get(k, 0) for k in ORGANISATION_SCHEMATA)
        table.add_row(
            s.list_name,
            s.latest.version,
            str(len(s.versions)),
            str(s.schemata.get("Person", 0)),
            str(orgs),
            str(s.schemata.get("Vessel", 0)),
            str(s.dprk.get("Person", 0)),
            str(dprk_orgs),
            f"{s.dprk.get('Vessel', 0)} ({s.dprk_vessels_with_imo})",
        )
    return table


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
