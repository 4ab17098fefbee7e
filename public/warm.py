"""Re-render, right after a publish, what readers of that incident are about to ask for.

The invalidation alone would make the first reader (or nginx's background refresh) wait for the
render; rendering here, in the publishing process, means the new page is already in the cache
when they ask, which keeps "published" to "visible through nginx" well under two seconds even
when the web workers are saturated.

Place in the public pipeline: documents (what to render) ← here ← receivers."""

import logging

from django.http import Http404

from incidents.models import Incident
from public import documents
from public.cache import Document, get_entry

logger = logging.getLogger(__name__)


def _warm(document: Document) -> None:
    try:
        get_entry(document)
    except Http404:
        pass  # no longer public: the invalidation already dropped it
    except Exception:
        # Warming is an optimisation: a failure must never undo or delay a publish.
        logger.exception("public cache warm-up of %s failed", document.key)


def warm_incident(incident: Incident) -> None:
    for document in documents.changed_with(incident):
        _warm(document)
