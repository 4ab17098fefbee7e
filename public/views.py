"""Public views: each picks its document from the registry (public/documents.py) and answers it
through the cache (public/cache.py), with a 304 when the reader already has it.

Place in the public pipeline: documents ← here (and urls.py). Every response here is the same
for every reader; nothing reads the session or the user."""

from django.conf import settings
from django.utils import translation
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from incidents.redirects import follow_renamed_incident
from public import banner, documents
from public.cache import cached_response, embedded_file_response

# The iframe banner is the one page other sites may frame; its only script is our own
# static file, which refetches this page to update the bar in place.
FRAME_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": ["*"],
}


def _page_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@require_safe
def index(request):
    return cached_response(request, documents.index(_page_language()))


@require_safe
def service_detail(request, service_slug: str):
    return cached_response(request, documents.service(service_slug, _page_language()))


@require_safe
@follow_renamed_incident
def incident_detail(request, slug: str):
    # The language is the address's prefix (activated by the locale middleware).
    return cached_response(request, documents.incident_page(slug, _page_language()))


@require_safe
@follow_renamed_incident
def incident_state(request, slug: str):
    return cached_response(request, documents.incident_state(slug))


def _lang_param(request, default: str) -> str:
    """`?lang=`: a supported language, else `default` (junk never fails the request)."""
    raw = request.GET.get("lang", "")
    return banner.parse_language(raw) if raw.strip() else default


@require_safe
def service_card(request, service_slug: str):
    return cached_response(request, documents.service_card(service_slug, _page_language()))


@require_safe
@follow_renamed_incident
def incident_card(request, slug: str):
    return cached_response(request, documents.incident_card(slug))


@require_safe
def feed_all(request, kind: str):
    services = banner.parse_services(request.GET.get("service", ""))
    language = _lang_param(request, settings.LANGUAGE_CODE)
    return cached_response(request, documents.feed(kind, request, language, services))


@require_safe
@follow_renamed_incident
def feed_incident(request, slug: str):
    return cached_response(
        request, documents.incident_feed(slug, request, _lang_param(request, ""))
    )


@require_safe
def statuspage_document(request, document: str):
    language = _lang_param(request, "")
    return cached_response(request, documents.statuspage_document(document, language))


def _banner_params(request) -> tuple[tuple[str, ...], str]:
    raw = request.GET.get("services") or request.GET.get("service") or ""
    return banner.parse_services(raw), banner.parse_language(request.GET.get("lang", ""))


@require_safe
def banner_json(request):
    return cached_response(request, documents.banner_json(*_banner_params(request)))


@require_safe
@xframe_options_exempt
@csp_override(FRAME_CSP)
def banner_frame(request):
    return cached_response(request, documents.banner_frame(*_banner_params(request)))


@require_safe
def banner_script(request):
    """The script blogs embed. Served by Django so its URL never changes with deployments."""
    return embedded_file_response(request, banner.script(), banner.SCRIPT_TYPE)
