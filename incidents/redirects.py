"""Old incident addresses keep working: a view decorator that answers a permanent redirect to
the incident's current address when the slug in the URL is one it had before a rename.

Used by every public view that takes an incident slug (page, live state, feed, comments), so a
link shared, cached by a feed reader or written in an email before the rename never breaks."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from incidents.selectors.public import public_incident_current_slug


def follow_renamed_incident(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, slug=slug, **kwargs)
        except Http404:
            response = None
        if response is not None and response.status_code != 404:
            return response
        current = public_incident_current_slug(slug) if request.method in ("GET", "HEAD") else None
        if current is None:
            if response is None:
                raise Http404("No such public incident")
            return response
        path = request.path.replace(f"/{slug}/", f"/{current}/", 1)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)

    return wrapper
