"""The demo's prepared case: the Rajin shuttle's ships, accepted from their alerts into one
case with a description and a note, as an analyst would start it in the workspace, and its
evidence dossier written under ``HOME/dossiers/case-N``.

The ships are the documented shuttle between Rajin (DPRK) and Vostochny and Dunai (Russia),
found by their listed IMO numbers among the alerts the demo raised, so the case holds what
the chain saw (their links, risk factors and events as of now)."""

from __future__ import annotations

import json

from rich.console import Console

from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.cases import cases, notes, triage
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.reports.build import build_dossier

# The four Russian-flagged ships documented carrying containers between Rajin and Russia's
# Far East in 2023 (OFAC SDN 2024; the demo's scenario replays their route with their IDs).
SHUTTLE_IMOS = {9179842: "ANGARA", 8517839: "MARIA", 9161003: "LADY R", 9358010: "MAIA-1"}
TITLE = "Rajin - Vostochny shuttle, autumn 2023 (demo)"
DESCRIPTION = (
    "Four listed Russian-flagged ships calling at Rajin (DPRK) and at Vostochny and Dunai "
    "(Russia) with their AIS off in DPRK waters. Prepared by `sanctionwatch demo` from the "
    "alerts it raised, on real list records and a synthetic replay of the route."
)
NOTE = (
    "Written by the demo, as an analyst would: the **dark calls at Najin (Rajin)** and the "
    "draught changes after them are the pattern to check against port records. Each ship is "
    "listed by its IMO number (see the subjects' links)."
)


def prepare_demo_case(settings: Settings, out: Console) -> int | None:
    """Accept the shuttle ships' alerts into a new case; its id (None if none was raised)."""
    with AlertStore(settings.home, writable=False) as store:
        shuttle = [
            alert.row.id
            for alert in store.alerts()
            if alert.row.rule == "sanctioned_vessel_seen"
            and json.loads(alert.row.subject).get("imo") in SHUTTLE_IMOS
        ]
    if not shuttle:
        out.print("  no alert on the shuttle's ships: no case prepared")
        return None
    actor = cli_principal()
    with CasesDatabase.open(settings) as database:
        done = triage.decide(
            database, settings, actor, sorted(shuttle), "accepted", new_case_title=TITLE
        )
        assert done.case_id is not None  # an accepted triage always names its case
        with database.begin() as session:
            case = cases.get_case(session, done.case_id)
            cases.update_case(session, actor, case.id, case.version, description=DESCRIPTION)
            notes.add_note(session, actor, case.id, NOTE)
        out.print(
            f"  case {done.case_id} '{TITLE}': {len(shuttle)} alerts accepted, "
            f"{len(done.subjects_added)} ships as subjects, 1 note"
        )
        target = settings.home / "dossiers" / f"case-{done.case_id}"
        build_dossier(settings, database, done.case_id, target)
    out.print(f"  its evidence dossier: {target / 'dossier.pdf'}", soft_wrap=True)
    return done.case_id
