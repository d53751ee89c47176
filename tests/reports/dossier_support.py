"""A real home with a case to write dossiers of: the UN and OFAC list excerpts, a day of
AIS (SUNNY BAY, broadcasting CHONG CHON GANG's listed IMO, meets ANGARA at sea), detected
and scored by `run`; a case (SQLite cases database) whose title, summary and note hold
HTML and Typst markup that must print as written, with SUNNY BAY, the UN's record of its
operator and a portfolio counterparty of that name as its subjects, and its dossier built
once for the module (import the ``built`` fixture)."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sanctionwatch.cases import attachments, cases, notes, subjects
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings
from sanctionwatch.reports.build import build_dossier
from tests.watch_support import LAUNDERED, OFAC_EXCERPT, UN_EXCERPT, write_day

# Markup of both renderers: HTML's, and Typst's # $ * _ @ < (code, math, strong, emphasis,
# reference, label). Each must come out as these very characters.
BOOK = "id,name,schema\nc1,Ocean Maritime Management Company Limited,Company\n"
SEEN = b"mmsi,seen\n352001234,2024-03-01\n"  # an attachment
HOSTILE = "<script>alert(1)</script> #panic() $x$ *bold* _em_ @ref <lab> \\ `raw`"


def sw(home: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output


@dataclasses.dataclass(frozen=True)
class Built:
    settings: Settings
    case_id: int
    inbox_file: Path
    out: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("dossier")
    home = root / "home"
    sw(home, "lists", "load", str(UN_EXCERPT))
    sw(home, "lists", "load", str(OFAC_EXCERPT))
    inbox = root / "inbox"
    inbox.mkdir()
    day = write_day(root / "day0.csv")  # kept: `run` takes what is in its inbox
    shutil.copyfile(day, inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    (root / "book.csv").write_text(BOOK, encoding="utf-8")
    sw(home, "portfolio", "add", str(root / "book.csv"))
    sw(home, "portfolio", "screen")
    settings = Settings(home=home)
    actor = cli_principal()
    with CasesDatabase.open(settings) as db:
        with db.begin() as session:
            case = cases.create_case(session, actor, "Case " + HOSTILE, "Summary " + HOSTILE)
            case_id = case.id
            subjects.add_subject(session, settings, actor, case_id, "vessel", mmsi=LAUNDERED)
            subjects.add_subject(
                session, settings, actor, case_id, "entity", entity_id="un-kpe-020"
            )
            subjects.add_subject(
                session, settings, actor, case_id, "counterparty", counterparty_id="c1"
            )
            notes.add_note(session, actor, case_id, "Note " + HOSTILE)
            attachments.add_attachment(
                session, settings, actor, case_id, io.BytesIO(SEEN), "text/csv", "seen.csv"
            )
        out = root / "dossier"
        build_dossier(settings, db, case_id, out)
    return Built(settings, case_id, day, out)
