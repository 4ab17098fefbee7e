"""CSRF protection for the reader forms on cached public pages.

Public pages are cached for every reader (and by a CDN), so they cannot carry a per-reader CSRF
token. Reader POST endpoints (report "down for me", comment, subscribe) therefore check where the
request comes from instead: a browser always sends Origin on a cross-site POST, and Referer
otherwise, so a POST whose Origin/Referer is not this site is refused. Staff views keep Django's
token-based CSRF.
"""

from functools import wraps
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


def _trusted_origins(request) -> set[str]:
    origins = {f"{request.scheme}://{request.get_host()}"}
    origins.update(settings.CSRF_TRUSTED_ORIGINS)
    site = urlparse(settings.SITE_URL)
    origins.add(f"{site.scheme}://{site.netloc}")
    return origins


def request_is_same_origin(request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if not referer:
            return False
        parsed = urlparse(referer)
        origin = f"{parsed.scheme}://{parsed.netloc}"
    return origin in _trusted_origins(request)


def origin_checked_post(view):
    """For reader POST endpoints on cached pages: same-origin check instead of a token."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request_is_same_origin(request):
            return HttpResponseForbidden(
                _("This form must be sent from this site's own pages."), content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    # Read by the URL-walking access test; typeshed gives functions no free attributes.
    wrapper.origin_checked = True  # type: ignore[attr-defined]
    return wrapper
