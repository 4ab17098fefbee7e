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
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from incidents.models import Incident, IncidentUpdate, Service
from incidents.selectors import public as selectors
from incidents.selectors.translations import (
    available_languages,
    choose_language,
    localize,
    localized,
    translations_for,
)
from outagedesk.lib.sanitize import linkify_plain_text
from outagedesk.lib.times import human_datetime
from outagedesk.lib.typography import colon_for
from public.cache import Rendered

CONTENT_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}


def _update_link(update: IncidentUpdate) -> str:
    # The update's page in the language it is shown in (localize sets update.language).
    page = update.incident.get_absolute_url(update.language)
    return f"{settings.SITE_URL}{page}#update-{update.pk}"


def _update_html(update: IncidentUpdate) -> str:
    parts = [f"<p>{linkify_plain_text(update.message)}</p>"]
    if update.advice:
        parts.append(f"<p>{linkify_plain_text(update.advice)}</p>")
    if update.sources_text:
        parts.append(f"<p>{linkify_plain_text(update.sources_text)}</p>")
    if update.next_update_by:
        # The promise this update made, in the feed's language and the one date format.
        when = human_datetime(update.next_update_by, translation.get_language())
        promise = _("Next update by %(time)s UTC") % {"time": when}
        parts.append(f"<p>{linkify_plain_text(promise)}</p>")
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
    """Every update, or with `service_slugs` those of the incidents affecting these services
    (`?service=instagram`): an outage across several services is in each one's feed."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def __init__(self, language: str = "", service_slugs: tuple[str, ...] = ()):
        super().__init__()
        self.language = language or settings.LANGUAGE_CODE
        self.service_slugs = service_slugs

    def title(self) -> str:
        if self.service_slugs:
            names = ", ".join(
                Service.objects.filter(slug__in=self.service_slugs)
                .order_by("name")
                .values_list("name", flat=True)
            )
            if names:
                return _("%(site)s: outage updates about %(services)s") % {
                    "site": settings.SITE_NAME,
                    "services": names,
                }
        return _("%(site)s: outage updates") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return settings.SITE_URL + f"/{self.language}/"

    def description(self) -> str:
        return _("Every update published about an outage, newest first.")

    def _query(self) -> str:
        query = f"?lang={self.language}"
        return query + (f"&service={','.join(self.service_slugs)}" if self.service_slugs else "")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("public:feed-rss") + self._query()

    def items(self) -> list[IncidentUpdate]:
        """The latest updates (of the incidents affecting the feed's services, if any) that
        exist in the feed's language, as their incident's title does, shown in it."""
        updates = selectors.latest_updates(limit=100, service_slugs=self.service_slugs or None)
        versions = translations_for(updates)
        # __init__ always sets a language; the stubs type Feed.language as optional.
        language: str = self.language or settings.LANGUAGE_CODE
        shown = [
            u
            for u in updates
            if language in available_languages(u, versions) and u.incident.title_in(language)
        ]
        return [localize(u, language, versions) for u in shown[:50]]

    def item_categories(self, update: IncidentUpdate) -> list[str]:
        return [update.status, *(s.slug for s in update.incident.affected_services())]

    def item_title(self, update: IncidentUpdate) -> str:
        return f"{update.incident.shown_title}{colon_for(self.language or '')} {update.title}"


class AllIncidentsAtom(AllIncidentsRss):
    feed_type = Atom1Feed
    subtitle = AllIncidentsRss.description

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("public:feed-atom") + self._query()


class IncidentAtom(_UpdateItems, Feed):
    """One incident's updates, in the language chosen like its page's (`language` attribute,
    set by render_incident)."""

    feed_type = Atom1Feed
    language = ""

    def get_object(self, request, slug: str) -> Incident:
        incident = selectors.public_incident_get(slug)
        if incident is None:
            raise Http404("No such public incident")
        return incident

    def title(self, incident: Incident) -> str:
        return incident.shown_title

    def subtitle(self, incident: Incident) -> str:
        return _("Updates about this incident, newest first.")

    def link(self, incident: Incident) -> str:
        return settings.SITE_URL + incident.get_absolute_url(self.language)

    def feed_url(self, incident: Incident) -> str:
        path = reverse("public:incident-feed", args=[incident.slug])
        return settings.SITE_URL + path + f"?lang={self.language}"

    def items(self, incident: Incident) -> list[IncidentUpdate]:
        updates = localized(selectors.public_updates(incident), self.language)
        for update in updates:
            update.incident = incident
        return updates

    def item_title(self, update: IncidentUpdate) -> str:
        return update.title


# Django's Feed view wants the request, but only to complete relative links: every link here is
# absolute (SITE_URL), so the body is the same whoever asks and may be cached for everyone.


def render_all(
    kind: str, request: HttpRequest, language: str, services: tuple[str, ...] = ()
) -> Rendered:
    """The site-wide feed, "atom" or "rss", in `language` (one feed per language: `?lang=`);
    with `services`, only the updates of incidents affecting them."""
    feed = (
        AllIncidentsAtom(language, services)
        if kind == "atom"
        else AllIncidentsRss(language, services)
    )
    with translation.override(language):
        response = feed(request)
    return Rendered(response.content, CONTENT_TYPES[kind], language=language)


def render_incident(slug: str, request: HttpRequest, language: str) -> Rendered:
    """One incident's Atom feed in `language` when every update exists in it, else in the
    content's language (as its page)."""
    incident = selectors.public_incident_get(slug)
    if incident is None:
        raise Http404("No such public incident")
    updates = selectors.public_updates(incident)
    choice = choose_language(
        language or incident.language,
        incident=incident,
        updates=updates,
        translations=translations_for(updates),
    )
    feed = IncidentAtom()
    feed.language = choice.language
    with translation.override(choice.language):
        response = feed(request, slug=slug)
    return Rendered(response.content, CONTENT_TYPES["atom"], language=choice.language)
