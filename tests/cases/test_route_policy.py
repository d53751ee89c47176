"""The route table against the access policy, walked from the app itself (so a route added
later is checked without anyone listing it here): nothing answers without a credential
unless web/public_routes.py lists it, every /api route declares exactly one role, writes need
an analyst unless they only touch the caller's own credentials, and every role is enforced
(a viewer cannot write, only an admin manages users and reads the audit log). Both backends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.web.pages.common import mark_page
from sanctionwatch.web.public_routes import PUBLIC, SELF_SERVICE
from sanctionwatch.web.security import UNSAFE_METHODS, RoleRequirement
from tests.cases.conftest import bearer

try:  # FastAPI >= 0.16x keeps included routers as branches of the route table
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI: app.routes is already flat

    def iter_route_contexts(routes: Any) -> Any:  # type: ignore[no-redef]
        return routes


# Values for path parameters: ids that exist nowhere, so no call changes anything.
PATH_VALUES = {"dataset": "default", "name": "nobody-at-all"}
UNKNOWN_ID = "987654321"
PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    roles: tuple[str, ...]  # the role dependencies found on the route
    page: bool  # a workspace page (HTML): without a sign-in it redirects to /login

    @property
    def url(self) -> str:
        return PARAM.sub(lambda m: PATH_VALUES.get(m.group(1), UNKNOWN_ID), self.path)

    @property
    def public(self) -> bool:
        return (self.method, self.path) in PUBLIC


def role_dependencies(dependant: Dependant | None) -> Iterator[str]:
    """The roles required anywhere in a route's dependency tree."""
    if dependant is None:
        return
    for sub in dependant.dependencies:
        if isinstance(sub.call, RoleRequirement):
            yield sub.call.role
        yield from role_dependencies(sub)


def is_page(dependant: Dependant | None) -> bool:
    return dependant is not None and any(sub.call is mark_page for sub in dependant.dependencies)


def endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    for route in iter_route_contexts(app.routes):
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path is None or not methods:
            continue
        dependant = getattr(route, "dependant", None)
        roles, page = tuple(role_dependencies(dependant)), is_page(dependant)
        found += [Endpoint(m, path, roles, page) for m in sorted(methods) if m != "HEAD"]
    return found


def call(api: TestClient, endpoint: Endpoint, headers: dict[str, str] | None = None) -> Any:
    # No body: role checks (dependencies) must come before the body is validated.
    return api.request(endpoint.method, endpoint.url, headers=headers, follow_redirects=False)


def is_role_refusal(answer: Any) -> bool:
    """403 naming the role (a page says it in HTML, the API in JSON)."""
    return answer.status_code == 403 and "role" in answer.text


def test_the_walk_sees_the_whole_api(api: TestClient) -> None:
    seen = {(e.method, e.path) for e in endpoints(api.app)}  # type: ignore[arg-type]
    assert {
        ("GET", "/healthz"),
        ("POST", "/match/{dataset}"),
        ("POST", "/api/login"),
        ("POST", "/api/logout"),
        ("GET", "/api/users"),
        ("PATCH", "/api/users/{name}"),
    } <= seen
    assert seen >= PUBLIC, "PUBLIC names a route that does not exist"
    assert seen >= SELF_SERVICE, "SELF_SERVICE names a route that does not exist"


def test_every_route_not_public_needs_a_credential(api: TestClient) -> None:
    for endpoint in endpoints(api.app):  # type: ignore[arg-type]
        answer = call(api, endpoint)
        if endpoint.public:
            assert answer.status_code != 401, endpoint
        elif endpoint.page:
            assert answer.status_code == 303, (endpoint, answer.status_code, answer.text)
            assert answer.headers["location"].startswith("/login?next="), endpoint
        else:
            assert answer.status_code == 401, (endpoint, answer.status_code, answer.text)


def test_the_walk_sees_the_pages(api: TestClient) -> None:
    pages = {(e.method, e.path) for e in endpoints(api.app) if e.page}  # type: ignore[arg-type]
    assert {("GET", "/"), ("GET", "/login"), ("POST", "/logout"), ("GET", "/docs")} <= pages


def test_every_api_route_and_page_declares_exactly_one_role(api: TestClient) -> None:
    for endpoint in endpoints(api.app):  # type: ignore[arg-type]
        if not (endpoint.path.startswith("/api") or endpoint.page):
            continue
        expected = 0 if endpoint.public else 1
        assert len(endpoint.roles) == expected, endpoint


def test_writes_need_an_analyst_unless_they_touch_only_the_callers_credentials(
    api: TestClient,
) -> None:
    for endpoint in endpoints(api.app):  # type: ignore[arg-type]
        if endpoint.method not in UNSAFE_METHODS or endpoint.public:
            continue
        if (endpoint.method, endpoint.path) in SELF_SERVICE:
            assert endpoint.roles == ("viewer",), endpoint
        elif endpoint.path.startswith("/api") or endpoint.page:
            assert endpoint.roles in (("analyst",), ("admin",)), endpoint


def test_users_and_the_audit_log_are_for_admins_only(api: TestClient) -> None:
    for endpoint in endpoints(api.app):  # type: ignore[arg-type]
        if endpoint.path.startswith(("/api/users", "/api/audit")):
            assert endpoint.roles == ("admin",), endpoint


def test_every_role_is_enforced_on_every_route(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    tokens = {role: bearer(db, settings, f"a-{role}", role) for role in ("viewer", "analyst")}
    tokens["admin"] = bearer(db, settings, "an-admin", "admin")
    rank = {"viewer": 0, "analyst": 1, "admin": 2}
    checked = 0
    for endpoint in endpoints(api.app):  # type: ignore[arg-type]
        if len(endpoint.roles) != 1:
            continue
        (needed,) = endpoint.roles
        for role, headers in tokens.items():
            answer = call(api, endpoint, headers)
            if rank[role] < rank[needed]:
                assert answer.status_code == 403, (endpoint, role, answer.status_code, answer.text)
                checked += 1
            else:
                assert answer.status_code != 401, (endpoint, role)
                assert not is_role_refusal(answer), (endpoint, role)
    assert checked >= 10  # the walk found the analyst and admin routes
