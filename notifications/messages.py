"""What a notification says about an update, for every channel: email (text + HTML), the
webhook JSON payload and the push payload. Built once per update and reused for each subscriber
of a batch; the reader-facing words are in the subscriber's language."""

import copy
import json
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from incidents.models import Incident, IncidentUpdate
from incidents.selectors.translations import choose_language, localize, translations_for
from notifications.tokens import absolute, unsubscribe_url
from outagedesk.lib.sanitize import clean_text, safe_url
from outagedesk.lib.typography import french_typography

PUSH_PAYLOAD_MAX_BYTES = 3000  # push services accept about 4 KB once encrypted


def site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


# The statuses a published update can carry, worded for subscribers (own catalog entries, so
# notifications read right in every language whatever other apps translate).
STATUS_LABELS: dict[str, Promise] = {
    Incident.Status.INVESTIGATING: pgettext_lazy("update status", "Investigating"),
    Incident.Status.IDENTIFIED: pgettext_lazy("update status", "Identified"),
    Incident.Status.MONITORING: pgettext_lazy("update status", "Monitoring"),
    Incident.Status.RESOLVED: pgettext_lazy("update status", "Resolved"),
}


def status_label(status: str) -> str:
    """The status in the active language."""
    if status in STATUS_LABELS:
        return str(STATUS_LABELS[status])
    try:
        return str(Incident.Status(status).label)
    except ValueError:
        return status


