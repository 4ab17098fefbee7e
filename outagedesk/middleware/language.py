"""Which language a public page is in, from its address: `/fr/…` and `/en/…`.

Django's LocaleMiddleware does the work (the prefix activates the language; an unprefixed public
address answers a 302 to the reader's best language, with `Vary: Accept-Language`). This
subclass adds what a newsroom's traffic needs on top:

- the redirect is cacheable (a CDN keeps one per Accept-Language), so a link shared by millions
  costs one hit on Django per language;
- an unknown prefix (`/de/…`, `/fr-ca/…`, `/xx/…`) leads to the same page in the closest
  supported language (`fr-ca` → `fr`), else the default one, never a 404 or a 500 when that
  page exists.
"""

import re

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils.cache import patch_cache_control
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_supported_language_variant,
)

REDIRECT_MAX_AGE = 300
# What looks like a language prefix: "de", "fr-CA", "zh_Hant", "pt-br".
_PREFIX = re.compile(r"^/([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)(/.*)$")


def supported_language(raw: str | None) -> str:
    """The supported language closest to `raw` ("fr-CA" → "fr"), else the default one."""
    code = (raw or "").strip().replace("_", "-").lower()[:20]
    try:
        return get_supported_language_variant(code) if code else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


def _unknown_prefix_target(request) -> str | None:
    match = _PREFIX.match(request.path_info)
    if not match or match.group(1) in dict(settings.LANGUAGES):
        return None
    language, rest = supported_language(match.group(1)), match.group(2)
    target = f"/{language}{rest}"
    urlconf = getattr(request, "urlconf", None)
    return target if is_valid_path(target, urlconf) else None


class PublicLocaleMiddleware(LocaleMiddleware):
    response_redirect_class = HttpResponseRedirect

    def process_request(self, request):
        super().process_request(request)
        # A form posted to an unprefixed address (a page cached before the prefixes, another
        # site's form) is answered in place: a redirect would lose what the reader typed.
        if request.method in ("GET", "HEAD"):
            return
        urlconf = getattr(request, "urlconf", None)
        path = request.path_info
        if get_language_from_path(path) or is_valid_path(path, urlconf):
            return
        prefixed = f"/{get_language()}{path}"
        if is_valid_path(prefixed, urlconf):
            request.path_info = prefixed
            request.path = get_script_prefix().rstrip("/") + prefixed

    def process_response(self, request, response):
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
            used, _prefixed_default = is_language_prefix_patterns_used(urlconf)
            target = _unknown_prefix_target(request) if used else None
            if target:
                query = request.META.get("QUERY_STRING", "")
                location = get_script_prefix().rstrip("/") + target + (f"?{query}" if query else "")
                redirect = self.response_redirect_class(location)
                patch_cache_control(redirect, public=True, max_age=REDIRECT_MAX_AGE)
                return redirect
        response = super().process_response(request, response)
        # LocaleMiddleware's own redirect of an unprefixed public address: one per language.
        if (
            isinstance(response, HttpResponseRedirect)
            and response.status_code == 302
            and "Cache-Control" not in response
            and "Accept-Language" in response.get("Vary", "")
        ):
            patch_cache_control(response, public=True, max_age=REDIRECT_MAX_AGE)
        return response
