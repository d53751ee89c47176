"""The routes anyone may call, and the writes any signed-in user may make.

Everything else needs a credential: a test (tests/cases/test_route_policy.py) walks the app's
route table and checks that every route not listed in :data:`PUBLIC` answers 401 without
one (a page: a redirect to ``/login``), and that every unsafe route needs at least the
analyst role unless it is listed in :data:`SELF_SERVICE`. Adding a route here is a security
decision: say why beside it.
"""

from __future__ import annotations

PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/healthz"),  # load balancers and `serve`'s own start-up check
        ("GET", "/docs"),  # the OpenAPI pages describe the API, they hold no data
        ("GET", "/redoc"),
        ("GET", "/openapi.json"),
        ("POST", "/api/login"),  # how a credential is obtained (rate-limited, locks out)
        ("GET", "/login"),  # the sign-in form, and where it posts (same checks as /api/login)
        ("POST", "/login"),
    }
)

# Writes a viewer may make, because they concern only the caller's own credentials.
SELF_SERVICE: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/api/logout"),
        ("POST", "/logout"),  # the pages' sign-out form
        ("POST", "/api/me/tokens"),  # a token for scripts, with the caller's own role
        ("DELETE", "/api/tokens/{token_id}"),  # the owner's own tokens (or an admin's)
    }
)


def is_public(method: str, path: str) -> bool:
    return (method.upper(), path) in PUBLIC
