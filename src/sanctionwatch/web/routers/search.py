"""``GET /search/{dataset}``: find listed parties by name, in yente's search shape."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from sanctionwatch.screening.model import Query as ScreeningQuery
from sanctionwatch.screening.names import MAX_NAME_CHARS
from sanctionwatch.web.datasets import Datasets
from sanctionwatch.web.entities import search_result
from sanctionwatch.web.schemas import ErrorResponse, SearchResponse, TotalSpec

SEARCH_THRESHOLD = 0.5  # lower than matching's: a search shows near names too
MAX_WINDOW = 100  # offset + limit
router = APIRouter(tags=["Matching"])


@router.get(
    "/search/{dataset}",
    summary="Search listed parties by name",
    response_model=SearchResponse,
    responses={
        401: {"model": ErrorResponse, "description": "No or wrong API key"},
        404: {"model": ErrorResponse, "description": "Unknown dataset"},
        422: {"model": ErrorResponse, "description": "Invalid parameter"},
    },
)
def search(
    request: Request,
    dataset: Annotated[str, Path(max_length=100)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS, description="A name.")],
    schema: Annotated[
        str | None, Query(max_length=50, description="Person, Organization, Company, Vessel...")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_WINDOW)] = 10,
    offset: Annotated[int, Query(ge=0, lt=MAX_WINDOW)] = 0,
) -> SearchResponse:
    """Parties whose names resemble `q` (score at least 0.5), best first."""
    datasets: Datasets = request.app.state.datasets
    screener = datasets.screener(dataset)
    matches = screener.screen(ScreeningQuery(q, schema=schema), SEARCH_THRESHOLD, MAX_WINDOW)
    return SearchResponse(
        results=[search_result(m) for m in matches[offset : offset + limit]],
        total=TotalSpec(value=len(matches)),
        limit=limit,
        offset=offset,
        facets={},
    )
