"""``GET /healthz``: the server is up and its index loaded (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter

from sanctionwatch.web.schemas import HealthResponse

router = APIRouter(tags=["System"])


@router.get("/healthz", response_model=HealthResponse)
def healthz() -> HealthResponse:
    return HealthResponse(status="ok")