def local_datetime(value) -> str:
    """A date and time readers of the active language read naturally, with the zone named."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


@dataclass
class UpdateMessage:
    update: IncidentUpdate

    @cached_property
    def incident(self) -> Incident:
        return self.update.incident

    @cached_property
    def service(self):
        return self.incident.service

    @cached_property
    def incident_url(self) -> str:
        return absolute(self.incident.get_absolute_url())

    # --- languages: a subscriber reads the update in their language when it has that version,
    # else wholly in the update's own language (labels included): never a mix.

    @cached_property
    def translations(self) -> dict:
        return translations_for([self.update]).get(self.update.pk, {})

    def language_for(self, subscriber) -> str:
        """The subscriber's language when the update and the incident's title exist in it,
        else the content's: the pages' rule (choose_language), applied to this one update."""
        return choose_language(
            subscriber.language,
            incident=self.incident,
            updates=[self.update],
            translations={self.update.pk: self.translations},
        ).language

    def version(self, language: str) -> IncidentUpdate:
        """The update showing its text in `language` (a copy: the shared update stays as is)."""
        if language == self.update.language:
            return self.update
        return localize(copy.copy(self.update), language, {self.update.pk: self.translations})

    def page_url(self, language: str) -> str:
        return absolute(self.incident.get_absolute_url(language))

    @cached_property
    def sources(self) -> list[dict[str, str]]:
        """The sources the update rests on: the editor's line, then each cited evidence."""
        sources = []
        if self.update.sources_text:
            sources.append({"label": self.update.sources_text, "url": ""})
        for evidence in self.update.evidence.select_related("source").order_by("observed_at"):
            label = clean_text(evidence.source.name, max_length=120, multiline=False)
            sources.append({"label": label, "url": safe_url(evidence.url)})
        return sources

    @cached_property
    def affected(self) -> list:
        return self.incident.affected_services()

    def service_for(self, subscriber):
        """The service the subscriber follows when the incident affects it (an Instagram
        subscriber reads "[Instagram]" about an outage that began with WhatsApp), else the
        incident's primary service."""
        followed = subscriber.service_id
        return next((s for s in self.affected if s.pk == followed), self.service)

    def summary_line(self, language: str, service=None) -> str:
        """One line in `language`, which must be a language the update exists in."""
        named = service or self.service
        with translation.override(language):
            title = self.version(language).title
            line = f"[{named.name}] {status_label(self.update.status)}: {title}"
        return french_typography(line) if language.startswith("fr") else line

    # --- email -------------------------------------------------------------------------------

    def email_context(self, subscriber, delivery_id: int | None) -> dict:
        language = self.language_for(subscriber)
        with translation.override(language):
            if subscriber.incident_id:
                why = _(
                    "You receive this email because you subscribed to updates about this "
                    "incident on %(site)s."
                ) % {"site": settings.SITE_NAME}
            else:
                why = _(
                    "You receive this email because you subscribed to updates about "
                    "%(service)s on %(site)s."
                ) % {"service": subscriber.service.name, "site": settings.SITE_NAME}
            return {
                "update": self.version(language),
                "incident": self.incident,
                "service": self.service_for(subscriber),
                "status_label": status_label(self.update.status),
                "published_at": local_datetime(self.update.published_at),
                "sources": self.sources,
                "incident_url": self.page_url(language),
                "unsubscribe_url": unsubscribe_url(subscriber, self.update.pk),
                "why": why,
                "language": language,
                "SITE_NAME": settings.SITE_NAME,
                "delivery_id": delivery_id,
            }

    # --- webhook -----------------------------------------------------------------------------

    def webhook_payload(self, subscriber, *, delivery_id: int, timestamp: int) -> dict:
        update, incident = self.update, self.incident
        language = self.language_for(subscriber)
        named = self.service_for(subscriber)
        summary = f"{self.summary_line(language, named)} {self.page_url(language)}"
        return {
            "event": "incident.update",
            "delivery_id": delivery_id,
            "timestamp": timestamp,
            # Chat tools read one of these two fields (Slack: text, Discord: content).
            "text": summary,
            "content": summary[:2000],
            "service": {"slug": self.service.slug, "name": self.service.name},
            # Every service the incident affects, the primary first (an additive field).
            "services": [
                {"slug": service.slug, "name": service.name}
                for service in self.incident.affected_services()
            ],
            "incident": {
                "slug": incident.slug,
                "title": incident.title,
                "url": self.incident_url,
                "status": incident.status,
                "impact": incident.impact,
                "kind": incident.kind,
                "started_at": _iso(incident.started_at),
                "resolved_at": _iso(incident.resolved_at),
            },
            "update": {
                "id": update.pk,
                "status": update.status,
                "title": update.title,
                "message": update.message,
                "advice": update.advice,
                "call_to_action": update.call_to_action,
                "sources": self.sources,
                "language": update.language,
                "published_at": _iso(update.published_at),
                "is_confirmed": update.is_confirmed,
                "corrects": update.corrects_id,
            },
            # The same update in the other languages it exists in, keyed by language code.
            "translations": {
                code: {
                    "title": version.title,
                    "message": version.message,
                    "advice": version.advice,
                    "call_to_action": version.call_to_action,
                    "url": self.page_url(code),
                }
                for code, version in sorted(self.translations.items())
            },
            "unsubscribe_url": unsubscribe_url(subscriber, update.pk),
        }

    # --- web push ----------------------------------------------------------------------------

    def push_payload(self, subscriber) -> bytes:
        language = self.language_for(subscriber)
        shown = self.version(language)
        with translation.override(language):
            title = f"{self.service_for(subscriber).name}: {status_label(self.update.status)}"
        if language.startswith("fr"):
            title = french_typography(title)
        body = shown.title
        message = clean_text(shown.message, max_length=240, multiline=False)
        payload = {
            "title": title,
            "body": f"{body}\n{message}" if message else body,
            "url": self.page_url(language),
            "tag": f"incident-{self.incident.slug}",
            "lang": language,
            "timestamp": int(self.update.published_at.timestamp() * 1000),
        }
        data = json.dumps(payload, ensure_ascii=False).encode()
        if len(data) > PUSH_PAYLOAD_MAX_BYTES:
            payload["body"] = body[:200]
            data = json.dumps(payload, ensure_ascii=False).encode()
        return data


_ONE_LINE = re.compile(r"[ \t\r\n]+")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def render_email_parts(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of notifications/email/<template>_{subject.txt,.txt,.html}."""
    with translation.override(language):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    # One line, without folding the no-break spaces of French typography into plain ones.
    return _ONE_LINE.sub(" ", subject).strip()[:200], text, html
