from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from outagedesk.health import health_report


@require_GET
@never_cache
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the real icon
    (resolved per request, so the hashed name of a collected static file is used)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
