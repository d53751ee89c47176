"""The audit chain: appended in the change's transaction, verified entry by entry, broken
by any edit, deletion or insertion made directly in the database (both backends)."""

from __future__ import annotations

import json
import threading

from sqlalchemy import text

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import Principal

ANA = Principal(1, "ana", "analyst")


def fill(db: CasesDatabase, n: int) -> None:
    for i in range(n):
        with db.begin() as session:
            audit.append(session, ANA, "note_added", "case", i, {"note": i, "words": "x"})


def verdict(db: CasesDatabase) -> audit.Verdict:
    with db.read() as session:
        return audit.verify(session)


def test_an_untouched_chain_verifies(db: CasesDatabase) -> None:
    assert verdict(db).intact and verdict(db).entries == 0
    fill(db, 5)
    result = verdict(db)
    assert result.intact and result.entries == 5 and result.head_seq == 5


def test_an_edited_entry_breaks_the_chain_there(db: CasesDatabase) -> None:
    fill(db, 5)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor_name = 'eve' WHERE seq = 3"))
    result = verdict(db)
    assert result.broken_at == 3 and "edited" in result.reason


def test_a_deleted_entry_breaks_the_chain_there(db: CasesDatabase) -> None:
    fill(db, 5)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    result = verdict(db)
    assert result.broken_at == 2 and "deleted" in result.reason


def test_an_inserted_entry_with_a_correct_own_hash_still_breaks_the_chain(
    db: CasesDatabase,
) -> None:
    fill(db, 3)
    with db.engine.begin() as connection:
        # make room at 2 (in two steps: seq is unique at every row update)
        connection.execute(text("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 2"))
        connection.execute(text("UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1000"))
    # a forged entry 2 whose own hash is right but which does not chain from entry 1
    with db.begin() as session:
        forged = audit.AuditEntry(
            seq=2, at_ms=1, actor_id=None, actor_name="eve", action="login", target_kind="user",
            target_id="eve", detail=json.dumps({}), prev_hash="f" * 64, hash="",
        )  # fmt: skip
        forged.hash = audit.entry_hash(forged)
        session.add(forged)
    result = verdict(db)
    assert result.broken_at == 2 and "prev_hash" in result.reason


def test_a_cut_tail_is_caught_by_the_head(db: CasesDatabase) -> None:
    fill(db, 4)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq = 4"))
    assert not verdict(db).intact


def test_concurrent_appends_keep_one_chain(db: CasesDatabase) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            fill(db, 10)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verdict(db)
    assert result.intact and result.entries == 80


def test_a_change_and_its_entry_commit_together(db: CasesDatabase) -> None:
    try:
        with db.begin() as session:
            audit.append(session, ANA, "case_created", "case", 1, {})
            raise RuntimeError("the change failed after its entry was appended")
    except RuntimeError:
        pass
    assert verdict(db).entries == 0
