import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_subscriber_key() -> str:
    """The random identifier signed into confirmation and unsubscribe links."""
    return secrets.token_urlsafe(24)


def _mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


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
    # Set when the address asks to subscribe, cleared once the double opt-in mail went out (or
    # was given up): a request whose mail could not be enqueued (broker down) is found by the
    # sweep through it.
    confirmation_due_at = models.DateTimeField(
        _("confirmation mail due since"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Signed into every confirmation and unsubscribe link; a new subscription gets a new key,
    # so a link from an old, deleted subscription never acts on a new one.
    key = models.CharField(
        _("link key"), max_length=40, unique=True, default=new_subscriber_key, editable=False
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["service", "is_active", "channel"], name="subscriber_fanout"),
            # The sweep's look-up of owed confirmation mails: a handful among all subscribers.
            models.Index(
                fields=["confirmation_due_at"],
                name="subscriber_confirmation_due",
                condition=models.Q(confirmation_due_at__isnull=False),
            ),
        ]
        # One email subscription per address and scope, so two requests racing each other
        # cannot subscribe an address twice (NULL incident needs its own constraint).
        constraints = [
            models.UniqueConstraint(
                fields=["email", "service"],
                condition=models.Q(channel="email", incident__isnull=True),
                name="subscriber_email_service_once",
            ),
            models.UniqueConstraint(
                fields=["email", "service", "incident"],
                condition=models.Q(channel="email", incident__isnull=False),
                name="subscriber_email_incident_once",
            ),
        ]

    def __str__(self) -> str:
        # Masked: this string is copied into the append-only audit log, which must not keep a
        # reader's address after they unsubscribed.
        if self.channel == self.Channel.EMAIL:
            return f"email #{self.pk} {_mask_email(self.email)}"
        if self.channel == self.Channel.WEBHOOK:
            host = self.webhook_url.split("//", 1)[-1].split("/", 1)[0]
            return f"webhook #{self.pk} {host}"
        return f"push #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def push_endpoint(self) -> str:
        return str(self.push_subscription.get("endpoint", "")) if self.push_subscription else ""


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
    # When the delivery may next be attempted (retries back off by moving it forward).
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    # While `sending`, the claiming worker owns the delivery until then; a worker killed
    # mid-send leaves a lease that expires, and only then may another worker claim it again.
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "update"], name="delivery_once")
        ]
        indexes = [
            models.Index(fields=["update", "state"], name="delivery_progress"),
            models.Index(fields=["state", "due_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} ← {self.update_id} ({self.state})"


class Fanout(models.Model):
    """The progress of one update's fan-out, so a fan-out interrupted by a killed worker is
    resumed from where it stopped (by the sweep job) instead of being lost or restarted."""

    update = models.OneToOneField(
        "incidents.IncidentUpdate",
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        related_name="fanout",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Subscribers are walked in id order; everything up to `cursor` has its Delivery row.
    cursor = models.PositiveBigIntegerField(_("last subscriber done"), default=0)
    deliveries_created = models.PositiveIntegerField(_("deliveries created"), default=0)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fan-out")
        verbose_name_plural = _("fan-outs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"fan-out of update {self.update_id}"
