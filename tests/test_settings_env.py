"""Bad configuration stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "OUTAGEDESK_TESTING",
            # Set by the `browser` fixture for Playwright; check --deploy rightly flags it.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update({"DJANGO_SETTINGS_MODULE": "outagedesk.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60, "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 60, "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 60, "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"SECRET_KEY": "x" * 60, "DEBUG": "perhaps"}, "DEBUG"),
        ({"SECRET_KEY": "x" * 60, "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        (
            {"SECRET_KEY": "x" * 60, "CSRF_TRUSTED_ORIGINS": "news.example.org"},
            "CSRF_TRUSTED_ORIGINS",
        ),
        ({"SECRET_KEY": "x" * 60, "LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
    ],
)
def test_bad_configuration_fails_fast_naming_the_variable(overrides, variable, tmp_path):
    result = run_check({"OUTAGEDESK_VAR_DIR": str(tmp_path), **overrides})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(
        {
            "OUTAGEDESK_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "k" * 20 + "Zq8!" + "v" * 40,
            "SITE_URL": "https://status.news.example.org",
            "ALLOWED_HOSTS": "status.news.example.org",
            "DATABASE_URL": "postgresql://outagedesk@127.0.0.1:5432/outagedesk",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
