"""Renderer of the Atom and RSS feeds: one entry per published update, site-wide and per
incident. A renderer of the public pipeline (here ← public/documents.py).

Entry links point at the update on the incident page (`#update-<id>`), so each entry has its own
link and id. Descriptions are HTML (feed readers render them): the update's text is escaped
first and only http(s) links are added, so a title or message holding markup stays text.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from incidents.models import Incident, IncidentUpdate
from incidents.selectors import public as selectors
from outagedesk.lib.sanitize import linkify_plain_text
from public.cache import Rendered

CONTENT_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}


def _update_link(update: IncidentUpdate) -> str:
    return f"{settings.SITE_URL}{update.incident.get_absolute_url()}#update-{update.pk}"


def _update_html(update: IncidentUpdate) -> str:
    parts = [f"<p>{linkify_plain_text(update.message)}</p>"]
    if update.advice:
        parts.append(f"<p>{linkify_plain_text(update.advice)}</p>")
    if update.sources_text:
        parts.append(f"<p>{linkify_plain_text(update.sources_text)}</p>")
    return "".join(parts)


class _UpdateItems:
    def item_link(self, update: IncidentUpdate) -> str:
        return _update_link(update)

    def item_guid(self, update: IncidentUpdate) -> str:
        return _update_link(update)

    def item_description(self, update: IncidentUpdate) -> str:
        return _update_html(update)

    def item_pubdate(self, update: IncidentUpdate):
        return update.published_at

    def item_updateddate(self, update: IncidentUpdate):
        return update.published_at

    def item_categories(self, update: IncidentUpdate) -> list[str]:
        return [update.status]

    def item_author_name(self, update: IncidentUpdate) -> str:
        return settings.SITE_NAME


class AllIncidentsRss(_UpdateItems, Feed):
    feed_type = Rss201rev2Feed

    def title(self) -> str:
        return _("%(site)s: outage updates") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return settings.SITE_URL + reverse("public_pages:index")

    def description(self) -> str:
        return _("Every update published about an outage, newest first.")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("public:feed-rss")

    def items(self) -> list[IncidentUpdate]:
        return selectors.latest_updates(limit=50)

    def item_title(self, update: IncidentUpdate) -> str:
        return f"{update.incident.title}: {update.title}"


class AllIncidentsAtom(AllIncidentsRss):
    feed_type = Atom1Feed
    subtitle = AllIncidentsRss.description

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("public:feed-atom")


class IncidentAtom(_UpdateItems, Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str) -> Incident:
        incident = selectors.public_incident_get(slug)
        if incident is None:
            raise Http404("No such public incident")
        return incident

    def title(self, incident: Incident) -> str:
        return incident.title

    def subtitle(self, incident: Incident) -> str:
        return _("Updates about this incident, newest first.")

    def link(self, incident: Incident) -> str:
        return settings.SITE_URL + incident.get_absolute_url()

    def feed_url(self, incident: Incident) -> str:
        return settings.SITE_URL + reverse("public:incident-feed", args=[incident.slug])

    def items(self, incident: Incident) -> list[IncidentUpdate]:
        updates = selectors.public_updates(incident)
        for update in updates:
            update.incident = incident
        return updates

    def item_title(self, update: IncidentUpdate) -> str:
        return update.title


# Django's Feed view wants the request, but only to complete relative links: every link here is
# absolute (SITE_URL), so the body is the same whoever asks and may be cached for everyone.


def render_all(kind: str, request: HttpRequest) -> Rendered:
    """The site-wide feed, "atom" or "rss", in the site's language."""
    feed = AllIncidentsAtom() if kind == "atom" else AllIncidentsRss()
    with translation.override(settings.LANGUAGE_CODE):
        response = feed(request)
    return Rendered(response.content, CONTENT_TYPES[kind])


def render_incident(slug: str, request: HttpRequest) -> Rendered:
    """One incident's Atom feed, in the incident's language."""
    incident = selectors.public_incident_get(slug)
    if incident is None:
        raise Http404("No such public incident")
    with translation.override(incident.language):
        response = IncidentAtom()(request, slug=slug)
    return Rendered(response.content, CONTENT_TYPES["atom"])
