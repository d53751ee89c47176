"""Request and response bodies. The matching and search shapes are a faithful subset of
OpenSanctions' yente (``EntityMatchQuery``, ``EntityMatchResponse``, ``SearchResponse``), so
yente clients work unchanged; fields of our own (``records``, ``explanation``, ``warnings``,
``algorithm``) are additions a yente client ignores.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    detail: str = Field(examples=["Detailed error message"])


class HealthResponse(BaseModel):
    status: str = "ok"


class EntityExample(BaseModel):
    """One entity to match, described as FollowTheMoney properties (values: a string or a
    list of strings)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(default=None, examples=["my-entity-id"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[str]] = Field(
        examples=[{"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"], "nationality": ["kp"]}]
    )


class EntityMatchQuery(BaseModel):
    """A batch of examples, each under a key of the caller's choosing."""

    queries: dict[str, EntityExample | None]
    # Accepted for yente compatibility; our one algorithm has no weights or options.
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class TotalSpec(BaseModel):
    value: int = Field(examples=[1])
    relation: str = Field(default="eq", examples=["eq"])


class FeatureResult(BaseModel):
    """One feature's score and how it came about (yente's ``explanations`` entries)."""

    score: float
    detail: str | None = None


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str


class EntityResponse(BaseModel):
    """A listed party as FollowTheMoney data, with the list records it comes from."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(examples=["ofac-20157"])
    caption: str = Field(examples=["KIM, Jong Un"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str]] = Field(examples=[{"name": ["KIM, Jong Un"]}])
    datasets: list[str] = Field(default_factory=list, examples=[["ofac_sdn"]])
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = Field(default=None, description="Date of the list version it is in.")
    last_change: str | None = None
    records: list[dict[str, str]] = Field(
        default_factory=list,
        description="The list and the list's own record id behind this entity.",
        examples=[[{"list": "ofac_sdn", "id": "20157", "version": "2024-05-03"}]],
    )


class SearchResult(EntityResponse):
    score: float


class ScoredEntityResponse(EntityResponse):
    score: float
    match: bool = Field(description="Whether the score is at or above the threshold.")
    features: dict[str, float]
    explanations: dict[str, FeatureResult]
    token: str | None = None
    explanation: dict[str, Any] = Field(
        description="sanctionwatch's full explanation: names compared, method, qualifiers."
    )


class EntityMatches(BaseModel):
    """The answer to one example: its results, or (status 400) why it could not be screened."""

    status: int = Field(default=200, examples=[200])
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: dict[str, Any]
    detail: str | None = None
    warnings: list[str] = Field(default_factory=list)


class AlgorithmUsed(BaseModel):
    requested: str
    used: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int = Field(examples=[5])
    algorithm: AlgorithmUsed


class SearchResponse(BaseModel):
    results: list[SearchResult]
    total: TotalSpec
    limit: int = Field(examples=[10])
    offset: int = Field(default=0, examples=[0])
    facets: dict[str, Any] = Field(default_factory=dict)
