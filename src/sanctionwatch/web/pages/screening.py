"""Workspace page ``/screen``: one name screened as you type it, or a CSV of names in a batch.

One name (any script: Hangul, Cyrillic, Chinese, Latin) with what else is known (schema,
birth date, country, IMO number) is screened by the same screener and the same query
building as ``POST /match`` (``web/matching.py``): each match comes with its score, list
record and the explanation the engine gives (the best name comparison and its features,
each qualifier's adjustment, the rules that lowered it), and the best candidates below the
threshold with why they are below. The form is a plain GET form (it works without script);
htmx asks for the results part only.

Who may do what: screening one name reads the lists and writes nothing, so a viewer may.
A batch costs minutes of CPU on a shared server and leaves a result file of screened
names (a compliance record of its own), so it needs the analyst role, as every other write
does (``web/security.py``); a job and its result are its owner's only (``web/batch.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from sanctionwatch.ais.store import open_store as open_ais_store
from sanctionwatch.cases.errors import Conflict
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from sanctionwatch.screening.engine import DEFAULT_LIMIT, DEFAULT_THRESHOLD, Match
from sanctionwatch.screening.model import Query as ScreeningQuery
from sanctionwatch.web.batch import MAX_UPLOAD_BYTES, BatchJob, jobs_of, read_upload
from sanctionwatch.web.datasets import Datasets
from sanctionwatch.web.entities import party_properties
from sanctionwatch.web.features import explanations, features, matcher_docs
from sanctionwatch.web.matching import example_queries
from sanctionwatch.web.pages.common import is_htmx, page_router, render
from sanctionwatch.web.schemas import EntityExample
from sanctionwatch.web.security import Analyst, Viewer, app_settings

router = page_router(tags=["pages"])
SCHEMAS = (
    ("", "Any"),
    ("Person", "Person"),
    ("Organization", "Organization"),
    ("Vessel", "Vessel"),
)
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
FIELD_MAX = 2000  # far over any real value; the screening rules say what is too long
LIMIT_MAX = 20
Text = Annotated[str, Query(max_length=FIELD_MAX)]


@dataclass(frozen=True)
class SingleForm:
    """What the single-name form sent (echoed into the form)."""

    name: str = ""
    schema: str = ""
    birth_date: str = ""
    country: str = ""
    imo: str = ""
    threshold: float = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Screened:
    """The results of one name: matches, candidates below the threshold, or the reason it
    could not be screened."""

    form: SingleForm
    matches: list[dict[str, Any]]
    below: list[dict[str, Any]]
    error: str = ""


@router.get("/screen")
def screen_page(
    request: Request,
    principal: Viewer,
    name: Text = "",
    schema: Text = "",
    birth_date: Text = "",
    country: Text = "",
    imo: Text = "",
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    job: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The page; with ``name`` (the form sent without script), its results in place."""
    form = SingleForm(name, schema, birth_date, country, imo, threshold)
    screened = _screen(request, form) if name else None
    batch = jobs_of(request.app.state).get(job, principal.name) if job else None
    context = {
        "form": form,
        "screened": screened,
        "schemas": SCHEMAS,
        "job": batch,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
    }
    status = 422 if screened is not None and screened.error else 200
    return render(request, "screening.html", context, section="screen", status_code=status)


@router.get("/screen/results")
def screen_results(
    request: Request,
    principal: Viewer,
    name: Text = "",
    schema: Text = "",
    birth_date: Text = "",
    country: Text = "",
    imo: Text = "",
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
) -> Response:
    """The results part of the page, for htmx (422 with the reason for a name that cannot
    be screened: empty, too long, no letters ...)."""
    form = SingleForm(name, schema, birth_date, country, imo, threshold)
    if not is_htmx(request):
        return RedirectResponse(request.url.replace(path="/screen"), status_code=303)
    screened = _screen(request, form)
    return render(
        request,
        "partials/screen_results.html",
        {"screened": screened},
        status_code=422 if screened.error else 200,
    )


def _screen(request: Request, form: SingleForm) -> Screened:
    try:
        query = _query(form)
        datasets: Datasets = request.app.state.datasets
        found, below = datasets.everything.screen_explained(query, form.threshold, DEFAULT_LIMIT)
    except InputError as exc:
        return Screened(form, [], [], exc.message)
    vessels = _vessel_pages(app_settings(request), [*found, *below])
    return Screened(
        form,
        [_match_view(m, form.threshold, vessels, f"m{i}") for i, m in enumerate(found, 1)],
        [_match_view(m, form.threshold, vessels, f"b{i}") for i, m in enumerate(below, 1)],
    )


