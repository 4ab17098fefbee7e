"""Reader-facing endpoint of the incidents app: "it's down for me" reports."""

from urllib.parse import urlsplit

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incidents.services.reader_reports import (
    ReaderReportInvalid,
    ReaderReportLimited,
    reader_report_submit,
    report_target,
)
from outagedesk.csrf import origin_checked_post
from outagedesk.ratelimit import client_address, hash_identifier


def _back_link(request) -> str:
    """Where the reader came from, as a path on this site only (never another site)."""
    for candidate in (request.POST.get("next", ""), request.headers.get("referer", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(candidate)
            path = parts.path or "/"
            if path.startswith("/") and not path.startswith("//"):
                return path + (f"?{parts.query}" if parts.query else "")
    return "/"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@origin_checked_post
@require_POST
@never_cache
def reader_report(request, service_slug: str):
    target = report_target(service_slug)
    if target is None:
        raise Http404
    try:
        reader_report_submit(
            target=target,
            component=request.POST.get("component", "")[:60],
            country=request.POST.get("country", "")[:2],
            reader_key=hash_identifier(client_address(request)),
            language=(get_language() or "")[:5],
        )
    except ReaderReportInvalid as exc:
        ok, status, message = False, 400, str(exc)
    except ReaderReportLimited:
        ok, status = False, 429
        message = _("You already reported a problem with %(service)s in the last hour.") % {
            "service": target.service_name
        }
    else:
        ok, status = True, 200
        message = _("Thank you: your report about %(service)s was counted.") % {
            "service": target.service_name
        }
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=status)
    return render(
        request,
        "incidents/reader_report_done.html",
        {"ok": ok, "message": message, "back": _back_link(request)},
        status=status,
    )
