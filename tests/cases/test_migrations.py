"""The cases schema is made and upgraded by the migrations, never wiped: a home at revision
0001 with a row in every table upgrades to head with every row kept (both backends); the
migrated schema is exactly the models; re-opening changes nothing; the migrations ship
inside the package."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase, _alembic_config, database_url
from sanctionwatch.cases.models import Base
from sanctionwatch.cases.principal import Principal
from sanctionwatch.config import Settings

ROOT = Path(__file__).parents[2]
ADA = Principal(1, "ada", "admin")
# One row in every table of revision 0001 (audit_head is made by the migration itself).
ROWS_0001 = [
    "INSERT INTO meta (key, value) VALUES ('alerts_home', '/srv/sw')",
    "INSERT INTO user_account (id, name, role, password_hash, disabled, failed_logins,"
    " created_ms) VALUES (1, 'ada', 'admin', 'argon2-hash', false, 0, 1000)",
    "INSERT INTO api_token (id, user_id, token_sha256, label, created_ms)"
    " VALUES (1, 1, 'a1b2', 'script', 1001)",
    "INSERT INTO web_session (id, user_id, token_sha256, csrf_token, created_ms, expires_ms,"
    " last_seen_ms) VALUES (1, 1, 'c3d4', 'csrf', 1002, 9000, 1002)",
    "INSERT INTO case_file (id, title, status, created_by_id, created_ms, updated_ms, version)"
    " VALUES (1, 'Rajin shuttle', 'open', 1, 1003, 1003, 1)",
    "INSERT INTO case_assignee (case_id, user_id) VALUES (1, 1)",
    "INSERT INTO case_subject (id, case_id, kind, subject_key, mmsi, added_by_id, added_ms,"
    " as_of_ms, snapshot, snapshot_sha256) VALUES (1, 1, 'vessel', 'mmsi:445123000',"
    " 445123000, 1, 1004, 1004, '{}', 'e5f6')",
    "INSERT INTO alert_triage (id, alert_id, alert_fingerprint, decision, case_id, by_user_id,"
    " by_name, at_ms) VALUES (1, 7, 'fp7', 'accepted', 1, 1, 'ada', 1005)",
    "INSERT INTO note (id, case_id, author_id, author_name, created_ms)"
    " VALUES (1, 1, 1, 'ada', 1006)",
    "INSERT INTO note_version (note_id, version, text, edited_ms) VALUES (1, 1, 'seen', 1006)",
    "INSERT INTO attachment (id, case_id, sha256, size_bytes, media_type, filename,"
    " added_by_id, added_ms) VALUES (1, 1, 'aa', 3, 'text/plain', 'a.txt', 1, 1007)",
]
COUNTED = [
    "meta", "user_account", "api_token", "web_session", "case_file", "case_assignee",
    "case_subject", "alert_triage", "note", "note_version", "attachment", "audit_entry",
]  # fmt: skip


def upgrade(database: CasesDatabase, revision: str) -> None:
    with database.engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def counts(database: CasesDatabase) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED
        }


def home_at_0001(settings: Settings) -> str:
    """A cases database made by revision 0001 only, a row in every table, 3 audit entries."""
    url = database_url(settings)
    with CasesDatabase(url, migrate=False) as old:
        upgrade(old, "0001")
        assert old.revision() == "0001"
        assert "description" not in _columns(old, "case_file")
        with old.engine.begin() as connection:
            for statement in ROWS_0001:
                connection.execute(text(statement))
            session = Session(bind=connection)
            for action in ("user_added", "case_created", "note_added"):
                audit.append(session, ADA, action, "case", 1, {"by": "0001"})
            session.flush()
    return url


def _columns(database: CasesDatabase, table: str) -> list[str]:
    return [column["name"] for column in inspect(database.engine).get_columns(table)]


def test_upgrading_from_0001_keeps_every_row(settings: Settings) -> None:
    url = home_at_0001(settings)
    with CasesDatabase(url, migrate=False) as old:
        before = counts(old)
    assert all(n == 1 for t, n in before.items() if t != "audit_entry")
    with CasesDatabase(url) as new:  # migrates to head
        assert new.revision() == "0003"
        indexes = {i["name"] for i in inspect(new.engine).get_indexes("audit_entry")}
        assert "ix_audit_entry_target" in indexes
        assert counts(new) == before
        with new.engine.connect() as connection:
            row = connection.execute(text("SELECT title, description FROM case_file")).one()
        assert tuple(row) == ("Rajin shuttle", "")
        with new.read() as session:
            verdict = audit.verify(session)
        assert verdict.intact and verdict.entries == 3
        # the foreign keys still hold after SQLite's copy-and-rename of case_file
        if new.is_sqlite:
            with new.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_the_migrated_schema_is_exactly_the_models(db: CasesDatabase) -> None:
    with db.engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert drift == []


def test_the_schema_upgraded_from_0001_is_exactly_the_models(settings: Settings) -> None:
    with CasesDatabase(home_at_0001(settings)) as upgraded, upgraded.engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert drift == []


def test_reopening_a_migrated_home_changes_nothing(settings: Settings) -> None:
    url = home_at_0001(settings)
    CasesDatabase(url).close()
    with CasesDatabase(url, migrate=False) as again:
        before = counts(again)
        changes: list[str] = []

        @event.listens_for(again.engine, "before_cursor_execute")
        def record(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
            verb = statement.lstrip().split(None, 1)[0].upper()
            if verb not in ("SELECT", "PRAGMA", "BEGIN", "SHOW"):
                changes.append(statement)

        again.migrate()
        assert changes == []
        assert again.revision() == "0003" and counts(again) == before


def test_the_migrations_are_package_data() -> None:
    migrations = importlib.resources.files("sanctionwatch.cases") / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    versions = {p.name for p in (migrations / "versions").iterdir() if p.name.endswith(".py")}
    assert {"0001_initial.py", "0002_case_description.py", "0003_audit_target_index.py"} <= versions


def test_the_wheel_ships_the_migrations_and_the_pages(tmp_path: Path) -> None:
    # A copy of the committed tree: building in the shared checkout would leave build files.
    source = tmp_path / "src"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"], check=True, capture_output=True
    ).stdout
    source.mkdir()
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         str(source), "-w", str(tmp_path / "dist")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("sanctionwatch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    base = "sanctionwatch/cases/migrations/"
    for name in ("env.py", "script.py.mako", "versions/0001_initial.py"):
        assert base + name in names
    # every migration of the source tree is in the wheel
    tree = source / "src" / base
    shipped = {
        p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.suffix in (".py", ".mako")
    }
    assert "versions/0002_case_description.py" in shipped
    assert {base + name for name in shipped} <= names
    # ... and so does everything the workspace's pages need offline (templates, vendored
    # scripts, the base map): a wheel install serves the same pages as a checkout.
    for name in (
        "web/templates/base.html",
        "web/static/vendor/maplibre-gl/maplibre-gl.mjs",
        "web/static/vendor/maplibre-gl/maplibre-gl-worker.mjs",
        "web/static/vendor/htmx/htmx.min.js",
        "web/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "web/static/geo/land-50m.geojson",
    ):
        assert f"sanctionwatch/{name}" in names
