"""Re-render, right after a publish, what readers of that incident are about to ask for.

The invalidation alone would make the first reader (or nginx's background refresh) wait for the
render; rendering here, in the publishing process, means the new page is already in the cache
when they ask, which keeps "published" to "visible through nginx" well under two seconds even
when the web workers are saturated."""

import logging

from django.conf import settings
from django.http import Http404

from incidents.models import Incident
from public import banner, cache, pages, statuspage

logger = logging.getLogger(__name__)

STATUSPAGE_WARM = ("summary", "status", "unresolved")


def _warm(key: str, build, policy: cache.Policy) -> None:
    try:
        cache.get_entry(key, build, ttl=policy.ttl)
    except Http404:
        pass  # no longer public: the invalidation already dropped it
    except Exception:
        # Warming is an optimisation: a failure must never undo or delay a publish.
        logger.exception("public cache warm-up of %s failed", key)


def incident(incident: Incident) -> None:
    slug = incident.slug
    _warm(cache.make_key("page", slug), lambda: pages.render_incident_page(slug), cache.PAGE)
    _warm(cache.make_key("state", slug), lambda: pages.render_state(slug), cache.STATE)
    for services in ((incident.service.slug,), ()):
        for language, _name in settings.LANGUAGES:
            key = cache.make_key("banner", ",".join(services) or "*", language)
            _warm(
                key,
                lambda s=services, lang=language: banner.render_json(s, lang),
                cache.BANNER,
            )
    for document in STATUSPAGE_WARM:
        _warm(
            cache.make_key("api", document),
            lambda d=document: statuspage.build(d),
            cache.API,
        )
