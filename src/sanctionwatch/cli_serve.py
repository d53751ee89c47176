"""``sanctionwatch serve``: the HTTP API (screening, yente-compatible, and the team API)."""

from __future__ import annotations

import click

from sanctionwatch.cli_support import stderr, stdout
from sanctionwatch.config import Settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--no-auth", is_flag=True, help="Serve without an API key (local experiments only).")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-Proto/-For from a reverse proxy on 127.0.0.1 (one that terminates "
    "TLS): needed for browsers' sign-in cookies and same-origin checks over https.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_auth: bool, behind_proxy: bool) -> None:
    """Serve the screening API: yente-compatible /match and /search, docs at /docs.

    Requests need the API key (header 'Authorization: ApiKey <key>'): $SANCTIONWATCH_API_KEY,
    else the key made on the first start, shown once and stored only as a SHA-256 hash in
    HOME/api-key.sha256 (delete that file to make a new key).
    """
    import uvicorn

    from sanctionwatch.cases.accounts import team_has_users
    from sanctionwatch.screening.service import open_screener
    from sanctionwatch.web.app import create_app
    from sanctionwatch.web.auth import KEY_FILE, ApiKeyAuth, ensure_api_key

    settings: Settings = ctx.obj
    screener = open_screener(settings)  # fails here, cleanly, when no list is loaded
    if no_auth:
        auth = ApiKeyAuth.disabled()
        stderr.print(
            f"WARNING: authentication is off: anyone who can reach {host}:{port} can query.",
            style="bold red",
        )
    else:
        auth, new_key = ensure_api_key(settings)
        if new_key:
            stdout.print(
                f"API key (shown once; only its SHA-256 hash is kept, in "
                f"{settings.home / KEY_FILE}):\n{new_key}"
            )
    app = create_app(settings, auth=auth, screener=screener)
    if not team_has_users(app.state.cases):
        stdout.print(
            "No users yet: the workspace and the team API (/api) need one; add the first with "
            "'sanctionwatch users add NAME --role admin' (docs/team-setup.md)."
        )
    stdout.print(
        f"Serving on http://{host}:{port}: the workspace at /, the API docs at /docs "
        "(no outside connection needed)"
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        server_header=False,
        proxy_headers=behind_proxy,
        forwarded_allow_ips="127.0.0.1" if behind_proxy else None,
    )
