"""The registry of public documents: for each one, its cache key, its builder and its policy.

The one place a public response's cache key is made. Views answer with these documents and the
warm-up re-renders them after a publish, so the two can never disagree on a key. Builders look
their renderer up when they run (`pages.render_incident_page`, not a copy of it), so what a
document is built from is decided here and nowhere else.

Place in the public pipeline: cache ← render ← pages/banner/statuspage/feeds ← here ← views,
warm ← receivers.
"""

from django.conf import settings
from django.http import Http404, HttpRequest

from incidents.models import Incident
from public import banner, card, feeds, pages, service_page, statuspage
from public.cache import API, BANNER, FEED, PAGE, STATE, Document, Policy, make_key

# Social cards: networks fetch them once per share; drawn lazily (never in a publish's path),
# kept until the next change makes them stale.
CARD = Policy(max_age=300, stale_while_revalidate=3600, ttl=24 * 3600, cors=True)

# What a publish re-renders at once (the rest of the API waits for its first reader).
STATUSPAGE_WARM = ("summary", "status", "unresolved")


def index(language: str) -> Document:
    return Document(make_key("index", language), lambda: pages.render_index(language), PAGE)


def incident_page(slug: str, language: str) -> Document:
    """The incident's page at /<language>/incidents/<slug>/ (in the content's language when
    that version does not exist: pages.render_incident_page)."""
    return Document(
        make_key("page", slug, language),
        lambda: pages.render_incident_page(slug, language),
        PAGE,
    )


def service(slug: str, language: str) -> Document:
    """A service's "is it down?" page in one language. Its report chart changes without a
    signal: the policy's time-to-live bounds how old its figures get."""
    return Document(
        make_key("service", slug, language),
        lambda: service_page.render_service_page(slug, language),
        PAGE,
    )


def incident_state(slug: str) -> Document:
    """What the open page polls every 30 s: a few bytes, and a 304 while nothing changed."""
    return Document(make_key("state", slug), lambda: pages.render_state(slug), STATE)


def feed(
    kind: str, request: HttpRequest, language: str, services: tuple[str, ...] = ()
) -> Document:
    """The site-wide feed in one language; `kind` is "atom" or "rss"; `services` (parsed by
    banner.parse_services) narrows it to the incidents affecting them."""
    if kind not in feeds.CONTENT_TYPES:
        raise Http404("No such feed")
    return Document(
        make_key("feed", kind, language, _services_key(services)),
        lambda: feeds.render_all(kind, request, language, services),
        FEED,
    )


def incident_feed(slug: str, request: HttpRequest, language: str) -> Document:
    """One incident's feed; `language` "" means the incident's own."""
    return Document(
        make_key("feed-incident", slug, language or "-"),
        lambda: feeds.render_incident(slug, request, language),
        FEED,
    )


def statuspage_document(name: str, language: str = "") -> Document:
    """One of statuspage.DOCUMENTS (summary, status, components, incidents, unresolved);
    `language` "" is the primary one (each update in its own language), else `?lang=`."""
    if name not in statuspage.DOCUMENTS:
        raise Http404("No such document")
    return Document(
        make_key("api", name, language or "-"), lambda: statuspage.build(name, language), API
    )


def _services_key(services: tuple[str, ...]) -> str:
    return ",".join(services) or "*"


def banner_json(services: tuple[str, ...], language: str) -> Document:
    """The banner's data for these services (() means all), already parsed by banner.parse_*."""
    return Document(
        make_key("banner", _services_key(services), language),
        lambda: banner.render_json(services, language),
        BANNER,
    )


def banner_frame(services: tuple[str, ...], language: str) -> Document:
    return Document(
        make_key("banner-frame", _services_key(services), language),
        lambda: banner.render_frame(services, language),
        BANNER,
    )


def changed_with(incident: Incident) -> list[Document]:
    """What readers of this incident ask for right after a publish: its page and state, the
    page of each service it affects and the home page in each language, the banner of each
    service it affects and of every service in each language, and the live API documents."""
    documents = [incident_page(incident.slug, code) for code, _ in settings.LANGUAGES]
    documents.append(incident_state(incident.slug))
    affected = incident.affected_services()
    for language, _ in settings.LANGUAGES:
        documents.extend(service(each.slug, language) for each in affected)
        documents.append(index(language))
    for services in (*[(each.slug,) for each in affected], ()):
        documents.extend(banner_json(services, language) for language, _ in settings.LANGUAGES)
    documents.extend(statuspage_document(name) for name in STATUSPAGE_WARM)
    return documents


def service_card(slug: str, language: str) -> Document:
    """A service page's social card (og:image), in the page's language."""
    return Document(
        make_key("service-card", slug, language),
        lambda: service_page.render_service_card(slug, language),
        CARD,
    )


def incident_card(slug: str) -> Document:
    """The incident's social card (og:image): drawn on the first request after a change."""
    return Document(make_key("card", slug), lambda: card.render_incident_card(slug), CARD)
