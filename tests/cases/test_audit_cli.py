"""`sanctionwatch audit verify` and `audit export`, driven as a team would, on both backends:
an untouched log exits 0 with its head; a row edited, deleted or inserted directly in the
database exits 1 naming that entry; an export is JSON lines and is itself logged."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import text

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AuditEntry
from sanctionwatch.cases.principal import Principal
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings

ANA = Principal(1, "ana", "analyst")


def run(settings: Settings, *args: str) -> Result:
    env = {"SANCTIONWATCH_DATABASE_URL": settings.database_url or ""}
    return CliRunner().invoke(cli, ["--home", str(settings.home), "audit", *args], env=env)


def fill(db: CasesDatabase, n: int) -> None:
    for i in range(1, n + 1):
        with db.begin() as session:
            audit.append(session, ANA, "note_added", "case", i, {"note": i})


def head(db: CasesDatabase) -> audit.Verdict:
    with db.read() as session:
        return audit.verify(session)


def test_an_untouched_log_verifies_and_prints_its_head(
    settings: Settings, db: CasesDatabase
) -> None:
    fill(db, 5)
    result = run(settings, "verify")
    assert result.exit_code == 0, result.output
    verdict = head(db)
    assert "5 entries" in result.output
    assert f"head: entry 5 {verdict.head_hash}" in result.output

    result = run(settings, "verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "intact": True, "entries": 5, "head_seq": 5, "head_hash": verdict.head_hash,
        "broken_at": None, "reason": "",
    }  # fmt: skip


def test_an_empty_log_verifies(settings: Settings, db: CasesDatabase) -> None:
    result = run(settings, "verify")
    assert result.exit_code == 0 and "0 entries" in result.output


def test_an_edited_column_is_named(settings: Settings, db: CasesDatabase) -> None:
    fill(db, 6)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET detail = '{\"note\": 99}' WHERE seq = 4"))
    result = run(settings, "verify")
    assert result.exit_code == 1, result.output
    assert "entry 4" in result.output and "edited" in result.output
    as_json = json.loads(run(settings, "verify", "--json").output)
    assert as_json["intact"] is False and as_json["broken_at"] == 4


def test_a_deleted_middle_row_is_named(settings: Settings, db: CasesDatabase) -> None:
    fill(db, 6)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq = 3"))
    result = run(settings, "verify")
    assert result.exit_code == 1, result.output
    assert "entry 3" in result.output and "deleted" in result.output


def test_a_forged_row_is_named(settings: Settings, db: CasesDatabase) -> None:
    fill(db, 4)
    # A forger appends entry 5 with a correct hash of its own but chained to a made-up
    # predecessor, and moves the head to it.
    forged = AuditEntry(
        seq=5, at_ms=1, actor_id=None, actor_name="eve", action="role_changed",
        target_kind="user", target_id="eve", detail="{}", prev_hash="e" * 64, hash="",
    )  # fmt: skip
    forged.hash = audit.entry_hash(forged)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_entry (seq, at_ms, actor_id, actor_name, action, target_kind,"
                " target_id, detail, prev_hash, hash) VALUES (5, 1, NULL, 'eve', 'role_changed',"
                " 'user', 'eve', '{}', :prev, :hash)"
            ),
            {"prev": forged.prev_hash, "hash": forged.hash},
        )
        connection.execute(text("UPDATE audit_head SET seq = 5, hash = :h"), {"h": forged.hash})
    result = run(settings, "verify")
    assert result.exit_code == 1, result.output
    assert "entry 5" in result.output and "prev_hash" in result.output


def test_export_writes_json_lines_then_logs_itself(
    settings: Settings, db: CasesDatabase, tmp_path: Path
) -> None:
    fill(db, 3)
    out = tmp_path / "audit.jsonl"
    result = run(settings, "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    with db.read() as session:
        stored = [audit.export_line(entry) for entry in audit.entries(session)]
    assert lines == stored[:3]
    # the export is the log's next entry, made after the file was written
    exported = stored[3]
    assert (exported["seq"], exported["action"]) == (4, "audit_exported")
    assert exported["actor_name"].startswith("cli:") and exported["detail"]["entries"] == 3
    assert head(db).intact

    to_stdout = run(settings, "export")
    assert to_stdout.exit_code == 0
    assert [json.loads(line)["seq"] for line in to_stdout.output.splitlines()] == [1, 2, 3, 4]
    assert head(db).head_seq == 5


def test_export_help_says_it_is_logged(settings: Settings) -> None:
    result = run(settings, "export", "--help")
    assert result.exit_code == 0 and "audit_exported" in result.output


def test_a_detail_that_is_no_longer_json_is_named_not_a_crash(
    settings: Settings, db: CasesDatabase, tmp_path: Path
) -> None:
    fill(db, 4)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET detail = '{\"note\": 3' WHERE seq = 3"))
    result = run(settings, "verify")
    assert result.exit_code == 1, result.output
    assert "entry 3" in result.output and "edited" in result.output
    # the export still shows every entry, the broken one with its detail as stored
    out = tmp_path / "audit.jsonl"
    assert run(settings, "export", "--out", str(out)).exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4]
    assert lines[2]["detail"] == '{"note": 3' and lines[3]["detail"] == {"note": 4}


def test_a_database_that_cannot_be_read_is_not_reported_as_a_broken_chain(
    tmp_path: Path,
) -> None:
    # exit 1 means "the chain is broken": a script must be able to tell an outage apart
    env = {"SANCTIONWATCH_DATABASE_URL": "postgresql://sw:pw@127.0.0.1:1/nowhere"}
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "audit", "verify"], env=env)
    assert result.exit_code == 2, result.output
    assert "cannot open the cases database" in result.output and "pw" not in result.output
