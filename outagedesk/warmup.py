"""Work every web worker would otherwise do on its first requests, done once before it forks.

Gunicorn loads the app in its master process (`preload_app` in deploy/gunicorn.conf.py) and
forks the workers from it, so whatever the master has loaded they start with. Django loads the
URL configuration (and with it every view module), the translation catalogues and the templates
lazily, on the first request that needs them (and Celery its task registry): about 150 ms on a comment post and 90 ms on a
page, paid again by every worker gunicorn starts and by every one it restarts (`max_requests`)
in the middle of a crisis. Loading them here makes the first request as fast as the next.

Nothing here opens a connection (database, Redis, broker): a socket opened before the fork
would be shared by every worker. Those open on first use, in each worker.
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.loader import get_template
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real
from kombu.transport import resolve_transport
from kombu.utils.imports import symbol_by_name

from outagedesk.celery import app as celery_app

logger = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    """The names of the project's own templates (those under the project's folder: not the
    admin's or a library's), as the loaders find them."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d) for d in engines["django"].dirs]
    roots += [Path(d) for d in get_app_template_dirs("templates")]
    names = {
        str(path.relative_to(root))
        for root in roots
        if root.is_dir()
        and root.resolve().is_relative_to(base)
        and "site-packages" not in root.parts
        for path in root.rglob("*.html")
    }
    return sorted(names)


def warm_up() -> dict[str, int]:
    """Load the URL configuration, every language's catalogue and the project's templates.
    Returns how many of each were loaded (for the log)."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URL modules and with them every view
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)  # the catalogue, every app's merged
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - the reverse() tables, one per language
    # Celery's task registry and the broker's transport module (a comment post enqueues its
    # automatic check); the connection itself opens on the first send, in the worker.
    celery_app.finalize(auto=True)
    transport = resolve_transport(celery_app.connection_for_write().transport_cls)
    if isinstance(transport, str):
        symbol_by_name(transport)
    templates = 0
    for name in project_template_names():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            # A broken template fails its own request, with its own error; not the start.
            logger.exception("warm-up: template %s did not load", name)
            continue
        templates += 1
    logger.info("warm-up: %d languages, %d templates loaded", len(settings.LANGUAGES), templates)
    return {"languages": len(settings.LANGUAGES), "templates": templates}


def freeze_loaded_objects() -> int:
    """Move every object alive now out of the garbage collector's sight, for good: what the
    master loaded (modules, URL patterns, catalogues, templates) lives as long as the process.
    Without this, each full collection in a worker walks all of it while holding the
    interpreter lock: about 100 ms during which none of the worker's threads answers anyone
    (and each walk touches, so copies, memory the workers could have kept sharing with the
    master). Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
