"""What the cases load and kill -9 runs share (bench/bench_cases_load.py, tests/cases/test_kill.py):
a seeded home, the real server in a subprocess, analysts as client threads. The check that
every acknowledged write is in the database exactly once and the audit chain holds is in
cases_load_check.py.

The home: a small real list (the OFAC SDN DPRK excerpt in FtM: ``serve`` needs a list), an
admin and N analysts with personal tokens, alerts in ``alerts.sqlite`` (raised through
``AlertStore.raise_alerts`` as ``run`` raises them) and open cases. The server is
``sanctionwatch serve`` on 127.0.0.1 (one process, uvicorn; sync routes in its thread pool).

Each client thread is one analyst with a token. A write carries a text unique to it (note
text, triage reason ``bench c<client>-<run>.<n>``), so a duplicated write shows as a text stored
twice, and the ids the server answered with are the acknowledged writes. Every committed
write appends one audit entry in its own transaction, so after any run:
audit entries == setup entries + triage rows + note rows.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from tests import pg_server

from sanctionwatch.alerts.evaluate import Candidate
from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.cases import accounts, audit
from sanctionwatch.cases.cases import create_case
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore

ROOT = Path(__file__).resolve().parents[1]
FTM_EXCERPT = ROOT / "tests/data/lists/ftm/opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json"
API_KEY = "bench-screening-key"
TAG = "bench c"  # every bench write's text starts with this
# argon2 at its lowest for seeding accounts (requests authenticate by token: SHA-256 only)
FAST_HASHING = {"password_time_cost": 1, "password_memory_kib": 8, "password_parallelism": 1}


@dataclass(frozen=True)
class Seed:
    """What the clients work on, and how many audit entries setting it up made."""

    tokens: list[str]
    alert_ids: list[int]
    case_ids: list[int]
    setup_entries: int


def seed_home(home: Path, db_url: str | None, *, analysts: int, alerts: int, cases: int) -> Seed:
    """Load the list, raise ``alerts`` alerts, add the accounts and ``cases`` cases."""
    home.mkdir(parents=True, exist_ok=True)
    with ListStore(home / "lists.sqlite") as store:
        load_lists(store, [FTM_EXCERPT])
    candidates = [
        Candidate(
            rule="risk_high",
            title="A vessel's risk is high",
            severity="high",
            subject_key=f"vessel:{412000000 + i}",
            subject={"mmsi": 412000000 + i, "name": f"BENCH STAR {i}"},
            summary=f"risk high for vessel {i}",
            evidence=(),
            fingerprint=f"bench-{i}",
        )
        for i in range(alerts)
    ]
    with AlertStore(home, writable=True) as store:
        alert_ids = [alert.row.id for alert in store.raise_alerts(candidates)]
    settings = Settings(home=home, database_url=db_url, **FAST_HASHING)  # type: ignore[arg-type]
    actor = cli_principal()
    tokens, case_ids = [], []
    with CasesDatabase.open(settings) as database:
        with database.begin() as session:
            accounts.add_user(session, settings, actor, "lead", "admin", "pw-lead")
            for n in range(analysts):
                name = f"analyst{n:02d}"
                accounts.add_user(session, settings, actor, name, "analyst", f"pw-{name}")
                tokens.append(accounts.create_token(session, actor, name, label="bench"))
            case_ids = [create_case(session, actor, f"Bench case {n}").id for n in range(cases)]
        with database.read() as session:
            setup = audit.verify(session).entries
    return Seed(tokens, alert_ids, case_ids, setup)


class Server:
    """``sanctionwatch serve`` on the home, in a subprocess (its output in ``log``)."""

    def __init__(self, home: Path, db_url: str | None, *, port: int) -> None:
        self.home, self.db_url, self.port = home, db_url, port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = home.parent / f"server-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 60.0) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
        env["SANCTIONWATCH_API_KEY"] = API_KEY
        if self.db_url:
            env["SANCTIONWATCH_DATABASE_URL"] = self.db_url
        command = [
            sys.executable, "-m", "sanctionwatch", "--home", str(self.home),
            "serve", "--host", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text(errors='replace')}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # polling for readiness, not timing anything
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout_s} s")

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Outcome:
    """One request as the client saw it. ``acked``: the ids the server answered with."""

    op: str
    status: int | None  # None: no answer (connection refused or cut); -1: the client failed
    seconds: float
    text: str = ""
    acked: list[int] = field(default_factory=list)


class Tally:
    """Acknowledged writes counted across clients; ``reached`` is set at ``target``."""

    def __init__(self, target: int | None = None) -> None:
        self.count, self.target = 0, target
        self.reached = threading.Event()
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.count += 1
            if self.target is not None and self.count >= self.target:
                self.reached.set()


Op = Callable[[httpx.Client, random.Random, str], Outcome]


def triage_op(alert_ids: Sequence[int]) -> Op:
    def run(client: httpx.Client, rng: random.Random, label: str) -> Outcome:
        alert_id = rng.choice(alert_ids)
        decision = rng.choice(("unsure", "dismissed"))
        body = {"decision": decision, "reason": label}
        return _post(client, "triage", f"/api/alerts/{alert_id}/triage", body, label)

    return run


def note_op(case_ids: Sequence[int]) -> Op:
    def run(client: httpx.Client, rng: random.Random, label: str) -> Outcome:
        case_id = rng.choice(case_ids)
        body = {"text": f"{label}: the *MMSI* changed twice in a week; see the AIS gap."}
        return _post(client, "note", f"/api/cases/{case_id}/notes", body, label)

    return run


def list_alerts_op() -> Op:
    def run(client: httpx.Client, rng: random.Random, label: str) -> Outcome:
        started = time.perf_counter()
        answer = client.get("/api/alerts", params={"limit": 20})
        return Outcome("alerts list", answer.status_code, time.perf_counter() - started)

    return run


def _post(client: httpx.Client, op: str, path: str, body: Mapping[str, Any], label: str) -> Outcome:
    started = time.perf_counter()
    answer = client.post(path, json=body)
    seconds = time.perf_counter() - started
    outcome = Outcome(op, answer.status_code, seconds, label)
    if answer.status_code in (200, 201):
        outcome.acked = acknowledged_ids(answer.json())
    return outcome


def acknowledged_ids(body: Any) -> list[int]:
    """The ids of the rows a write answer names: ``{"id"}`` (a note), ``{"triage": {"id"}}``
    (one alert) or ``{"triaged": [{"id"}]}`` (bulk)."""
    if isinstance(body, dict) and isinstance(body.get("triage"), dict):
        return [int(body["triage"]["id"])]
    if isinstance(body, dict) and isinstance(body.get("triaged"), list):
        return [int(record["id"]) for record in body["triaged"]]
    if isinstance(body, dict) and "id" in body:
        return [int(body["id"])]
    raise ValueError(f"a write answer without the id of what it wrote: {body!r}")


def run_clients(
    base_url: str,
    tokens: Sequence[str],
    ops: Sequence[tuple[Op, int]],
    *,
    seconds: float | None = None,
    tally: Tally | None = None,
    stop_on_no_answer: bool = False,
    seed: int = 1,
) -> list[Outcome]:
    """One thread per token, each doing ops (weighted) until ``seconds`` pass or (with
    ``stop_on_no_answer``) the server stops answering. Every request's outcome, in no order."""
    deadline = None if seconds is None else time.monotonic() + seconds
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    functions = [op for op, _ in ops]
    weights = [weight for _, weight in ops]

    def analyst(n: int, token: str) -> None:
        rng = random.Random(seed * 1000 + n)
        mine: list[Outcome] = []
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            for i in range(10**9):
                if deadline is not None and time.monotonic() >= deadline:
                    break
                op = rng.choices(functions, weights)[0]
                label = f"{TAG}{n}-{seed}.{i}"  # unique across runs on one home
                started = time.perf_counter()
                try:
                    outcome = op(client, rng, label)
                except httpx.TransportError as exc:
                    outcome = Outcome(type(exc).__name__, None, time.perf_counter() - started)
                except Exception as exc:
                    outcome = Outcome(f"client error: {exc}"[:300], -1, 0.0)
                    mine.append(outcome)
                    break
                mine.append(outcome)
                if outcome.acked and tally is not None:
                    tally.add()
                if outcome.status is None and stop_on_no_answer:
                    break
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=analyst, args=(n, t)) for n, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def kill_bursts(
    home: Path, url: str | None, seed: Seed, *, kills: int, after: int,
    final_seconds: float = 2.0,
) -> tuple[list[Outcome], int]:  # fmt: skip
    """``kills`` times: start the server, write until ``after`` more writes are acknowledged,
    SIGKILL it; then one last burst of ``final_seconds`` on the restarted server, stopped
    cleanly. All outcomes, and how many requests got no answer (cut by the kills)."""
    ops = [(triage_op(seed.alert_ids), 1), (note_op(seed.case_ids), 1)]
    outcomes: list[Outcome] = []
    port = pg_server.free_port()
    for burst in range(kills + 1):
        server = Server(home, url, port=port)
        server.start()
        tally = Tally(target=after)
        done: list[Outcome] = []

        def clients(
            burst: int = burst, tally: Tally = tally, done: list[Outcome] = done,
            base_url: str = server.base_url,
        ) -> None:  # fmt: skip
            done.extend(
                run_clients(
                    base_url, seed.tokens, ops, tally=tally, stop_on_no_answer=True,
                    seed=burst + 1, seconds=None if burst < kills else final_seconds,
                )
            )  # fmt: skip

        thread = threading.Thread(target=clients)
        thread.start()
        try:
            if burst < kills:
                reached = tally.reached.wait(timeout=120)
                server.kill()
                if not reached:
                    raise RuntimeError(f"burst {burst}: {after} writes not acknowledged in 120 s")
        finally:
            thread.join()
            server.stop()
        outcomes += done
    return outcomes, sum(1 for o in outcomes if o.status is None)


def audit_verify(home: Path, url: str | None) -> subprocess.CompletedProcess[str]:
    """``sanctionwatch audit verify`` on the home, run as a team would (its own process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    if url:
        env["SANCTIONWATCH_DATABASE_URL"] = url
    command = [sys.executable, "-m", "sanctionwatch", "--home", str(home), "audit", "verify"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)
