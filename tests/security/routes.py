"""Every URL of the app, read from the URL resolver, and who may use each one.

A route the table does not classify fails the access tests: a new view cannot ship without
someone deciding who may open it. Django admin's per-model routes are left out (the admin
checks its own model permissions); its index is in, with the role permissions checked there.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "reader", "moderator", "editor", "admin")


@dataclass(frozen=True)
class Access:
    label: str
    allowed: frozenset[str]
    login_url: str = "/accounts/login/"  # where the denied anonymous reader is sent


PUBLIC = Access("public", frozenset(ROLES))
EDITOR = Access("editor", frozenset({"editor", "admin"}))
MODERATOR = Access("moderator", frozenset({"moderator", "admin"}))
# The admin index lets in every staff account; what each sees there is its role's permissions.
# Slow mode on a page's comments: moderators and the editors who run the incident both use it.
NEWSROOM_OR_MODERATION = Access("editor or moderator", frozenset({"editor", "moderator", "admin"}))
ADMIN_SITE = Access("admin site", frozenset({"moderator", "editor", "admin"}), "/admin/login/")

# Whole staff areas, by URL prefix: a view added there gets the area's rule and is tested
# against it.
BY_PREFIX = {
    "/newsroom/": EDITOR,
    "/moderation/": MODERATOR,
}

# Everything else by route name, one by one.
BY_NAME = {
    "admin:index": ADMIN_SITE,
    "comments:slow_mode": NEWSROOM_OR_MODERATION,
    "healthz": PUBLIC,
    "favicon": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "set_language": PUBLIC,
    "incidents:reader_report": PUBLIC,
    "public_pages:index": PUBLIC,
    "public_pages:incident": PUBLIC,
    "public_pages:service": PUBLIC,
    "public_pages:incident-card": PUBLIC,
    "public_pages:service-card": PUBLIC,
    "public:incident-state": PUBLIC,
    "public:incident-feed": PUBLIC,
    "public:feed-atom": PUBLIC,
    "public:feed-rss": PUBLIC,
    "public:api-summary": PUBLIC,
    "public:api-status": PUBLIC,
    "public:api-components": PUBLIC,
    "public:api-incidents": PUBLIC,
    "public:api-unresolved": PUBLIC,
    "public:banner-js": PUBLIC,
    "public:banner-json": PUBLIC,
    "public:banner-frame": PUBLIC,
    "comments_public:section": PUBLIC,
    "comments_public:report": PUBLIC,
    "notifications:subscribe": PUBLIC,
    "notifications:subscribe_push": PUBLIC,
    "notifications:unsubscribe_push": PUBLIC,
    "notifications:confirm": PUBLIC,
    "notifications:unsubscribe": PUBLIC,
}

# csrf_exempt views that are not origin-checked, each with the reason. A mail client's
# one-click unsubscribe (RFC 8058) is a POST from the mail provider's servers: the signed
# token in the URL is the authorisation.
TOKEN_AUTHORISED = {"notifications:unsubscribe"}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "newsroom:workspace"
    route: str  # the pattern as written, from the site root: "newsroom/incidents/<int:pk>/"
    callback: object

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def prefix(self) -> str:
        return "/" + self.route

    @property
    def access(self) -> Access | None:
        if self.name in BY_NAME:
            return BY_NAME[self.name]
        for prefix, access in BY_PREFIX.items():
            if self.prefix.startswith(prefix):
                return access
        return None

    @property
    def origin_checked(self) -> bool:
        return bool(getattr(self.callback, "origin_checked", False))

    @property
    def csrf_exempt(self) -> bool:
        return bool(getattr(self.callback, "csrf_exempt", False))

    def path(self, world: dict) -> str:
        """The route's URL, its converters filled with objects of `world` (see conftest)."""
        kwargs = {}
        for param in self.params:
            namespace = self.name.rpartition(":")[0]
            candidates = (f"{self.name}.{param}", f"{namespace}.{param}", param)
            key = next((c for c in candidates if c in world["params"]), None)
            assert key is not None, (
                f"{self.name}: no object for <{param}>; add one to the `world` fixture "
                "(tests/security/conftest.py)"
            )
            kwargs[param] = world["params"][key]
        return reverse(self.name, kwargs=kwargs)

    def __str__(self) -> str:
        return self.name


def _walk(resolver, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(
                ":".join((*namespaces, entry.name or "")),
                prefix + str(entry.pattern),
                entry.callback,
            )


def all_routes() -> list[Route]:
    routes = []
    for route in _walk(get_resolver()):
        if route.name.startswith("admin:") and route.name != "admin:index":
            continue  # the admin's own model views: protected by Django's model permissions
        routes.append(route)
    return routes
