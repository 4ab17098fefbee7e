"""Bad configuration stops start-up with a message naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _environment(env_overrides: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser fixture for Playwright; a deployment
        # check run after a browser test must not inherit it.
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "OUTAGEDESK_TESTING",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update({"DJANGO_SETTINGS_MODULE": "outagedesk.settings", **env_overrides})
    return env


def run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=_environment(env_overrides),
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
        # Read even while the embedded mode writes mail to files, so it fails before production.
        (
            {"SECRET_KEY": "x" * 60, "OUTAGEDESK_EMBEDDED": "1", "EMAIL_USE_TLS": "maybe"},
            "EMAIL_USE_TLS",
        ),
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


# The mailer Django builds from the settings, as the notification code gets it. Deprecation
# warnings are errors: no EMAIL_* setting is left for Django 6.1 to warn about.
_DESCRIBE_MAILER = """
import json, django
django.setup()
from django.core.mail import mailers
mailer = mailers.default
print(json.dumps({
    "backend": f"{type(mailer).__module__}.{type(mailer).__name__}",
    **{name: getattr(mailer, name, None)
       for name in ("host", "port", "username", "password", "use_tls", "timeout", "file_path")},
}))
"""


def default_mailer(env_overrides: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-W", "error::PendingDeprecationWarning",
         "-c", _DESCRIBE_MAILER],
        cwd=ROOT, env=_environment(env_overrides), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_mail_goes_through_the_smtp_server_from_the_environment(tmp_path):
    mailer = default_mailer(
        {
            "OUTAGEDESK_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "x" * 60,
            "EMAIL_HOST": "smtp.news.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "alerts",
            "EMAIL_HOST_PASSWORD": "app-password",
            "EMAIL_USE_TLS": "true",
        }
    )
    assert mailer == {
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.news.example.org",
        "port": 587,
        "username": "alerts",
        "password": "app-password",
        "use_tls": True,
        "timeout": 10,
        "file_path": None,
    }


def test_the_embedded_mode_writes_mail_to_files_in_var(tmp_path):
    mailer = default_mailer(
        {"OUTAGEDESK_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 60, "OUTAGEDESK_EMBEDDED": "1"}
    )
    assert mailer["backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mailer["file_path"] == str(tmp_path / "mail")


def test_email_backend_from_the_environment_wins(tmp_path):
    mailer = default_mailer(
        {
            "OUTAGEDESK_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "x" * 60,
            "OUTAGEDESK_EMBEDDED": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "mail.internal",
        }
    )
    assert mailer["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mailer["host"], mailer["port"]) == ("mail.internal", 25)