def _query(form: SingleForm) -> ScreeningQuery:
    """The screening query, built and checked as ``POST /match`` builds an example's."""
    if form.schema not in {value for value, _ in SCHEMAS}:
        raise InputError(
            f"unknown schema {form.schema[:40]!r}; choose Person, Organization, Vessel or Any"
        )
    birth = form.birth_date.strip()
    if birth and not ISO_DATE.fullmatch(birth):
        raise InputError(
            f"birth date {birth[:40]!r} is not an ISO date (1984, 1984-01 or 1984-01-08)"
        )
    properties = {
        "name": form.name,
        "birthDate": birth,
        "country": form.country,
        "imoNumber": form.imo,
    }
    example = EntityExample(
        schema=form.schema or "Thing",
        properties={key: value for key, value in properties.items() if value.strip()},
    )
    if not form.name.strip():
        raise InputError("type a name to screen")
    return example_queries(example).queries[0]


def _match_view(
    match: Match, threshold: float, vessels: dict[str, list[int]], anchor: str
) -> dict[str, Any]:
    """What the results show of one match: the engine's JSON, its features with their
    documentation, the listed party's details, and its vessel pages (MMSIs); ``anchor``
    names its heading."""
    docs = matcher_docs()
    scored = {
        name: {
            "score": value,
            "about": docs[name].description if name in docs else "",
            "adds": bool(docs[name].coefficient) if name in docs else False,
        }
        for name, value in features(match.explanation).items()
    }
    return {
        **match.to_json(),
        "anchor": anchor,
        "match": match.score >= threshold,
        "why_below": "" if match.score >= threshold else match.explanation.why_below(threshold),
        "features": scored,
        "detail": explanations(match.explanation)["name"].detail,
        "properties": party_properties(match.party),
        "mmsis": [n for imo in match.party.imo_numbers for n in vessels.get(imo, [])],
    }


def _vessel_pages(settings: Settings, matches: list[Match]) -> dict[str, list[int]]:
    """IMO number -> the MMSIs that broadcast it (each has a vessel page), for the listed
    vessels among ``matches``; nothing when the home has no AIS data."""
    wanted = {imo for m in matches for imo in m.party.imo_numbers if imo.isdigit()}
    if not wanted or not (settings.home / "ais").is_dir():
        return {}
    found: dict[str, list[int]] = {}
    with open_ais_store(settings.home, writable=False) as store:
        for imo in sorted(wanted):
            mmsis = sorted({row.mmsi for row in store.identities(imo=int(imo))})
            if mmsis:
                found[imo] = mmsis[:5]
    return found


# --- batch ------------------------------------------------------------------------------


@router.post("/screen/batch")
async def start_batch(
    request: Request,
    principal: Analyst,
    file: Annotated[UploadFile, File(description="CSV with a 'name' column")],
    threshold: Annotated[float, Form(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    limit: Annotated[int, Form(ge=1, le=LIMIT_MAX)] = DEFAULT_LIMIT,
    explain: Annotated[bool, Form()] = False,
) -> Response:
    """Start screening an uploaded CSV; the answer is the job's progress (htmx) or a
    redirect to the page showing it. A file that cannot be read is refused at once (422)
    with the reason and line."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    try:
        upload = read_upload(file.filename or "upload.csv", data)
    except InputError as exc:
        if not is_htmx(request):
            raise
        context = {"message": exc.message}
        return render(request, "partials/screen_upload_error.html", context, status_code=422)
    datasets: Datasets = request.app.state.datasets
    job = jobs_of(request.app.state).start(
        datasets.everything, upload, principal.name, threshold, limit, explain
    )
    if is_htmx(request):
        return _job_part(request, job, status_code=202)
    return RedirectResponse(f"/screen?job={job.id}#batch", status_code=303)


@router.get("/screen/batch/{job_id}")
def batch_status(request: Request, principal: Analyst, job_id: str) -> Response:
    """The job's progress (htmx polls it every second while it runs), or the page."""
    job = jobs_of(request.app.state).get(job_id, principal.name)
    if not is_htmx(request):
        return RedirectResponse(f"/screen?job={job.id}#batch", status_code=303)
    return _job_part(request, job)


@router.get("/screen/batch/{job_id}/result.csv")
def batch_result(request: Request, principal: Analyst, job_id: str) -> Response:
    """The result CSV (as ``sanctionwatch screen --format csv`` writes it), as a download."""
    job = jobs_of(request.app.state).get(job_id, principal.name)
    if job.state != "done":
        raise Conflict("the batch is not done yet" if not job.finished else job.message)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", job.filename.rsplit(".", 1)[0])[:60] or "batch"
    return Response(
        job.result,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="screened-{stem}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _job_part(request: Request, job: BatchJob, status_code: int = 200) -> Response:
    return render(request, "partials/screen_job.html", {"job": job}, status_code=status_code)
