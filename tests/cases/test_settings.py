"""The team's settings from config.toml and the environment (docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.cases.db import database_url
from sanctionwatch.config import load_settings
from sanctionwatch.errors import InputError


def test_defaults_keep_everything_under_the_home(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert database_url(settings) == f"sqlite:///{tmp_path / 'cases.sqlite'}"
    assert settings.attachments_path == tmp_path / "attachments"
    assert settings.cookie_secure == "auto" and settings.login_max_failures == 5


def test_config_toml_then_environment(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[cases]\ndatabase_url = "postgresql://sw:pw@db.example.org/sw"\n'
        'attachments_dir = "files"\nattachments_max_bytes = 1000\n'
        "[accounts]\nlogin_max_failures = 3\nlogin_lock_seconds = 60\n"
        'session_ttl_seconds = 600\ncookie_secure = "always"\n'
    )
    settings = load_settings(tmp_path, environ={})
    # a bare postgresql:// URL goes through pg8000 (psycopg2 is not installed, and LGPL)
    assert database_url(settings) == "postgresql+pg8000://sw:pw@db.example.org/sw"
    assert settings.attachments_path == tmp_path / "files"
    assert settings.attachments_max_bytes == 1000
    assert (settings.login_max_failures, settings.login_lock_seconds) == (3, 60.0)
    assert (settings.session_ttl_seconds, settings.cookie_secure) == (600.0, "always")
    environ = {"SANCTIONWATCH_DATABASE_URL": "postgresql+psycopg://other/db"}
    assert database_url(load_settings(tmp_path, environ=environ)) == "postgresql+psycopg://other/db"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[accounts]\ncookie_secure = "sometimes"\n', "cookie_secure"),
        ("[accounts]\nlogin_lock_seconds = -1\n", "login_lock_seconds"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "config.toml").write_text(toml)
    with pytest.raises(InputError, match=message):
        load_settings(tmp_path, environ={})


def test_an_unsupported_database_is_refused(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={"SANCTIONWATCH_DATABASE_URL": "mysql://x/y"})
    with pytest.raises(InputError, match="mysql is not supported"):
        database_url(settings)
