"""The team API under load, and killed with SIGKILL mid-burst (issue 14's reliability goals).

Run: .venv/bin/python bench/bench_cases_load.py [--mode load|kill]
     [--backend sqlite|postgresql|both] [--seconds 60] [--clients 20] [--kills 3] [--markdown FILE]

load: a home seeded with an admin, ``--clients`` analysts (each a personal token), 300 alerts
in alerts.sqlite and 30 open cases; ``sanctionwatch serve`` on 127.0.0.1 over it; one thread
per analyst (httpx, one connection each) for ``--seconds``: 4 in 10 requests triage an alert
(``POST /api/alerts/{id}/triage``, unsure or dismissed, with a reason unique to the request),
4 in 10 write a note (``POST /api/cases/{id}/notes``, a unique text), 2 in 10 list alerts
(``GET /api/alerts?limit=20``). Afterwards, read from the database: no 5xx; every
acknowledged write (the ids answered) stored, with its text, and no text stored twice; the
audit chain verifies and holds exactly the setup's entries plus one per stored write.
Latency p50/p95 per endpoint as the clients measured it (loopback, includes HTTP), throughput.

kill: the same home with 8 analysts writing (triage and notes) as fast as they can; once the
clients hold 200 acknowledged writes the server gets SIGKILL (no shutdown), is restarted on the
same database, and the clients write again, ``--kills`` times; then the same checks, and
``sanctionwatch audit verify`` must exit 0. Writes in flight at the kill may or may not be
stored (the clients never heard); every acknowledged one must be.

PostgreSQL: a throwaway server from tests/pg_server.py (the distribution's binaries), one
database, ``SANCTIONWATCH_DATABASE_URL`` set for the server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cases_load_check import check, latency_table  # noqa: E402
from bench.cases_load_support import (  # noqa: E402
    FAST_HASHING,
    Server,
    audit_verify,
    kill_bursts,
    list_alerts_op,
    note_op,
    run_clients,
    seed_home,
    triage_op,
)
from tests import pg_server  # noqa: E402

from sanctionwatch.config import Settings  # noqa: E402

KILL_AFTER = 200  # acknowledged writes per burst before the kill


@contextmanager
def backend_url(backend: str) -> Iterator[str | None]:
    """None for SQLite; a fresh database on a throwaway PostgreSQL server."""
    if backend == "sqlite":
        yield None
        return
    server_url, directory = pg_server.start()
    try:
        yield pg_server.create_database(server_url, "bench")
    finally:
        pg_server.stop(directory)


def load(backend: str, seconds: float, clients: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as tmp, backend_url(backend) as url:
        home = Path(tmp) / "home"
        seed = seed_home(home, url, analysts=clients, alerts=300, cases=30)
        server = Server(home, url, port=pg_server.free_port())
        server.start()
        try:
            ops = [
                (triage_op(seed.alert_ids), 4),
                (note_op(seed.case_ids), 4),
                (list_alerts_op(), 2),
            ]
            started, clients_cpu = time.perf_counter(), time.process_time()
            server_cpu = cpu_seconds(server)
            outcomes = run_clients(server.base_url, seed.tokens, ops, seconds=seconds)
            elapsed = time.perf_counter() - started
            clients_cpu = time.process_time() - clients_cpu
            server_cpu = cpu_seconds(server) - server_cpu
        finally:
            server.stop()
        findings = check(_settings(home, url), seed, outcomes)
    writes = sum(1 for o in outcomes if o.acked)
    return {
        "backend": backend, "mode": "load", "clients": clients, "seconds": round(elapsed, 1),
        "requests": len(outcomes), "requests_per_s": round(len(outcomes) / elapsed, 1),
        "acked_writes": writes, "writes_per_s": round(writes / elapsed, 1),
        "endpoints": latency_table(outcomes, elapsed), "findings": asdict(findings),
        "cpu_s": {"clients": round(clients_cpu, 1), "server": round(server_cpu, 1)},
        "load_average": os.getloadavg(),
        "ok": findings.ok,
    }  # fmt: skip


def cpu_seconds(server: Server) -> float:
    """The server process's CPU time so far (Linux /proc), so the CPU its clients took on the
    same cores can be told apart."""
    assert server.process is not None
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kill(backend: str, kills: int, clients: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as tmp, backend_url(backend) as url:
        home = Path(tmp) / "home"
        seed = seed_home(home, url, analysts=clients, alerts=100, cases=10)
        outcomes, unanswered = kill_bursts(home, url, seed, kills=kills, after=KILL_AFTER)
        findings = check(_settings(home, url), seed, outcomes)
        verify = audit_verify(home, url)
    return {
        "backend": backend, "mode": "kill", "clients": clients, "kills": kills,
        "acked_writes": sum(len(o.acked) for o in outcomes),
        "unanswered_at_kill": unanswered, "findings": asdict(findings),
        "audit_verify_exit": verify.returncode, "audit_verify": verify.stdout.strip(),
        "ok": findings.ok and verify.returncode == 0,
    }  # fmt: skip


def _settings(home: Path, url: str | None) -> Settings:
    return Settings(home=home, database_url=url, **FAST_HASHING)  # type: ignore[arg-type]


def markdown(results: list[dict[str, Any]], command: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {when}; `{command}`",
        "",
    ]
    for result in results:
        findings = result["findings"]
        head = (
            f"**{result['backend']} {result['mode']}**: ok={result['ok']}; acknowledged writes "
            f"{result['acked_writes']}; stored {findings['stored']}; missing "
            f"{len(findings['missing'])}; duplicated {len(findings['duplicated'])}; 5xx "
            f"{findings['server_errors']}; 4xx {findings['refused']}; "
            f"audit intact={findings['audit_intact']}, entries "
            f"{findings['audit_entries']} (expected {findings['audit_expected']})"
        )
        if result["mode"] == "kill":
            head += (
                f"; {result['kills']} kills, {result['unanswered_at_kill']} requests cut; "
                f"audit verify exit {result['audit_verify_exit']}"
            )
        else:
            head += (
                f"; {result['requests']} requests in {result['seconds']} s "
                f"({result['requests_per_s']} req/s, {result['writes_per_s']} writes/s); "
                f"CPU s: clients {result['cpu_s']['clients']}, server {result['cpu_s']['server']}; "
                f"load average {result['load_average'][0]:.1f}"
            )
        lines += [head, ""]
        if result["mode"] == "load":
            lines += ["| endpoint | requests | statuses | p50 ms | p95 ms | max ms | req/s |",
                      "|---|---|---|---|---|---|---|"]  # fmt: skip
            for row in result["endpoints"]:
                lines.append(
                    f"| {row['op']} | {row['requests']} | {row['statuses']} | {row['p50_ms']} "
                    f"| {row['p95_ms']} | {row['max_ms']} | {row['per_s']} |"
                )
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("load", "kill"), default="load")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--markdown", type=Path, help="Append the results to this file.")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    for backend in backends:
        if args.mode == "load":
            result = load(backend, args.seconds, args.clients or 20)
        else:
            result = kill(backend, args.kills, args.clients or 8)
        print(json.dumps(result, indent=1), flush=True)
        results.append(result)
    text = markdown(results, "python " + " ".join(sys.argv))
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    if not all(result["ok"] for result in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
