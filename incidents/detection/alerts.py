"""Telling the editors that a problem is likely: an email to settings.STAFF_ALERT_EMAILS and a
JSON POST to settings.STAFF_ALERT_WEBHOOK_URL (Slack, Mattermost and most chat tools display
its `text`), each when set. Sent from a task after the detector's transaction committed."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incidents.models import DetectorState, Incident
from outagedesk.audit import audit_record
from outagedesk.lib.fetch import safe_fetch

SENT_MARK_SECONDS = 7 * 24 * 3600


def newsroom_link(incident: Incident) -> str:
    for name, kwargs in (
        ("newsroom:incident", {"slug": incident.slug}),
        ("newsroom:dashboard", {}),
    ):
        try:
            return settings.SITE_URL + reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return f"{settings.SITE_URL}/newsroom/"


def _message(incident: Incident, reason: str) -> tuple[str, str]:
    state = DetectorState.objects.filter(service=incident.service).first()
    ratio = state.ratio if state else 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(service)s: problem likely") % {"service": incident.service.name}
        if reason == "official":
            why = _("An official status page reports a major outage.")
        else:
            why = _("Signals are %(ratio)s times the usual volume for this time.") % {
                "ratio": f"{ratio:g}"
            }
        body = "\n\n".join(
            [
                why,
                _("A suspected incident was opened as a draft; nothing is public yet."),
                _("Verify the evidence and decide: %(link)s") % {"link": newsroom_link(incident)},
            ]
        )
    return subject, body


def staff_alert_send(*, incident_id: int, reason: str) -> dict[str, bool]:
    """Send each configured channel once per incident. A channel already sent is skipped, so a
    task delivered twice does not alert twice; a failed channel is not marked and can retry."""
    incident = Incident.objects.select_related("service").get(pk=incident_id)
    subject, body = _message(incident, reason)
    sent = {"email": False, "webhook": False}
    if settings.STAFF_ALERT_EMAILS:
        key = f"staff-alert:{incident.pk}:{incident.slug}:email"
        if cache.add(key, 1, SENT_MARK_SECONDS):
            try:
                send_mail(
                    f"[{settings.SITE_NAME}] {subject}",
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    list(settings.STAFF_ALERT_EMAILS),
                )
            except Exception:
                cache.delete(key)
                raise
            sent["email"] = True
    if settings.STAFF_ALERT_WEBHOOK_URL:
        key = f"staff-alert:{incident.pk}:{incident.slug}:webhook"
        if cache.add(key, 1, SENT_MARK_SECONDS):
            payload = {
                "event": "detector.likely",
                "text": f"{subject}\n{body}",
                "service": {"slug": incident.service.slug, "name": incident.service.name},
                "incident": {
                    "slug": incident.slug,
                    "title": incident.title,
                    "status": incident.status,
                    "url": newsroom_link(incident),
                },
                "reason": reason,
                "sent_at": timezone.now().isoformat(),
            }
            try:
                safe_fetch(
                    settings.STAFF_ALERT_WEBHOOK_URL,
                    method="POST",
                    json=payload,
                    headers={"Content-Type": "application/json"},
                    max_bytes=100_000,
                    allow_redirects=0,
                )
            except Exception:
                cache.delete(key)
                raise
            sent["webhook"] = True
    if any(sent.values()):
        audit_record(actor=None, action="detector.alert_sent", target=incident, details=sent)
    return sent
