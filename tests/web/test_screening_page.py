"""The screening page without a browser: one name (any script) with its explanation, every
name escaped, and a batch from upload to progress to result CSV, with bad files refused
with the line and bad rows listed. Real lists: UN 2026-02-27 and OFAC SDN 2024-05-03."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionwatch.cases import accounts
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from sanctionwatch.web.batch import (
    KEPT_FOR_S,
    MAX_KEPT,
    MAX_UPLOAD_BYTES,
    BatchJob,
    BatchJobs,
    jobs_of,
)

HTMX = {"HX-Request": "true"}
XSS = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>'


@pytest.fixture(scope="module")
def app(home: Path, screener: Screener, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app on the web tests' home, with its own cases database and three users."""
    cases = tmp_path_factory.mktemp("screen-page") / "cases.sqlite"
    settings = Settings(
        home=home,
        database_url=f"sqlite:///{cases}",
        cookie_secure="never",
        password_time_cost=1,
        password_memory_kib=8,
        password_parallelism=1,
    )
    made = create_app(settings, auth=ApiKeyAuth.from_key("k"), screener=screener)
    with made.state.cases.begin() as session:
        for role in ("viewer", "analyst", "admin"):
            accounts.add_user(session, settings, cli_principal(), f"s-{role}", role, f"pw-{role}")
    return made


def signed_in(app: FastAPI, role: str) -> Iterator[TestClient]:
    with TestClient(app) as client:
        answer = client.post("/api/login", json={"username": f"s-{role}", "password": f"pw-{role}"})
        assert answer.status_code == 200, answer.text
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        yield client


@pytest.fixture
def viewer(app: FastAPI) -> Iterator[TestClient]:
    yield from signed_in(app, "viewer")


@pytest.fixture
def analyst(app: FastAPI) -> Iterator[TestClient]:
    yield from signed_in(app, "analyst")


def results(client: TestClient, **params: str) -> tuple[int, str]:
    answer = client.get("/screen/results", params=params, headers=HTMX)
    return answer.status_code, answer.text


# --- one name ---------------------------------------------------------------------------


def test_a_hangul_name_finds_kim_jong_un_with_its_explanation(viewer: TestClient) -> None:
    status, html = results(viewer, name="김정은", schema="Person")
    assert status == 200
    first = html.split('<article class="card match', 2)[1]  # the best match
    assert "KIM, Jong Un" in first
    assert "ofac_sdn:20157" in first
    assert "by korean" in first  # the name comparison's method
    assert "<code>korean</code>" in first  # the Korean feature's score, documented
    assert "Korean romanisations" in first or "as Korean names" in first


def test_a_birth_date_that_agrees_shows_as_a_qualifier(viewer: TestClient) -> None:
    status, html = results(viewer, name="Kim Jong Un", schema="Person", birth_date="1984-01-08")
    assert status == 200
    first = html.split('<article class="card match', 2)[1]
    assert "KIM, Jong Un" in first
    assert re.search(r"<code>birth_date</code></th><td class=\"num\">\+0\.05</td>", first)


def test_the_page_without_script_shows_the_results_in_place(viewer: TestClient) -> None:
    answer = viewer.get("/screen", params={"name": "Ким Чен Ын", "schema": "Person"})
    assert answer.status_code == 200
    assert "<h1>Screening</h1>" in answer.text
    assert "KIM, Jong Un" in answer.text
    assert 'value="Ким Чен Ын"' in answer.text  # the form keeps what was typed


def test_a_name_in_the_query_is_escaped(viewer: TestClient) -> None:
    status, html = results(viewer, name=XSS)
    assert status == 200
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    page = viewer.get("/screen", params={"name": XSS}).text
    assert "<img src=x" not in page and "<script>alert" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "   "}, "type a name to screen"),
        ({"name": "A" * 301}, "name of 301 characters is too long (at most 300)"),
        ({"name": "!!! ???"}, "has no letters or digits to compare"),
        ({"name": "Kim", "birth_date": "8 Jan 1984"}, "is not an ISO date"),
        ({"name": "Kim", "schema": "Airplane"}, "unknown schema"),
    ],
)
def test_a_name_that_cannot_be_screened_gets_the_reason(
    viewer: TestClient, params: dict[str, str], message: str
) -> None:
    status, html = results(viewer, **params)
    assert status == 422
    assert 'class="error" role="alert"' in html
    assert message in html


