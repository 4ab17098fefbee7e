import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outagedesk.settings")
application = get_wsgi_application()

# After setup, before gunicorn forks its workers (preload_app): outagedesk/warmup.py says why.
from outagedesk.warmup import freeze_loaded_objects, warm_up  # noqa: E402 - needs the settings

warm_up()
freeze_loaded_objects()
