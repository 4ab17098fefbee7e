from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    """A reader or a tool subscribed to a service or to one incident, on one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        PUSH = "push", _("Web push")
        WEBHOOK = "webhook", _("Webhook")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    service = models.ForeignKey(
        "incidents.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
        help_text=_("Empty: every incident of the service."),
    )
    email = models.EmailField(_("email"), blank=True)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    push_subscription = models.JSONField(_("push subscription"), default=dict, blank=True)
    secret = models.CharField(_("signing secret"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["service", "is_active", "channel"], name="subscriber_fanout")
        ]

    def __str__(self) -> str:
        return self.email or self.webhook_url or f"push #{self.pk}"


class Delivery(models.Model):
    """One row per (subscriber, update): the unique constraint is what makes sending exactly once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    update = models.ForeignKey(
        "incidents.IncidentUpdate",
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "update"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["update", "state"], name="delivery_progress")]

    def __str__(self) -> str:
        return f"{self.subscriber} ← {self.update_id} ({self.state})"
