"""The command line in its own process, as a user (or a cron job) runs it: for tests of
what happens between processes (the writer lock, readers during an ingest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMAND = [sys.executable, "-m", "sanctionwatch"]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI process: no colours, no terminal width games."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", **extra})
    return env


def run_cli(
    home: Path, *args: str, timeout_s: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """``sanctionwatch --home HOME ARGS`` to completion, output captured."""
    return subprocess.run(
        [*COMMAND, "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=cli_env(**env),
        timeout=timeout_s,
        check=False,
    )


def start_cli(home: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """``sanctionwatch --home HOME ARGS`` started, stdout and stderr piped."""
    return subprocess.Popen(
        [*COMMAND, "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
    )
