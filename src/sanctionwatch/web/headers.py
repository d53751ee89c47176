"""Security headers on every answer, the Content-Security-Policy first.

The workspace renders names that come from sanctions lists and AIS messages, which anyone can
write into (a ship can broadcast any name). Templates escape them; the CSP is the second
wall: scripts only from this server's own files (no inline script, no eval, no third-party
origin), styles only from its own files, and no request to any other origin unless the
operator configured a map tile server (``[web] map_tile_url``), whose origin alone is added.

One page is different: ReDoc 2 (``/redoc``) injects its styles at run time, so that page
alone allows inline *styles* (scripts stay ``'self'`` only).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionwatch.config import Settings

BASE_POLICY: dict[str, str] = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    # data: for the SVG icons inside maplibre-gl.css and Swagger UI; blob: for map images.
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",  # MapLibre's module worker, served beside it
    "manifest-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Per-path differences from the base policy.
PAGE_POLICIES: dict[str, dict[str, str]] = {
    "/redoc": {"style-src": "'self' 'unsafe-inline'"},
}
OTHER_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    # Not "no-referrer": with it, Chromium sends "Origin: null" on the pages' own POSTs (forms
    # and htmx), which the CSRF Origin check must refuse. same-origin sends nothing elsewhere.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


def tile_origin(url: str) -> str | None:
    """The origin (scheme://host[:port]) of a tile URL template, or None when unset."""
    if not url:
        return None
    parts = urlsplit(url.replace("{", "").replace("}", ""))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def policy_text(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def policies(settings: Settings) -> tuple[str, dict[str, str]]:
    """The CSP for every answer, and the ones for the paths that differ."""
    base = dict(BASE_POLICY)
    if origin := tile_origin(settings.map_tile_url):
        for directive in ("img-src", "connect-src"):
            base[directive] += f" {origin}"
    per_path = {path: policy_text(base | changes) for path, changes in PAGE_POLICIES.items()}
    return policy_text(base), per_path


class SecurityHeaders:
    """ASGI middleware: adds the CSP and the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.default, self.per_path = policies(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.per_path.get(scope["path"], self.default).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"content-security-policy"
                ]
                present = {name.lower() for name, _ in headers}
                headers.append((b"content-security-policy", csp))
                # a route's own value wins (an attachment download sets nosniff itself)
                headers.extend(h for h in OTHER_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
