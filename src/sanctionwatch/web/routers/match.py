"""``POST /match/{dataset}``: yente's query-by-example matching, in batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from sanctionwatch.screening.engine import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from sanctionwatch.web.datasets import Datasets
from sanctionwatch.web.errors import BadRequest
from sanctionwatch.web.features import ALGORITHM, matcher_docs
from sanctionwatch.web.matching import MatchFilters, match_example, text_key
from sanctionwatch.web.schemas import (
    AlgorithmUsed,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
)

MAX_BATCH = 100
MAX_MATCHES = 100
router = APIRouter(tags=["Matching"])

Dataset = Annotated[
    str,
    Path(
        max_length=100,
        description="'default' or 'sanctions' for every list, else one list (e.g. 'un').",
    ),
]
Score = Annotated[float, Query(ge=0.0, le=1.0)]
Names = Annotated[list[str], Query(max_length=100)]


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher",
    response_model=EntityMatchResponse,
    responses={
        400: {"model": ErrorResponse, "description": "Invalid request"},
        401: {"model": ErrorResponse, "description": "No or wrong API key"},
        404: {"model": ErrorResponse, "description": "Unknown dataset"},
        422: {"model": ErrorResponse, "description": "Malformed body or parameter"},
    },
)
def match(
    request: Request,
    response: Response,
    body: EntityMatchQuery,
    dataset: Dataset,
    threshold: Score = DEFAULT_THRESHOLD,
    cutoff: Annotated[
        float | None,
        Query(ge=0.0, le=1.0, description="Lowest score returned at all (default: threshold)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_MATCHES)] = DEFAULT_LIMIT,
    algorithm: Annotated[
        str, Query(max_length=50, description="Accepted for yente clients; one algorithm.")
    ] = ALGORITHM,
    exclude_schema: Names = [],  # noqa: B006 - FastAPI copies defaults per request
    include_dataset: Names = [],  # noqa: B006
    exclude_dataset: Names = [],  # noqa: B006
    exclude_entity_ids: Names = [],  # noqa: B006
) -> EntityMatchResponse:
    """Match each example of the batch (a person, company or vessel described by its
    FollowTheMoney properties: name, alias, birthDate, nationality, country, imoNumber ...)
    against the lists, as yente's `/match` does. Every listed party is scored on its best
    name against each name given; `match` is true when its score reaches `threshold`.

    An example that cannot be screened (no name, an unknown schema, a name over 300
    characters) gets `status: 400` and a `detail`; the other examples are still answered.
    """
    screener = _datasets(request).screener(dataset)
    if body.config:
        first = next(iter(body.config))
        raise BadRequest(f"Invalid configuration parameter: {first} for algorithm {ALGORITHM}")
    examples = {key: example for key, example in body.queries.items() if example is not None}
    if not examples:
        raise BadRequest("No queries provided.")
    if len(examples) > MAX_BATCH:
        raise BadRequest(f"Too many queries in one batch (limit: {MAX_BATCH})")
    filters = MatchFilters(
        frozenset(exclude_schema),
        frozenset(include_dataset),
        frozenset(exclude_dataset),
        frozenset(exclude_entity_ids),
    )
    cutoff = threshold if cutoff is None else min(cutoff, threshold)
    responses: dict[str, EntityMatches] = {
        text_key(key): match_example(
            screener, example, threshold=threshold, cutoff=cutoff, limit=limit, filters=filters
        )
        for key, example in examples.items()
    }
    failed = [answer for answer in responses.values() if answer.status != 200]
    if len(failed) == len(responses):
        # Nothing could be screened: the request as a whole is bad.
        raise BadRequest(failed[0].detail or "no query could be screened")
    response.headers["x-batch-size"] = str(len(responses))
    return EntityMatchResponse(
        responses=responses,
        matcher=matcher_docs(),
        limit=limit,
        algorithm=AlgorithmUsed(requested=algorithm, used=ALGORITHM),
    )


def _datasets(request: Request) -> Datasets:
    datasets: Datasets = request.app.state.datasets
    return datasets
