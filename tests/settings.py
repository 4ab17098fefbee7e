"""Test settings: the production settings module, read with a test environment.

Environment defaults are set before importing so the same env-driven code paths are exercised;
DATABASE_URL and REDIS_URL from the environment (the PostgreSQL + Redis pass of .ci/run) win."""

import os
import tempfile

os.environ.setdefault("OUTAGEDESK_TESTING", "1")
os.environ.setdefault("OUTAGEDESK_VAR_DIR", tempfile.mkdtemp(prefix="outagedesk-test-"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from outagedesk.settings import *  # noqa: E402,F403
from outagedesk.settings import DATABASES, VAR_DIR  # noqa: E402

# Django's test runner swaps every mailer for locmem too; this also covers the real worker
# processes some tests start with these settings (tests/notifications/worker.py).
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so a real Celery worker started by a test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