# --- batch ------------------------------------------------------------------------------


def upload(
    client: TestClient, data: bytes, filename: str = "names.csv", **fields: str
) -> tuple[int, str]:
    answer = client.post(
        "/screen/batch",
        files={"file": (filename, data, "text/csv")},
        data=fields,
        headers=HTMX,
    )
    return answer.status_code, answer.text


def finished(app: FastAPI, html: str, owner: str = "s-analyst") -> BatchJob:
    """The job the answer shows, once its thread is done."""
    found = re.search(r'id="job-([A-Za-z0-9_-]+)"', html)
    assert found, html
    job = jobs_of(app.state).get(found.group(1), owner)
    assert job.thread is not None
    job.thread.join(timeout=120)
    assert job.finished
    return job


BATCH = (
    "id,name,schema,birth_date\n"
    "p1,김정은,Person,\n"
    "p2,Jane Nobody Smithfield,Person,\n"
    'p3,"=HYPERLINK(""http://x.example/"",""KIM JONG UN"")",Person,\n'
    "p4,,Person,\n"
    "p5,Kim Jong Un,Person,8 January 1984\n"
)


def test_a_batch_goes_from_upload_to_a_downloadable_csv(app: FastAPI, analyst: TestClient) -> None:
    status, html = upload(analyst, BATCH.encode("utf-8"))
    assert status == 202
    assert 'max="5"' in html  # the progress bar counts the file's rows
    job = finished(app, html)
    part = analyst.get(f"/screen/batch/{job.id}", headers=HTMX)
    assert part.status_code == 200
    assert '<progress id="progress-' in part.text and 'value="5" max="5"' in part.text
    assert "hx-trigger" not in part.text  # done: the polling stops
    assert "5 rows screened" in part.text and "2 rejected" in part.text
    # the rejected rows, each with its line and reason
    assert "names.csv:5: empty name" in part.text
    assert "names.csv:6: birth_date &#39;8 January 1984&#39; is not an ISO date" in part.text
    link = f"/screen/batch/{job.id}/result.csv"
    assert f'href="{link}"' in part.text

    download = analyst.get(link)
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="screened-names.csv"'
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    assert by_id["p1"][0]["caption"] == "KIM, Jong Un" and by_id["p1"][0]["rank"] == "1"
    assert by_id["p2"] == [{**by_id["p2"][0], "rank": "0", "entity_id": ""}]  # no match
    # a cell that a spreadsheet would run as a formula is quoted, as the CLI writes it
    assert by_id["p3"][0]["query_name"].startswith("'=HYPERLINK(")
    assert by_id["p4"][0]["error"] == "names.csv:5: empty name"
    assert "is not an ISO date" in by_id["p5"][0]["error"]


def test_a_running_batch_shows_its_progress_and_polls(app: FastAPI, analyst: TestClient) -> None:
    job = BatchJob("running-job-1", "s-analyst", "big.csv", total=40, threshold=0.7)
    task = job.progress.add_task("screening", total=None)
    job.progress.advance(task, 13)
    jobs_of(app.state).register(job)
    try:
        part = analyst.get("/screen/batch/running-job-1", headers=HTMX)
        assert part.status_code == 200
        assert 'value="13" max="40"' in part.text
        assert 'hx-get="/screen/batch/running-job-1" hx-trigger="every 1s"' in part.text
        assert analyst.get("/screen/batch/running-job-1/result.csv").status_code == 409
    finally:
        job.state = "failed"  # no longer counts as running for the other tests


