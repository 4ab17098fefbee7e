"""Public views: thin wrappers that pick a cache key and a renderer (see public/cache.py).

Every response here is the same for every reader, so it is cached and answered with 304 when the
reader already has it. Nothing reads the session or the user."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from incidents.redirects import follow_renamed_incident
from incidents.selectors import public as selectors
from public import banner, cache, feeds, pages, statuspage
from public.cache import Rendered, cached_response, make_key

FEED_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}
STATUSPAGE_DOCUMENTS = {"summary", "status", "components", "incidents", "unresolved"}
# The iframe banner is the one page other sites may frame; its only script is our own
# static file, which refetches this page to update the bar in place.
FRAME_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": ["*"],
}


@require_safe
def index(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return cached_response(
        request, make_key("index", language), lambda: pages.render_index(language), cache.PAGE
    )


@require_safe
@follow_renamed_incident
def incident_detail(request, slug: str):
    return cached_response(
        request, make_key("page", slug), lambda: pages.render_incident_page(slug), cache.PAGE
    )


@require_safe
@follow_renamed_incident
def incident_state(request, slug: str):
    """What the open page polls every 30 s: a few bytes, and a 304 while nothing changed."""
    return cached_response(
        request, make_key("state", slug), lambda: pages.render_state(slug), cache.STATE
    )


@require_safe
def feed_all(request, kind: str):
    feed = feeds.AllIncidentsAtom() if kind == "atom" else feeds.AllIncidentsRss()

    def build() -> Rendered:
        with translation.override(settings.LANGUAGE_CODE):
            response = feed(request)
        return Rendered(response.content, FEED_TYPES[kind])

    return cached_response(request, make_key("feed", kind), build, cache.FEED)


@require_safe
@follow_renamed_incident
def feed_incident(request, slug: str):
    def build() -> Rendered:
        incident = selectors.public_incident_get(slug)
        if incident is None:
            raise Http404("No such public incident")
        with translation.override(incident.language):
            response = feeds.IncidentAtom()(request, slug=slug)
        return Rendered(response.content, FEED_TYPES["atom"])

    return cached_response(request, make_key("feed-incident", slug), build, cache.FEED)


@require_safe
def statuspage_document(request, document: str):
    if document not in STATUSPAGE_DOCUMENTS:
        raise Http404("No such document")
    return cached_response(
        request, make_key("api", document), lambda: statuspage.build(document), cache.API
    )


def _banner_params(request) -> tuple[tuple[str, ...], str]:
    raw = request.GET.get("services") or request.GET.get("service") or ""
    return banner.parse_services(raw), banner.parse_language(request.GET.get("lang", ""))


@require_safe
def banner_json(request):
    services, language = _banner_params(request)
    key = make_key("banner", ",".join(services) or "*", language)
    return cached_response(
        request, key, lambda: banner.render_json(services, language), cache.BANNER
    )


@require_safe
@xframe_options_exempt
@csp_override(FRAME_CSP)
def banner_frame(request):
    services, language = _banner_params(request)
    key = make_key("banner-frame", ",".join(services) or "*", language)
    return cached_response(
        request, key, lambda: banner.render_frame(services, language), cache.BANNER
    )


@require_safe
def banner_script(request):
    """The script blogs embed. Served by Django so its URL never changes with deployments."""
    body, etag = banner.script()
    response = HttpResponse(content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600, stale-while-revalidate=86400"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not response:
        return conditional
    response.content = body
    return response
