"""`python -m tests.notifications.worker <celery worker options>`: the same worker as
`celery -A outagedesk worker ...`, for tests that run a real worker process, with one
test-only addition read before it starts:

- TEST_SMTP_PORT: send mail to that port on 127.0.0.1 (tests/settings.py pins locmem mail).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings

    port = os.environ.get("TEST_SMTP_PORT")
    if port:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": int(port), "timeout": 10},
            }
        }
    from outagedesk.celery import app

    app.worker_main(argv=["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
