"""A throwaway PostgreSQL server for the cases suite: the distribution's binaries, run as an
unprivileged user, listening on a free loopback port, data in a temporary directory.

Used two ways:

- ``python3 -m tests.pg_server start`` (by ``.ci/run``) prints ``URL DIR``; ``stop DIR``
  stops it and deletes the directory. The suite then reads ``SANCTIONWATCH_TEST_DATABASE_URL``.
- the ``pg_url`` fixture (tests/cases/conftest.py) starts one for the session when that
  variable is not set, so ``make test`` covers PostgreSQL on a developer's machine too.

Standard library only: ``.ci/run`` calls it before the virtual environment exists.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_URL = "SANCTIONWATCH_TEST_DATABASE_URL"
SERVICE_USER = "postgres"  # initdb refuses root: as root, the server runs as this user


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVICE_USER, "--", *command]


def start() -> tuple[str, Path]:
    """Start a server; its URL (database ``postgres``) and its directory."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("PostgreSQL binaries not found (apt-get install postgresql)")
    # Not under pytest's temporary root: that is mode 0700, which the server user cannot enter.
    directory = Path(tempfile.mkdtemp(prefix="sanctionwatch-pg-"))
    password = secrets.token_hex(16)
    (directory / "pw").write_text(password + "\n", encoding="ascii")
    (directory / "sock").mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVICE_USER)
        for path in (directory, directory / "pw", directory / "sock"):
            os.chown(path, user.pw_uid, user.pw_gid)
    os.chmod(directory, 0o700)
    port = free_port()
    data = directory / "data"
    run = _as_server_user
    subprocess.run(
        run([
            str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
            "--locale=C.UTF-8", f"--pwfile={directory / 'pw'}",
        ]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {directory / 'sock'} -c fsync=on"
    subprocess.run(
        run([
            str(binaries / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w",
            "-o", options, "start",
        ]),
        check=True, capture_output=True,
    )  # fmt: skip
    return f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres", directory


def stop(directory: Path) -> None:
    """Stop the server started in ``directory`` and delete it."""
    binaries = bin_dir()
    if binaries is not None and (directory / "data" / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(directory / "data"),
                             "-m", "fast", "-w", "stop"]),
            check=False, capture_output=True,
        )  # fmt: skip
    shutil.rmtree(directory, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A new, empty database ``name`` on the server; its URL (SQLAlchemy, imported here: the
    rest of this module must run before the virtual environment exists)."""
    from sqlalchemy.engine import make_url

    _as_admin(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    _as_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_admin(server_url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(
        make_url(server_url).set(drivername="postgresql+pg8000"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        url, where = start()
        print(url, where)
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        stop(Path(sys.argv[2]))
    else:
        sys.exit("usage: python3 -m tests.pg_server start | stop DIR")
