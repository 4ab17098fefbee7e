"""The one guard at the edge for what a client sends: size first, then characters.

Requests larger than REQUEST_MAX_BYTES (the shipped nginx's client_max_body_size) are answered
413 before their body is read, multipart uploads included (Django's own
DATA_UPLOAD_MAX_MEMORY_SIZE does not count files). Then every query parameter, form field, file
name, JSON string (keys too, at any depth), header and the path are checked for NUL and lone
surrogates: PostgreSQL refuses NUL in text (a 500 deep in a query) and neither character has a
place in anything a person types, so the request is refused with a plain 400 here, the same on
every database, instead of each view having to remember.
"""

import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# NUL, and UTF-16 surrogate halves (only a JSON "\ud800" escape can produce one alone in a str).
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def _has_forbidden(value) -> bool:
    return isinstance(value, str) and FORBIDDEN.search(value) is not None


def _json_has_forbidden(data) -> bool:
    """Every string of a decoded JSON document, keys included; iterative, so a deeply nested
    document json.loads accepted cannot overflow the stack here."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _has_forbidden(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _querydict_has_forbidden(querydict) -> bool:
    return any(
        _has_forbidden(key) or any(_has_forbidden(value) for value in values)
        for key, values in querydict.lists()
    )


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _refuse(request, status: int, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def request_is_clean(request) -> bool:
    """False when the path, a header, a query parameter or the body carries NUL or a lone
    surrogate."""
    if _has_forbidden(request.path_info):
        return False
    if any(
        _has_forbidden(value)
        for key, value in request.META.items()
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "QUERY_STRING")
    ):
        return False
    if _querydict_has_forbidden(request.GET):
        return False
    if request.method in ("GET", "HEAD", "OPTIONS") or not _content_length(request):
        return True
    # Read (at most REQUEST_MAX_BYTES) before parsing: the parsed form then comes from this
    # copy, and a view that reads request.body afterwards still can.
    body = request.body
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if _querydict_has_forbidden(request.POST):
            return False
        return not any(
            _has_forbidden(key) or _has_forbidden(upload.name)
            for key, uploads in request.FILES.lists()
            for upload in uploads
        )
    # Views read JSON bodies whatever the declared type, so any body that parses is checked.
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return True  # not JSON: the view that reads it refuses it
    return not _json_has_forbidden(data)


class UntrustedInputMiddleware:
    """After LocaleMiddleware, so the refusal is worded in the page's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.REQUEST_MAX_BYTES:
            return _refuse(
                request,
                413,
                _("This request is too large (at most %(size)s KB).")
                % {"size": settings.REQUEST_MAX_BYTES // 1024},
            )
        if not request_is_clean(request):
            return _refuse(
                request,
                400,
                _(
                    "This request contains a character that is not allowed (a null character "
                    "or a broken one). Remove it and try again."
                ),
            )
        return self.get_response(request)
