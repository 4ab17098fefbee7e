"""The error pages readers and staff meet: 403, 404, 429 and 500 in the page's language, with the
site header, what happened, what to do and a way back (home, or the staff areas the user may
open). Django's bare English pages never reach anyone.

`too_many_requests` is the one 429 page for every rate limit that answers with a page."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, context: dict) -> HttpResponse:
    response = render(request, "errors/error.html", {"status": status, **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        {
            "heading": _("You cannot open this page"),
            "explanation": _(
                "Your account does not have the role this page needs. Ask an administrator "
                "if you should have access."
            ),
        },
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        {
            "heading": _("Page not found"),
            "explanation": _(
                "This address leads nowhere: the page was moved, or the link is mistyped. "
                "The home page lists every service we follow and every current incident."
            ),
        },
    )


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    response = _page(
        request,
        429,
        {
            "heading": _("Too many requests"),
            "explanation": ngettext(
                "Please wait %(count)d minute, then try again.",
                "Please wait %(count)d minutes, then try again.",
                minutes,
            )
            % {"count": minutes},
        },
    )
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with as little as possible: whatever broke the page may break this one too.
    body: str
    try:
        body = loader.render_to_string(
            "errors/error.html",
            {
                "SITE_NAME": settings.SITE_NAME,
                "status": 500,
                "heading": _("Something went wrong on our side"),
                "explanation": _(
                    "The page could not be shown. Try again in a minute; the incident pages "
                    "and the alert banner keep working."
                ),
            },
            request=None,
        )
    except Exception:
        logger.exception("the 500 page itself failed to render")
        body = "<!doctype html><title>500</title><h1>500</h1>"
    return HttpResponseServerError(body)
