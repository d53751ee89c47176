"""`sanctionwatch users add|list|disable|enable|role|token`: the team's accounts, by command.

Every command opens the home's cases database (``SANCTIONWATCH_DATABASE_URL`` for
PostgreSQL) and calls cases.accounts; every change is audited with the OS user running the
command as the actor (``cli:<user>``, see cases.principal.cli_principal).
"""

from __future__ import annotations

import json
import secrets
import sys

import click

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import ROLES, cli_principal
from sanctionwatch.cli_support import Group, stdout
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError

ROLE_CHOICE = click.Choice(ROLES)


@click.group("users", cls=Group)
def users() -> None:
    """Users of the team workspace: add, list, disable, change roles, make tokens."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the user may do.")
@click.pass_context
def add(ctx: click.Context, name: str, role: str) -> None:
    """Add user NAME. The password is read from stdin (its first line) when something is
    piped in; otherwise one is generated and printed once."""
    password = _piped_password()
    generated = password is None
    if password is None:
        password = secrets.token_urlsafe(18)
    settings: Settings = ctx.obj
    with CasesDatabase.open(settings) as database, database.begin() as session:
        user = accounts.add_user(session, settings, cli_principal(), name, role, password)
    stdout.print(f"added {user.name} ({user.role})")
    if generated:
        stdout.print(f"password for {user.name} (shown once, not stored): {password}")


def _piped_password() -> str | None:
    stream = sys.stdin
    if stream is None or stream.isatty():
        return None
    line = stream.readline().rstrip("\r\n")
    if not line:
        return None
    return accounts.check_password(line)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of users.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every user with their role, state and number of live tokens."""
    with CasesDatabase.open(ctx.obj) as database, database.read() as session:
        rows = accounts.list_users(session)
    if as_json:
        click.echo(json.dumps(rows))
        return
    if not rows:
        stdout.print("no users yet: sanctionwatch users add NAME --role admin")
        return
    stdout.print(f"{'name':<24} {'role':<8} {'state':<26} tokens")
    for row in rows:
        state = "disabled" if row["disabled"] else "active"
        if row["locked_until_ms"]:
            state = f"locked until {iso_utc(row['locked_until_ms'])}"
        stdout.print(f"{row['name']:<24} {row['role']:<8} {state:<26} {row['tokens']}")


@users.command("disable")
@click.argument("name")
@click.pass_context
def disable(ctx: click.Context, name: str) -> None:
    """Disable NAME: their sessions end and their tokens are revoked at once."""
    with CasesDatabase.open(ctx.obj) as database, database.begin() as session:
        accounts.disable_user(session, cli_principal(), name)
    stdout.print(f"disabled {name}; their sessions ended and their tokens are revoked")


@users.command("enable")
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Enable NAME again (and clear any lock-out). Their old tokens stay revoked."""
    with CasesDatabase.open(ctx.obj) as database, database.begin() as session:
        accounts.set_disabled(session, cli_principal(), name, False)
    stdout.print(f"enabled {name}")


@users.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@click.pass_context
def role(ctx: click.Context, name: str, role: str) -> None:
    """Give NAME the role ROLE (it applies to their next request)."""
    with CasesDatabase.open(ctx.obj) as database, database.begin() as session:
        accounts.set_role(session, cli_principal(), name, role)
    stdout.print(f"{name} is now {role}")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in lists).")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Expire after N days.")
@click.pass_context
def token(ctx: click.Context, name: str, label: str, expires_days: int | None) -> None:
    """A new personal token for NAME, printed once as the last word of the output (only
    its SHA-256 is kept). Send it as 'Authorization: Bearer <token>'."""
    if label and not label.isprintable():
        raise InputError("a token label is printable text")
    with CasesDatabase.open(ctx.obj) as database, database.begin() as session:
        issued = accounts.issue_token(
            session, cli_principal(), name, label=label, valid_days=expires_days
        )
    expires_ms = issued.expires_ms
    until = "never expires" if expires_ms is None else f"expires {iso_utc(expires_ms)}"
    stdout.print(f"token {issued.token_id} for {name} ({until}; shown once): {issued.token}")
