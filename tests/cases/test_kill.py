"""kill -9 during a burst of writes (both backends): the real server (``sanctionwatch serve``)
in a subprocess, analysts triaging alerts and writing notes as fast as they can, SIGKILL
while they write, a restart on the same database and more writes. Every write the server
acknowledged is stored exactly once, the audit chain verifies (``audit verify`` exits 0) and
holds one entry per stored write. The full-size run is ``bench/bench_cases_load.py --mode kill``.
"""

from __future__ import annotations

from bench.cases_load_check import check
from bench.cases_load_support import TAG, Outcome, kill_bursts, seed_home
from click.testing import CliRunner
from sqlalchemy import text

from sanctionwatch.cases import triage
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings

CLIENTS = 6
KILLS = 1
ACKED_BEFORE_KILL = 150


def test_acknowledged_writes_survive_kill_9(settings: Settings) -> None:
    seed = seed_home(settings.home, settings.database_url, analysts=CLIENTS, alerts=40, cases=4)
    outcomes, unanswered = kill_bursts(
        settings.home, settings.database_url, seed,
        kills=KILLS, after=ACKED_BEFORE_KILL, final_seconds=1.0,
    )  # fmt: skip
    # the kills cut requests in flight: each client lost its connection once per kill
    assert unanswered == CLIENTS * KILLS
    acked = {op: sum(len(o.acked) for o in outcomes if o.op == op) for op in ("triage", "note")}
    assert sum(acked.values()) >= KILLS * ACKED_BEFORE_KILL and all(acked.values())
    # the restarted server took writes again
    assert any(o.acked for o in outcomes if f"-{KILLS + 1}." in o.text)

    findings = check(settings, seed, outcomes)
    assert findings.server_errors == 0 and findings.refused == 0 and findings.client_errors == []
    assert findings.missing == [] and findings.duplicated == []
    assert findings.acked == acked
    # a write in flight at a kill may have been stored without its answer reaching the client
    for op in ("triage", "note"):
        assert acked[op] <= findings.stored[op] <= acked[op] + CLIENTS * KILLS
    assert findings.audit_intact
    assert findings.audit_entries == findings.audit_expected

    env = {"SANCTIONWATCH_DATABASE_URL": settings.database_url or ""}
    verified = CliRunner().invoke(cli, ["--home", str(settings.home), "audit", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert f"{findings.audit_entries} entries" in verified.output


def test_the_check_sees_a_lost_and_a_doubled_write(settings: Settings) -> None:
    """What the kill test relies on: an acknowledged write missing from the database, or
    stored twice, is reported (and the audit count no longer matches)."""
    seed = seed_home(settings.home, settings.database_url, analysts=1, alerts=3, cases=1)
    with CasesDatabase.open(settings) as database:
        outcomes = []
        for n, alert_id in enumerate(seed.alert_ids):
            label = f"{TAG}0-1.{n}"
            with database.begin() as session:
                done = triage.triage(
                    session, settings, cli_principal(), [alert_id], "unsure", reason=label
                )
            outcomes.append(Outcome("triage", 200, 0.0, label, [done.records[0]["id"]]))
        assert check(settings, seed, outcomes).ok

        lost, doubled = outcomes[0], outcomes[1]
        with database.engine.begin() as connection:
            connection.execute(
                text("DELETE FROM alert_triage WHERE id = :id"), {"id": lost.acked[0]}
            )
        findings = check(settings, seed, outcomes)
        assert findings.missing == [f"triage {lost.acked[0]} ({lost.text})"]
        # the lost write's audit entry is still there: one entry more than stored writes
        assert findings.audit_entries == findings.audit_expected + 1 and not findings.ok
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO alert_triage (alert_id, alert_fingerprint, decision, reason,"
                    " by_name, at_ms) SELECT alert_id, alert_fingerprint, decision, reason,"
                    " by_name, at_ms FROM alert_triage WHERE id = :id"
                ),
                {"id": doubled.acked[0]},
            )
    findings = check(settings, seed, outcomes)
    assert findings.duplicated == [doubled.text] and not findings.ok
