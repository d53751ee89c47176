"""Accounts: the lock-out after wrong passwords (audited even though the request is
refused), the per-address limiter, argon2 details, tokens that expire or are revoked, and
role and state changes (both backends)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import update

from sanctionwatch.cases import accounts, audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Conflict, Locked, NotFound
from sanctionwatch.cases.identity import ClientLimiter, LocalPasswordProvider
from sanctionwatch.cases.models import ApiToken, UserAccount
from sanctionwatch.cases.principal import Principal, cli_principal
from sanctionwatch.config import Settings
from tests.cases.conftest import bearer

CLI = cli_principal()


def add(db: CasesDatabase, settings: Settings, name: str, role: str = "analyst") -> None:
    with db.begin() as session:
        accounts.add_user(session, settings, CLI, name, role, f"pw-{name}")


def log(db: CasesDatabase) -> list[tuple[str, str, dict[str, Any]]]:
    """The audit log as (action, target, detail)."""
    with db.read() as session:
        return [(e.action, e.target_id, json.loads(e.detail)) for e in audit.entries(session)]


def login(api: TestClient, name: str, password: str) -> Any:
    return api.post("/api/login", json={"username": name, "password": password})


def unlock_by_time(db: CasesDatabase, name: str) -> None:
    """As if the lock-out had run out (no sleeping in tests)."""
    with db.begin() as session:
        session.execute(
            update(UserAccount).where(UserAccount.name == name).values(locked_until_ms=1)
        )


def test_twenty_wrong_passwords_lock_the_account_and_are_all_logged(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "ana")
    answers = [login(api, "ana", f"guess-{n}") for n in range(20)]
    statuses = [a.status_code for a in answers]
    max_failures = settings.login_max_failures
    assert statuses == [401] * (max_failures - 1) + [429] * (21 - max_failures)
    lock_s = int(settings.login_lock_seconds)
    for answer in answers[max_failures - 1 :]:
        assert 0 < int(answer.headers["Retry-After"]) <= lock_s
    assert int(answers[max_failures - 1].headers["Retry-After"]) == lock_s
    # the right password is refused while locked
    right = login(api, "ana", "pw-ana")
    assert right.status_code == 429
    assert "locked" in right.json()["detail"]
    assert "set-cookie" not in right.headers
    entries = log(db)
    failed = [detail["reason"] for action, _, detail in entries if action == "login_failed"]
    assert failed == ["wrong_password"] * max_failures + ["locked"] * (21 - max_failures)
    locked = [(target, detail) for action, target, detail in entries if action == "login_locked"]
    assert locked == [("ana", {"failures": max_failures, "seconds": lock_s})]
    with db.read() as session:
        assert audit.verify(session).intact


def test_a_lock_out_runs_out_and_a_right_password_resets_the_count(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "ana")
    for n in range(settings.login_max_failures):
        login(api, "ana", f"guess-{n}")
    unlock_by_time(db, "ana")
    assert login(api, "ana", "pw-ana").status_code == 200
    with db.read() as session:
        user = accounts.get_user(session, "ana")
        assert (user.failed_logins, user.locked_until_ms) == (0, None)
    # a fresh count: max - 1 wrong passwords lock nothing
    for n in range(settings.login_max_failures - 1):
        assert login(api, "ana", f"guess-{n}").status_code == 401
    assert login(api, "ana", "pw-ana").status_code == 200


def test_each_further_lock_out_is_twice_as_long(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "ana")
    lock_s = int(settings.login_lock_seconds)
    retry_after = []
    for _ in range(3):
        for n in range(settings.login_max_failures):
            answer = login(api, "ana", f"guess-{n}")
        retry_after.append(int(answer.headers["Retry-After"]))
        unlock_by_time(db, "ana")
    assert retry_after == [lock_s, 2 * lock_s, 4 * lock_s]


def test_failures_are_logged_for_unknown_and_disabled_names(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "ana")
    with db.begin() as session:
        accounts.disable_user(session, CLI, "ana")
    assert login(api, "nobody", "x").status_code == 401
    assert login(api, "ana", "pw-ana").status_code == 401
    failed = [(t, d["reason"]) for a, t, d in log(db) if a == "login_failed"]
    assert failed == [("nobody", "unknown_user"), ("ana", "disabled")]


def test_one_address_guessing_many_names_is_limited(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    limit = 10 * settings.login_max_failures
    statuses = [login(api, f"name-{n}", "x").status_code for n in range(limit + 1)]
    assert statuses == [401] * limit + [429]
    add(db, settings, "ana")
    refused = login(api, "ana", "pw-ana")  # this address is refused outright for now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    entries = log(db)
    assert len([a for a, _, _ in entries if a == "login_failed"]) == limit  # refusals: not logged
    lock_s = int(settings.login_lock_seconds)
    assert [(t, d) for a, t, d in entries if a == "login_locked"] == [
        ("testclient", {"failures": limit, "seconds": lock_s})  # TestClient's address
    ]


def test_the_client_limiter_forgets_after_its_window_and_stays_bounded() -> None:
    now = [1000.0]
    limiter = ClientLimiter(3, 60.0, max_clients=2, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("10.0.0.1")
        limiter.record("10.0.0.1")
    with pytest.raises(Locked) as refused:
        limiter.check("10.0.0.1")
    assert refused.value.headers["Retry-After"] == "61"
    limiter.check("10.0.0.2")  # another address is not affected
    now[0] += 60.0
    limiter.check("10.0.0.1")
    for address in ("a", "b", "c"):
        limiter.record(address)
    assert len(limiter._failures) == 2


class CountingHasher(PasswordHasher):
    """A hasher that remembers which passwords it verified."""

    def __init__(self, settings: Settings) -> None:
        real = accounts.password_hasher(settings)
        super().__init__(real.time_cost, real.memory_cost, real.parallelism)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(str(password))
        return super().verify(hash, password)


def test_an_unknown_name_costs_an_argon2_verification(
    db: CasesDatabase, settings: Settings
) -> None:
    provider = LocalPasswordProvider(db, settings)
    provider.hasher = counting = CountingHasher(settings)
    assert provider.authenticate("nobody", "guess", client="10.0.0.9") is None
    add(db, settings, "ana")
    assert provider.authenticate("ana", "other guess", client="10.0.0.9") is None
    assert counting.verified == ["guess", "other guess"]


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(
    db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "ana")
    stronger = dataclasses.replace(settings, password_time_cost=settings.password_time_cost + 1)
    principal = LocalPasswordProvider(db, stronger).authenticate("ana", "pw-ana")
    assert principal == Principal(principal.user_id if principal else None, "ana", "analyst")
    with db.read() as session:
        stored = accounts.get_user(session, "ana").password_hash
    assert stored is not None
    assert f"t={stronger.password_time_cost}," in stored
    assert not accounts.password_hasher(stronger).check_needs_rehash(stored)
    PasswordHasher().verify(stored, "pw-ana")


def test_an_expired_token_is_401(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    headers = bearer(db, settings, "ana", "analyst")
    assert api.get("/api/me", headers=headers).status_code == 200
    with db.begin() as session:
        session.execute(update(ApiToken).values(expires_ms=audit.now_ms() - 1))
    assert api.get("/api/me", headers=headers).status_code == 401


def test_a_token_with_expiry_days_works_until_then(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    headers = bearer(db, settings, "ana", "analyst")
    answer = api.post("/api/me/tokens", json={"expires_days": 1}, headers=headers)
    assert answer.status_code == 201
    expires_ms = answer.json()["expires_ms"]
    assert 0 < expires_ms - audit.now_ms() <= 86_400_000
    assert (
        api.get("/api/me", headers={"Authorization": f"Bearer {answer.json()['token']}"}).json()[
            "name"
        ]
        == "ana"
    )


def test_a_revoked_token_is_401_and_the_revocation_is_logged(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    headers = bearer(db, settings, "ana", "analyst")
    made = api.post("/api/me/tokens", json={"label": "script"}, headers=headers).json()
    script = {"Authorization": f"Bearer {made['token']}"}
    assert api.get("/api/me", headers=script).status_code == 200
    assert api.delete(f"/api/tokens/{made['id']}", headers=headers).status_code == 204
    assert api.get("/api/me", headers=script).status_code == 401
    assert api.get("/api/me", headers=headers).status_code == 200  # only that token
    assert ("token_revoked", "ana", {"token_id": made["id"]}) in log(db)


def test_only_the_owner_or_an_admin_revokes_a_token(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    bob = bearer(db, settings, "bob", "analyst")
    boss = bearer(db, settings, "boss", "admin")
    made = api.post("/api/me/tokens", json={}, headers=ana).json()
    assert api.delete(f"/api/tokens/{made['id']}", headers=bob).status_code == 404
    assert (
        api.get("/api/me", headers={"Authorization": f"Bearer {made['token']}"}).status_code == 200
    )
    assert api.delete(f"/api/tokens/{made['id']}", headers=boss).status_code == 204
    assert (
        api.get("/api/me", headers={"Authorization": f"Bearer {made['token']}"}).status_code == 401
    )


def test_disabling_revokes_every_token_and_is_logged(db: CasesDatabase, settings: Settings) -> None:
    add(db, settings, "ana")
    with db.begin() as session:
        tokens = [accounts.create_token(session, CLI, "ana") for _ in range(2)]
        accounts.disable_user(session, CLI, "ana")
    with db.read() as session:
        assert [accounts.token_owner(session, t) for t in tokens] == [None, None]
        row = next(r for r in accounts.list_users(session) if r["name"] == "ana")
    assert (row["disabled"], row["tokens"]) == (True, 0)
    assert ("user_disabled", "ana", {"tokens_revoked": 2}) in log(db)
    with db.begin() as session, pytest.raises(Conflict):
        accounts.create_token(session, CLI, "ana")


def test_role_changes_are_logged_and_the_last_admin_stays(
    db: CasesDatabase, settings: Settings
) -> None:
    add(db, settings, "boss", "admin")
    add(db, settings, "ana", "viewer")
    with db.begin() as session:
        accounts.set_role(session, CLI, "ana", "analyst")
    assert ("role_changed", "ana", {"from": "viewer", "to": "analyst"}) in log(db)
    with db.begin() as session, pytest.raises(Conflict):
        accounts.set_role(session, CLI, "boss", "viewer")
    with db.begin() as session, pytest.raises(Conflict):
        accounts.disable_user(session, CLI, "boss")
    with db.begin() as session, pytest.raises(NotFound):
        accounts.set_role(session, CLI, "nobody", "viewer")
    with db.read() as session:
        assert [(r["name"], r["role"]) for r in accounts.list_users(session)] == [
            ("ana", "analyst"),
            ("boss", "admin"),
        ]


def test_an_admin_manages_users_through_the_api(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    admin = bearer(db, settings, "boss", "admin")
    new = {"name": "ana", "role": "viewer", "password": "s3cret"}
    made = api.post("/api/users", json=new, headers=admin)
    assert made.status_code == 201
    assert (made.json()["name"], made.json()["role"], made.json()["disabled"]) == (
        "ana",
        "viewer",
        False,
    )
    assert api.post("/api/users", json=new, headers=admin).status_code == 409
    assert api.post("/api/users", json={**new, "role": "boss"}, headers=admin).status_code == 422
    assert login(api, "ana", "s3cret").status_code == 200
    changed = api.patch("/api/users/ana", json={"role": "analyst"}, headers=admin)
    assert changed.json()["role"] == "analyst"
    assert api.get("/api/me").json() == {"name": "ana", "role": "analyst"}  # the live session
    assert api.patch("/api/users/nobody", json={"role": "viewer"}, headers=admin).status_code == 404
    issued = api.post("/api/users/ana/tokens", json={"label": "ci"}, headers=admin).json()
    as_ana = {"Authorization": f"Bearer {issued['token']}"}
    assert api.get("/api/me", headers=as_ana).json()["name"] == "ana"
    assert [t["label"] for t in api.get("/api/me/tokens", headers=as_ana).json()] == ["ci"]
    listed = {row["name"]: row for row in api.get("/api/users", headers=admin).json()}
    assert (listed["ana"]["role"], listed["ana"]["tokens"]) == ("analyst", 1)
    assert "password" not in json.dumps(listed)
    actions = [(a, t) for a, t, _ in log(db) if t == "ana"]
    assert actions == [
        ("user_added", "ana"),
        ("login", "ana"),
        ("role_changed", "ana"),
        ("token_created", "ana"),
    ]
