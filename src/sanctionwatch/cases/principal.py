"""Who is acting: a signed-in user, a token's owner, or the command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Literal

Role = Literal["admin", "analyst", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "viewer")
# What each role may do, in rising order: a role can do everything the ones before it can.
RANK: dict[str, int] = {"viewer": 0, "analyst": 1, "admin": 2}


@dataclass(frozen=True)
class Principal:
    """An actor. ``user_id`` is None for the command line (an OS user, not an account)."""

    user_id: int | None
    name: str
    role: Role

    def can(self, role: Role) -> bool:
        """True when this actor has ``role`` or a stronger one."""
        return RANK[self.role] >= RANK[role]


def cli_principal() -> Principal:
    """The command line acts as the OS user running it, with admin rights over the home
    (whoever can run commands on the home can read and write its files anyway)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        who = "unknown"
    return Principal(None, f"cli:{who}", "admin")