def test_a_job_is_its_owners_only(app: FastAPI, analyst: TestClient) -> None:
    job = BatchJob("someone-elses", "s-admin", "theirs.csv", total=1, threshold=0.7)
    job.state, job.result = "done", b"name\n"
    jobs_of(app.state).register(job)
    assert analyst.get("/screen/batch/someone-elses", headers=HTMX).status_code == 404
    assert analyst.get("/screen/batch/someone-elses/result.csv").status_code == 404


def test_a_file_not_in_utf8_is_refused_naming_the_line(analyst: TestClient) -> None:
    data = "id,name\n1,Kim Jong Un\n2,Müller\n".encode("latin-1")
    status, html = upload(analyst, data, "latin.csv")
    assert status == 422
    assert "latin.csv:3: not UTF-8 (byte 0xfc at column 4)" in html
    assert 'id="job-' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "upload.csv: the file is empty"),
        (b"id,full_name\n1,Kim\n", "the CSV header needs a &#39;name&#39; column"),
        (b"id,name\n", "the file has a header but no rows to screen"),
        (b"name\n" + b"x" * MAX_UPLOAD_BYTES, "is too big for one batch"),
    ],
)
def test_a_bad_upload_gets_a_precise_message(
    analyst: TestClient, data: bytes, message: str
) -> None:
    status, html = upload(analyst, data, "upload.csv")
    assert status == 422
    assert message in html


def test_the_form_posts_without_script_too(app: FastAPI, analyst: TestClient) -> None:
    token = analyst.headers.pop("X-CSRF-Token")
    answer = analyst.post(
        "/screen/batch",
        files={"file": ("form.csv", b"name\nKim Jong Un\n", "text/csv")},
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/screen?job=")
    page = analyst.get(answer.headers["location"])
    assert "Batch: form.csv" in page.text


def test_a_viewer_may_screen_a_name_but_not_a_batch(viewer: TestClient) -> None:
    status, html = upload(viewer, b"name\nKim\n")
    assert status == 403
    assert "analyst" in html
    page = viewer.get("/screen").text
    assert 'id="batch-form"' not in page
    assert "needs the analyst role" in page


def test_a_batch_without_the_csrf_token_is_refused(analyst: TestClient) -> None:
    analyst.headers.pop("X-CSRF-Token")
    status, _ = upload(analyst, b"name\nKim\n")
    assert status == 403


def test_no_more_than_two_batches_run_at_once(app: FastAPI, analyst: TestClient) -> None:
    busy = [BatchJob(f"busy-{n}", "s-admin", "busy.csv", total=9, threshold=0.7) for n in (1, 2)]
    for job in busy:
        jobs_of(app.state).register(job)
    try:
        status, html = upload(analyst, b"name\nKim\n")
        assert status == 409
        assert "2 batches are being screened already" in html
    finally:
        for job in busy:
            job.state = "failed"
    assert upload(analyst, b"name\nKim\n")[0] == 202


def done_job(job_id: str, started: float) -> BatchJob:
    job = BatchJob(job_id, "s-analyst", "d.csv", total=1, threshold=0.7)
    job.state, job.created = "done", started
    return job


def test_a_finished_job_is_forgotten_an_hour_after_it_started() -> None:
    jobs = BatchJobs()
    an_hour_ago = time.monotonic() - KEPT_FOR_S - 1
    running = BatchJob("running", "s-analyst", "run.csv", total=1, threshold=0.7)
    running.created = an_hour_ago  # a running job is never dropped
    jobs.register(done_job("old", an_hour_ago))
    jobs.register(running)
    jobs.register(done_job("new", time.monotonic()))
    with pytest.raises(NotFound):
        jobs.get("old", "s-analyst")
    assert jobs.get("running", "s-analyst") is running
    assert jobs.get("new", "s-analyst").id == "new"


def test_no_more_than_the_bound_of_jobs_is_kept() -> None:
    jobs = BatchJobs()
    now = time.monotonic()
    for n in range(MAX_KEPT + 3):
        jobs.register(done_job(f"done-{n}", now + n))
    for n in range(3):  # the oldest go first
        with pytest.raises(NotFound):
            jobs.get(f"done-{n}", "s-analyst")
    assert jobs.get("done-3", "s-analyst").id == "done-3"
