"""`python -m tests.faults.worker <celery worker options>`: the project's Celery worker (the same
as `celery -A outagedesk worker ...`) for fault tests, with test-only knobs read before it starts:

- TEST_SMTP_PORT: send mail to that port on 127.0.0.1 (tests/settings.py pins locmem mail);
- TEST_VISIBILITY_TIMEOUT: seconds after which Redis hands a message whose worker vanished
  without acknowledging it to another worker (production: an hour, see settings.py), checked
  every second, so a test can watch a killed worker's task being delivered again.
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

    visibility = os.environ.get("TEST_VISIBILITY_TIMEOUT")
    if visibility:
        options = dict(app.conf.broker_transport_options or {})
        options["visibility_timeout"] = int(visibility)
        # Look for such messages every second (by default every 100 s or so).
        options["unacked_restore_interval"] = 1
        options["unacked_restore_throttle"] = 1
        app.conf.broker_transport_options = options
    app.worker_main(argv=["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
