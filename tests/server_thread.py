"""The whole app served by uvicorn on a free loopback port, in a thread of this process: for
the browser tests (tests/browser) and the workspace benchmark (bench/bench_workspace.py)."""

from __future__ import annotations

import threading
import time

import uvicorn

from sanctionwatch.config import Settings
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.pg_server import free_port


class ServerThread:
    """``with ServerThread(settings) as base_url:`` serves until the block ends."""

    def __init__(self, settings: Settings, api_key: str = "server-thread-api-key") -> None:
        app = create_app(settings, auth=ApiKeyAuth.from_key(api_key))
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
