"""What every page shares: the template environment, ``render``, and the page router.

Templates are escaped everywhere (``autoescape=True``, not only for ``.html`` names): list
entries and AIS names are untrusted input. Data a page's script needs goes into ``data-*``
attributes or a ``<script type="application/json">`` block written with ``|tojson`` (which
escapes ``<``, ``>``, ``&`` and quotes, so a name cannot close the block); never ``|safe``
on data. Undefined template variables are errors (``StrictUndefined``), so a misspelt field
fails the tests instead of rendering empty.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sanctionwatch.cases.principal import Principal

TEMPLATE_DIR = Path(__file__).parents[1] / "templates"
STATIC_DIR = Path(__file__).parents[1] / "static"
# htmx without eval (no hx-on, no js: values), no inline <style> of its own, same origin only;
# error answers (4xx/5xx) are swapped too: the server sends them to #flash (page_error).
HTMX_CONFIG = {
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,  # pages hold case data: keep no copy in localStorage
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "[45]..", "swap": True, "error": True},
    ],
}
NAV = (
    ("alerts", "/alerts", "Alerts"),
    ("cases", "/cases", "Cases"),
    ("screen", "/screen", "Screening"),
    ("lists", "/lists", "Lists"),
    ("docs", "/docs", "API"),
)


def iso_time(value: int | float | str | None) -> str:
    """Milliseconds since the epoch (or an ISO string) as ``YYYY-MM-DD HH:MM UTC``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    else:
        parsed = datetime.fromtimestamp(value / 1000, UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time"] = iso_time
    env.globals["NAV"] = NAV
    env.globals["HTMX_CONFIG"] = HTMX_CONFIG
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def mark_page(request: Request) -> None:
    """Router dependency of every page (runs before the role check): errors on this request
    are answered as HTML (``page_error``), and a missing sign-in as a redirect."""
    request.state.page = True


def page_router(**kwargs: Any) -> APIRouter:
    """A router for pages: HTML answers, left out of the OpenAPI schema, marked as pages."""
    return APIRouter(
        dependencies=[Depends(mark_page)],
        include_in_schema=False,
        default_response_class=HTMLResponse,
        **kwargs,
    )


def is_page(request: Request) -> bool:
    return bool(getattr(request.state, "page", False))


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    section: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """``template`` with ``context`` plus what every page needs: the signed-in ``principal``
    (or None), ``can_write`` (analyst or admin), the session's ``csrf_token`` (for forms'
    hidden field and htmx's header), the active nav ``section`` and the map tile URL."""
    principal: Principal | None = getattr(request.state, "principal", None)
    settings = request.app.state.settings
    shared = {
        "principal": principal,
        "can_write": principal is not None and principal.can("analyst"),
        "is_admin": principal is not None and principal.can("admin"),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "section": section,
        "tile_url": settings.map_tile_url,
    }
    response: HTMLResponse = TEMPLATES.TemplateResponse(
        request, template, shared | (context or {}), status_code=status_code, headers=headers
    )
    return response


def login_redirect(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards (htmx: a full-page redirect)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/login?next={quote(target, safe='')}"
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def page_error(request: Request, status_code: int, message: str) -> Response:
    """An error on a page: for htmx, a message swapped into the page's ``#flash`` region;
    else a whole error page."""
    if is_htmx(request):
        return render(
            request,
            "partials/flash.html",
            {"message": message, "kind": "error"},
            status_code=status_code,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
        )
    return render(
        request, "error.html", {"message": message, "status": status_code}, status_code=status_code
    )


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this server only (never ``//host`` or a URL)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/alerts"
    return value
