"""`sanctionwatch users ...` against the home's cases database (both backends), checked
through the API the way a team would use what the command made: the password signs in, the
token is a bearer token, a disabled user is shut out."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import ApiToken
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings


def users(settings: Settings, *args: str, stdin: str | None = None) -> Result:
    env = {"SANCTIONWATCH_DATABASE_URL": settings.database_url or ""}
    return CliRunner().invoke(
        cli, ["--home", str(settings.home), "users", *args], input=stdin, env=env
    )


def signs_in(api: TestClient, name: str, password: str) -> bool:
    answer = api.post("/api/login", json={"username": name, "password": password})
    return answer.status_code == 200


def actions(db: CasesDatabase) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [(e.actor_name, e.action, e.target_id) for e in audit.entries(session)]


def test_add_reads_the_password_from_stdin(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    result = users(settings, "add", "ana", "--role", "analyst", stdin="correct horse\n")
    assert result.exit_code == 0, result.output
    assert "correct horse" not in result.output
    assert "password" not in result.output  # nothing generated, nothing to show
    assert not signs_in(api, "ana", "correct horse\n")
    assert signs_in(api, "ana", "correct horse")
    assert (cli_principal().name, "user_added", "ana") in actions(db)


def test_add_without_stdin_generates_a_password_shown_once(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    result = users(settings, "add", "bob", "--role", "viewer")
    assert result.exit_code == 0, result.output
    password = result.output.split()[-1]
    assert len(password) >= 20
    assert signs_in(api, "bob", password)
    listed = json.loads(users(settings, "list", "--json").output)
    assert password not in json.dumps(listed)


def test_add_refuses_a_duplicate_and_an_unknown_role(settings: Settings, db: CasesDatabase) -> None:
    assert users(settings, "add", "ana", "--role", "admin", stdin="pw\n").exit_code == 0
    again = users(settings, "add", "ana", "--role", "admin", stdin="pw\n")
    assert again.exit_code != 0
    assert "exists already" in again.output
    assert users(settings, "add", "cat", "--role", "boss", stdin="pw\n").exit_code == 2


def test_token_prints_a_bearer_token_as_its_last_word(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    users(settings, "add", "ana", "--role", "analyst", stdin="pw-ana\n")
    result = users(settings, "token", "ana", "--label", "nightly", "--expires-days", "30")
    assert result.exit_code == 0, result.output
    token = result.output.split()[-1]
    assert token.startswith("swt_")
    me = api.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"name": "ana", "role": "analyst"}
    with db.read() as session:
        label, created, expires = session.execute(
            select(ApiToken.label, ApiToken.created_ms, ApiToken.expires_ms)
        ).one()
    assert (label, expires - created) == ("nightly", 30 * 86_400_000)
    assert (cli_principal().name, "token_created", "ana") in actions(db)


def test_token_for_an_unknown_user_fails_cleanly(settings: Settings, db: CasesDatabase) -> None:
    result = users(settings, "token", "nobody")
    assert result.exit_code == 1
    assert "no user named 'nobody'" in result.output
    assert "Traceback" not in result.output


def test_disable_shuts_the_user_out_at_once_and_enable_lets_them_sign_in_again(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    users(settings, "add", "ana", "--role", "analyst", stdin="pw-ana\n")
    token = users(settings, "token", "ana").output.split()[-1]
    assert signs_in(api, "ana", "pw-ana")  # a browser session too
    assert users(settings, "disable", "ana").exit_code == 0
    assert api.get("/api/me").status_code == 401
    assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert not signs_in(api, "ana", "pw-ana")
    assert (cli_principal().name, "user_disabled", "ana") in actions(db)
    assert users(settings, "enable", "ana").exit_code == 0
    assert signs_in(api, "ana", "pw-ana")
    assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert (cli_principal().name, "user_enabled", "ana") in actions(db)


def test_role_changes_what_the_user_may_do(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    users(settings, "add", "ana", "--role", "viewer", stdin="pw-ana\n")
    headers = {"Authorization": f"Bearer {users(settings, 'token', 'ana').output.split()[-1]}"}
    assert api.get("/api/users", headers=headers).status_code == 403
    assert users(settings, "role", "ana", "admin").exit_code == 0
    assert api.get("/api/users", headers=headers).status_code == 200
    assert (cli_principal().name, "role_changed", "ana") in actions(db)


def test_list_shows_every_user_as_a_table_and_as_json(
    settings: Settings, db: CasesDatabase
) -> None:
    assert users(settings, "list").output.startswith("no users yet")
    users(settings, "add", "ana", "--role", "analyst", stdin="pw\n")
    users(settings, "add", "bob", "--role", "viewer", stdin="pw\n")
    users(settings, "token", "ana")
    users(settings, "disable", "bob")
    table = users(settings, "list").output.splitlines()
    assert table[0].split() == ["name", "role", "state", "tokens"]
    assert [line.split() for line in table[1:]] == [
        ["ana", "analyst", "active", "1"],
        ["bob", "viewer", "disabled", "0"],
    ]
    rows = json.loads(users(settings, "list", "--json").output)
    assert [(r["name"], r["role"], r["disabled"], r["tokens"]) for r in rows] == [
        ("ana", "analyst", False, 1),
        ("bob", "viewer", True, 0),
    ]
