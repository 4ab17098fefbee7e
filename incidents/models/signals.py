from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.services import Service


class SignalBucket(models.Model):
    """How many signals (reader reports, reports counted by monitors, posts) a service got in one
    5-minute bucket, overall (component "" and region "") and per component and region."""

    BUCKET_SECONDS = 300

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="signal_buckets"
    )
    bucket_start = models.DateTimeField(_("bucket start"))
    component = models.SlugField(_("component"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    count = models.FloatField(_("count"), default=0)

    class Meta:
        verbose_name = _("signal bucket")
        verbose_name_plural = _("signal buckets")
        ordering = ["service", "bucket_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "bucket_start", "component", "region"],
                name="signalbucket_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["service", "component", "region", "bucket_start"], name="signal_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.bucket_start:%Y-%m-%d %H:%M} {self.count:g}"


class DetectorState(models.Model):
    """The early-detection state of one service, and the episode it belongs to."""

    class Level(models.TextChoices):
        OK = "ok", _("No problem")
        POSSIBLE = "possible", _("Possible problem")
        LIKELY = "likely", _("Problem likely")

    service = models.OneToOneField(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="detector_state"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.OK)
    since = models.DateTimeField(_("since"), null=True, blank=True)
    ratio = models.FloatField(_("volume / baseline"), default=0)
    episode_started_at = models.DateTimeField(_("episode started"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("editors alerted at"), null=True, blank=True)
    suspected_incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("suspected incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("detector state")
        verbose_name_plural = _("detector states")

    def __str__(self) -> str:
        return f"{self.service}: {self.get_level_display()}"
