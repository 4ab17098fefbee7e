from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.services import Service
from incidents.models.sources import Source


class Evidence(models.Model):
    """One observation from a source: a post, a report count, a status, a probe result."""

    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class SignalKind(models.TextChoices):
        POST = "post", _("Post")
        REPORTS = "reports", _("Report count")
        STATUS = "status", _("Official status")
        PROBE = "probe", _("Probe")
        READER = "reader", _("Reader report")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="evidence"
    )
    # Denormalised from source.service: the dashboard filters by service on every refresh.
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="evidence"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    url = models.URLField(_("link"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)  # sanitised plain text, capped by collectors
    author = models.CharField(_("author"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    signal_kind = models.CharField(
        _("signal kind"), max_length=20, choices=SignalKind.choices, default=SignalKind.POST
    )
    signal_value = models.FloatField(_("signal value"), null=True, blank=True)
    status_text = models.CharField(_("status"), max_length=60, blank=True)
    component_hints = models.JSONField(_("component hints"), default=list, blank=True)
    region_hints = models.JSONField(_("region hints"), default=list, blank=True)
    dedup_key = models.CharField(_("dedup key"), max_length=200)
    raw = models.JSONField(_("raw extract"), default=dict, blank=True)
    # False for what editors need not check one by one: a report counter's points (the chart
    # shows them) and its rolling item of a level it has since left (incidents.services.counters).
    in_inbox = models.BooleanField(_("shown in the inbox"), default=True)

    state = models.CharField(
        _("verification"), max_length=20, choices=State.choices, default=State.UNVERIFIED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-observed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "dedup_key"], name="evidence_unique_dedup")
        ]
        indexes = [
            models.Index(fields=["service", "-observed_at"], name="evidence_service_recent"),
            models.Index(fields=["incident", "state", "-observed_at"], name="evidence_inbox"),
            models.Index(fields=["service", "signal_kind", "observed_at"], name="evidence_signal"),
        ]

    def __str__(self) -> str:
        return (self.title or self.text)[:80] or f"{self.source} @ {self.observed_at:%H:%M}"
