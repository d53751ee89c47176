"""The API's documentation pages, served with no outside connection: ``/docs`` (Swagger UI)
and ``/redoc`` (ReDoc), both from the vendored copies under ``static/vendor``.

FastAPI's own pages load their scripts from a CDN (blank on a closed network) and start them
with an inline script (refused by our CSP), so the app turns them off and these pages start
Swagger UI from ``static/js/swagger-init.js``. Public, like ``/openapi.json``: they describe
the API and hold no data.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from sanctionwatch.web.pages.common import page_router, render

router = page_router(tags=["pages"])


@router.get("/docs")
def swagger_ui(request: Request) -> Response:
    return render(request, "docs.html", {"openapi_url": request.app.openapi_url}, section="docs")


@router.get("/redoc")
def redoc(request: Request) -> Response:
    return render(request, "redoc.html", {"openapi_url": request.app.openapi_url})
