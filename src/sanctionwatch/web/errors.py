"""Every error as JSON ``{"detail": "..."}``: our own errors with their HTTP status, request
validation as 422 with the fields named, and anything unexpected as a bare 500 (logged, no
traceback sent)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.responses import SafeJSONResponse as JSONResponse

log = logging.getLogger(__name__)
MAX_REPORTED = 5  # validation problems named in one answer


class BadRequest(SanctionwatchError):
    """A request the API refuses as a whole (no queries, too many, unknown options)."""

    http_status = 400


def sanctionwatch_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SanctionwatchError)
    headers: dict[str, str] | None = getattr(exc, "headers", None)
    return JSONResponse({"detail": exc.message}, status_code=exc.http_status, headers=headers)


def validation_error(_request: Request, exc: Exception) -> JSONResponse:
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
    return JSONResponse({"detail": detail}, status_code=422)


def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error answering %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SanctionwatchError, sanctionwatch_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
