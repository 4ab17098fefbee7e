from django.conf import settings
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from incidents.models.services import Service


class Source(models.Model):
    """Where evidence comes from, how often it is polled, how far it is trusted, and its health."""

    class Kind(models.TextChoices):
        STATUSPAGE = "statuspage", _("Status page (Atlassian Statuspage format)")
        FEED = "feed", _("RSS or Atom feed")
        MASTODON = "mastodon", _("Mastodon hashtag timeline")
        BLUESKY = "bluesky", _("Bluesky post search")
        REDDIT = "reddit", _("Reddit listing")
        HN = "hn", _("Hacker News (Algolia)")
        X = "x", _("X/Twitter recent search")
        REPORTS = "reports", _("Report counts (Downdetector-style)")
        PROBE = "probe", _("HTTP and DNS probe")
        READER = "reader", _("Reader reports")

    class Tier(models.TextChoices):
        OFFICIAL = "official", _("Official")
        MONITOR = "monitor", _("Established monitor")
        PRESS = "press", _("Press")
        COMMUNITY = "community", _("Community")
        UNVERIFIED = "unverified", _("Unverified")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(_("name"), max_length=120)
    # How readers see the source named ("Downdetector", "WhatsApp status page"); the internal
    # name stays for editors.
    public_label = models.CharField(_("public label"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    # Who stands behind the source: two items are independent only when owners differ.
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    tier = models.CharField(_("reliability tier"), max_length=20, choices=Tier.choices)
    poll_interval_seconds = models.PositiveIntegerField(_("poll interval (seconds)"), default=120)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    # Kind-specific settings: query, field paths of a report-count endpoint, probe targets…
    config = models.JSONField(_("configuration"), default=dict, blank=True)

    # Conditional requests.
    etag = models.CharField(_("ETag"), max_length=200, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)

    # Health, shown to editors.
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_item_count = models.PositiveIntegerField(_("items in last run"), default=0)
    # Items of the last run not stored, by reason (incidents.collectors.base SKIP_*): a source
    # can be healthy and still drop what it cannot store; editors should see how much.
    last_skipped = models.JSONField(_("items skipped in last run"), default=dict, blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    # Set while a worker gathers, so a second worker picking the same source backs off.
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["service", "tier", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_interval_seconds__gte=10),
                name="source_poll_interval_min",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failing(self) -> bool:
        return self.consecutive_failures > 0

    @property
    def health_summary(self) -> str:
        """The last run in one line: "2 stored, 1 skipped: invalid text"."""
        stored = self.last_item_count
        summary = ngettext("%(count)d stored", "%(count)d stored", stored) % {"count": stored}
        skipped = {
            reason: count
            for reason, count in (self.last_skipped or {}).items()
            if isinstance(count, int) and count > 0
        }
        if not skipped:
            return summary
        total = sum(skipped.values())
        if len(skipped) == 1:
            detail = _skip_reason(next(iter(skipped)))
        else:
            detail = ", ".join(
                gettext("%(count)d %(reason)s") % {"count": count, "reason": _skip_reason(reason)}
                for reason, count in sorted(skipped.items())
            )
        return ngettext(
            "%(stored)s, %(count)d skipped: %(detail)s",
            "%(stored)s, %(count)d skipped: %(detail)s",
            total,
        ) % {"stored": summary, "count": total, "detail": detail}


def _skip_reason(code: str) -> str:
    if code == "invalid_text":
        return gettext("invalid text")
    if code == "over_cap":
        cap = settings.GATHER_MAX_ITEMS_PER_RUN
        return ngettext("over the %(cap)d item per run", "over the %(cap)d items per run", cap) % {
            "cap": cap
        }
    return code
