"""Every error as JSON ``{"detail": "..."}``: our own errors with their HTTP status, request
validation as 422 with the fields named, and anything unexpected as a bare 500 (logged, no
traceback sent). On the workspace's pages the same errors are HTML (``pages/common.py``): a
missing sign-in is a redirect to ``/login``, anything else an error page, or, for htmx, a
message in the page's flash region."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from sanctionwatch.cases.errors import Unauthenticated
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.pages.common import is_page, login_redirect, page_error
from sanctionwatch.web.responses import SafeJSONResponse as JSONResponse

log = logging.getLogger(__name__)
MAX_REPORTED = 5  # validation problems named in one answer


class BadRequest(SanctionwatchError):
    """A request the API refuses as a whole (no queries, too many, unknown options)."""

    http_status = 400


def sanctionwatch_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SanctionwatchError)
    if is_page(request):
        if isinstance(exc, Unauthenticated):
            return login_redirect(request)
        return page_error(request, exc.http_status, exc.message)
    headers: dict[str, str] | None = getattr(exc, "headers", None)
    return JSONResponse({"detail": exc.message}, status_code=exc.http_status, headers=headers)


def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's field errors as one sentence (the input itself is not echoed back)."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:MAX_REPORTED]:
        if error.get("type") == "json_invalid":
            return JSONResponse({"detail": "the request body is not valid JSON"}, status_code=422)
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    more = len(exc.errors()) - MAX_REPORTED
    detail = "; ".join(problems) + (f"; and {more} more" if more > 0 else "")
    if is_page(request):
        return page_error(request, 422, detail)
    return JSONResponse({"detail": detail}, status_code=422)


def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error answering %s %s", request.method, request.url.path)
    if is_page(request):
        return page_error(request, 500, "internal error (the server's log has the details)")
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SanctionwatchError, sanctionwatch_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
