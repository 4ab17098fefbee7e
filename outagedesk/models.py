from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object, when. Append-only: save() refuses updates, delete() refuses."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the log still says who acted after the account is deleted.
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class ScheduledJob(models.Model):
    """A periodic job staff can see and change (interval, on/off) in the admin.

    Beat only ticks; the tick enqueues the jobs that are due (outagedesk/scheduling.py).
    """

    name = models.SlugField(_("name"), max_length=80, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    interval_seconds = models.PositiveIntegerField(_("interval (seconds)"), default=60)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next run at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_seconds__gte=5), name="scheduledjob_interval_min"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LoginThrottle(models.Model):
    """Failed logins from one address: for one account (`username` set), or for every account
    together (`username` blank). Rows are the lock state admins see; outagedesk/login_policy.py
    is the one place that writes them."""

    username = models.CharField(_("account"), max_length=150, blank=True)
    # In clear while the row lives, so staff can act on it (block it upstream); the row is
    # deleted once the address has been quiet, and the audit log keeps only its hash.
    address = models.CharField(_("address"), max_length=64)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure at"))
    last_failure_at = models.DateTimeField(_("last failure at"), db_index=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        ordering = ["-last_failure_at"]
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="loginthrottle_once")
        ]

    def __str__(self) -> str:
        # Copied into the append-only audit log: no address here.
        return f"login throttle #{self.pk} ({self.username or '*'})"
