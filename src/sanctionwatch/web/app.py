"""The app factory: one FastAPI app over one screening index, loaded here, once."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from sanctionwatch import __version__
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.service import open_screener
from sanctionwatch.web.auth import ApiKeyAuth, configured_auth, require_api_key
from sanctionwatch.web.datasets import Datasets
from sanctionwatch.web.errors import install_error_handlers
from sanctionwatch.web.headers import SecurityHeaders
from sanctionwatch.web.limits import BodySizeLimit
from sanctionwatch.web.pages import alerts as alerts_page
from sanctionwatch.web.pages import cases as cases_page
from sanctionwatch.web.pages import docs, lists, login, screening
from sanctionwatch.web.pages import vessels as vessels_page
from sanctionwatch.web.pages.common import STATIC_DIR
from sanctionwatch.web.responses import SafeJSONResponse
from sanctionwatch.web.routers import (
    alerts,
    attachments,
    audit,
    cases,
    health,
    maps,
    match,
    notes,
    search,
    session,
    users,
    vessels,
)

DESCRIPTION = """Screen people, companies and vessels against the sanctions lists loaded in
sanctionwatch. `/match` and `/search` take and give what OpenSanctions' yente does, so yente
clients work unchanged. Send the API key as `Authorization: ApiKey <key>`."""
# The workspace's pages, in the order their routes are matched.
PAGES = (login, docs, alerts_page, vessels_page, cases_page, screening, lists)


def create_app(
    settings: Settings,
    *,
    auth: ApiKeyAuth | None = None,
    screener: Screener | None = None,
    cases_db: CasesDatabase | None = None,
) -> FastAPI:
    """The API over the lists under ``settings.home``.

    ``auth``: the API key to require (default: ``SANCTIONWATCH_API_KEY``, else the key stored
    under home; an error if there is none; ``ApiKeyAuth.disabled()`` turns checks off).
    ``screener``: an already loaded screener (default: the home's index, loaded now; a
    StoreError if no list is loaded). ``cases_db``: the team's cases database (default: the
    home's, opened and migrated now). No CORS headers are sent: browsers on other origins
    cannot call the API. Every answer carries the CSP and security headers of
    ``web/headers.py``; the pages' scripts, styles and base map are served from
    ``web/static`` (no outside connection needed, API docs included).
    """
    auth = configured_auth(settings) if auth is None else auth
    screener = open_screener(settings) if screener is None else screener
    app = FastAPI(
        title="sanctionwatch",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=SafeJSONResponse,
        docs_url=None,  # FastAPI's pages load from a CDN: pages/docs.py serves ours
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings
    app.state.auth = auth
    app.state.datasets = Datasets.from_screener(screener)
    app.state.cases = CasesDatabase.open(settings) if cases_db is None else cases_db
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    # level 6, not Starlette's 9: a map answer of 400 KB compresses in a third of the time
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    protected = [Depends(require_api_key)]
    app.include_router(match.router, dependencies=protected)
    app.include_router(search.router, dependencies=protected)
    app.include_router(health.router)
    for team in (session, users, alerts, vessels, maps, cases, notes, attachments, audit):
        app.include_router(team.router)
    for page in PAGES:
        app.include_router(page.router)
    return app
