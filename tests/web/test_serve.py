"""`sanctionwatch serve`: the key shown once on first start, --no-auth warned about, a clean
error without lists, and one real server answering real HTTP."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from sanctionwatch.cli import cli
from sanctionwatch.screening import service
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.auth import KEY_ENV, KEY_FILE
from tests.web.conftest import person

STARTUP_SECONDS = 60


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch, screener: Screener) -> list[dict[str, Any]]:
    """`serve` runs up to the point of listening; the uvicorn call is recorded instead."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(service, "open_screener", lambda settings: screener)
    monkeypatch.delenv(KEY_ENV, raising=False)
    return calls


def test_first_serve_prints_the_key_once(tmp_path: Path, no_server: list[dict[str, Any]]) -> None:
    first = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve", "--port", "8123"])
    assert first.exit_code == 0, first.output
    key = first.output.split("):\n", 1)[1].split()[0]
    assert (tmp_path / KEY_FILE).read_text().strip() == hashlib.sha256(key.encode()).hexdigest()
    assert no_server == [
        {
            "host": "127.0.0.1",
            "port": 8123,
            "server_header": False,
            "proxy_headers": False,
            "forwarded_allow_ips": None,
        }
    ]
    second = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve"])
    assert second.exit_code == 0 and key not in second.output and "API key" not in second.output


def test_serve_behind_a_proxy_trusts_only_a_local_one(
    tmp_path: Path, no_server: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve", "--behind-proxy"])
    assert result.exit_code == 0, result.output
    assert no_server[0]["proxy_headers"] is True
    assert no_server[0]["forwarded_allow_ips"] == "127.0.0.1"


def test_serve_says_how_to_add_the_first_user(
    tmp_path: Path, no_server: list[dict[str, Any]]
) -> None:
    first = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve"])
    assert "No users yet" in first.output and "users add NAME --role admin" in first.output
    added = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "users", "add", "lead", "--role", "admin"], input="pw-lead\n"
    )
    assert added.exit_code == 0, added.output
    again = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve"])
    assert again.exit_code == 0 and "No users yet" not in again.output


def test_no_auth_warns(tmp_path: Path, no_server: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve", "--no-auth"])
    assert result.exit_code == 0
    assert "WARNING: authentication is off" in result.output
    assert not (tmp_path / KEY_FILE).exists()


def test_serve_without_lists_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve"])
    assert result.exit_code == 1
    assert "no lists loaded" in result.output and "Traceback" not in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_real_server_answers_over_http(home: Path, screener: Screener, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, KEY_ENV: "subprocess-key"}
    log = (tmp_path / "serve.log").open("w")
    command = [sys.executable, "-m", "sanctionwatch", "--home", str(home), "serve"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "server did not start in time"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        body = {"queries": {"kju": person("Kim Jong Un", birthDate="1984-01-08")}}
        answer = httpx.post(
            f"{base}/match/default",
            json=body,
            headers={"Authorization": "ApiKey subprocess-key"},
            timeout=30,
        )
        assert answer.status_code == 200
        [best, *_] = answer.json()["responses"]["kju"]["results"]
        assert best["records"][0]["id"] == "20157" and best["match"] is True
        assert httpx.post(f"{base}/match/default", json=body, timeout=30).status_code == 401
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
