from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from incidents.models.services import Component, Service


class Incident(models.Model):
    """An outage, from the detector's suspicion to its resolution.

    Status and impact use Atlassian Statuspage's vocabulary so the public API maps one to one.
    """

    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected (draft)")
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    class Impact(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    class Kind(models.TextChoices):
        GLOBAL = "global", _("Global outage")
        REGIONAL = "regional", _("Regional outage")
        FEATURE = "feature", _("Feature affected")
        APP_BUG = "app_bug", _("App bug")

    ACTIVE_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING)

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="incidents"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    # The title in the other languages, {"en": "…"}: written with the updates' translations
    # (incidents.services.translations.incident_title_translate). A page is offered in a
    # language only once its title and every published update exist in it.
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GLOBAL)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUSPECTED
    )
    impact = models.CharField(
        _("impact"), max_length=20, choices=Impact.choices, default=Impact.NONE
    )
    # Every service the incident affects, the primary `service` always among them (kept so by
    # incidents/services/incidents.py): pages, banners, feeds, the API and notifications of each
    # of them show the incident. Detection and evidence stay with the primary service.
    services = models.ManyToManyField(
        Service,
        verbose_name=_("affected services"),
        blank=True,
        related_name="affecting_incidents",
    )
    # Components of any affected service; an affected service none of whose components is named
    # is affected as a whole.
    components = models.ManyToManyField(
        Component, verbose_name=_("affected components"), blank=True, related_name="incidents"
    )
    regions = models.JSONField(_("affected regions"), default=list, blank=True)
    platforms = models.JSONField(_("platforms"), default=list, blank=True)  # app bugs
    app_versions = models.CharField(_("app versions"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=False, db_index=True)
    post_moderation = models.BooleanField(
        _("post-moderate comments"),
        default=False,
        help_text=_("Show comments at once and moderate afterwards."),
    )
    # Set by moderators and editors from the moderation screen (comments.services.admission).
    comment_slow_mode = models.BooleanField(
        _("comment slow mode"),
        default=False,
        help_text=_("Each reader may post one comment per interval; the page takes fewer."),
    )
    detected_by_detector = models.BooleanField(_("raised by the detector"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # Bumped on every save through the service layer: a stale form is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="incident_status_recent"),
            models.Index(fields=["service", "status"], name="incident_service_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True)
                | models.Q(started_at__isnull=True)
                | models.Q(resolved_at__gte=models.F("started_at")),
                name="incident_resolved_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self, language: str | None = None) -> str:
        """The public page in `language` (default: the incident's own): `/fr/incidents/<slug>/`.
        Pages live under a language prefix (outagedesk/urls.py); the unprefixed address
        redirects."""
        code = language if language in dict(settings.LANGUAGES) else self.language
        return f"/{code}/incidents/{self.slug}/"

    def title_in(self, language: str) -> str:
        """The title written in `language`, or "" when there is none."""
        if language == self.language:
            return self.title
        return str((self.title_translations or {}).get(language) or "")

    @property
    def shown_title_language(self) -> str:
        """The language `shown_title` is in: the active one when the title exists in it."""
        active = (get_language() or self.language).split("-")[0]
        return active if self.title_in(active) else self.language

    @property
    def shown_title(self) -> str:
        """The title in the active language (the page's, the feed's, the email's) when it was
        written in it; otherwise the original, on a page whose language is then the original's
        (incidents.selectors.translations.choose_language), or marked with its own `lang` in a
        list of incidents."""
        return self.title_in(self.shown_title_language)

    @property
    def shown_url(self) -> str:
        """The public page in the language `shown_title` is in (for lists of incidents)."""
        return self.get_absolute_url(self.shown_title_language)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def affected_services(self) -> list[Service]:
        """The primary service first, then the others it affects, by name. Reads `services`
        through the prefetch cache when the caller prefetched it."""
        others = [s for s in self.services.all() if s.pk != self.service_id]
        return [self.service, *sorted(others, key=lambda s: (s.name.lower(), s.pk))]


class IncidentSlugAlias(models.Model):
    """An address an incident had before its title changed: readers and feeds that kept it are
    sent to the current one with a permanent redirect, so no shared link ever breaks."""

    slug = models.SlugField(_("previous slug"), max_length=120, unique=True)
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="slug_aliases"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("previous incident address")
        verbose_name_plural = _("previous incident addresses")

    def __str__(self) -> str:
        return self.slug


class IncidentUpdate(models.Model):
    """A published, timestamped announcement. Append-only: corrections are new updates that
    point at the update they correct (`corrects`)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=Incident.Status.choices)
    # The incident's impact when this update was published: a later change of impact is news
    # subscribers hear about by default. Empty on updates from before it was recorded.
    impact = models.CharField(
        _("impact"), max_length=20, choices=Incident.Impact.choices, blank=True, default=""
    )
    is_confirmed = models.BooleanField(
        _("states a confirmed outage"),
        default=False,
        help_text=_("Only when the update rests on enough independent verified evidence."),
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    advice = models.TextField(_("advice to users"), blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=300, blank=True)
    sources_text = models.CharField(_("sources"), max_length=500, blank=True)
    evidence = models.ManyToManyField(
        "incidents.Evidence", verbose_name=_("evidence cited"), blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), db_index=True)
    notify = models.BooleanField(_("notify subscribers"), default=True)
    # The newsroom's promise of when readers hear more; null: no promise (usual on resolution).
    next_update_by = models.DateTimeField(_("next update by"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_note = models.CharField(_("what changed"), max_length=300, blank=True)
    confirmation_override_reason = models.CharField(
        _("confirmation override reason"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["incident", "-published_at"], name="update_timeline")]

    def __str__(self) -> str:
        return f"{self.incident}: {self.title}"


class IncidentUpdateTranslation(models.Model):
    """The same announcement in another language than the update's own. Written through
    incidents.services.translations.update_translation_add (same sanitizing and size caps as
    the original); read through incidents.selectors.translations."""

    update = models.ForeignKey(
        IncidentUpdate,
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    advice = models.TextField(_("advice to users"), blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=300, blank=True)
    # Empty: the original's sources line is shown (source names rarely change with the language).
    sources_text = models.CharField(_("sources"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("update translation")
        verbose_name_plural = _("update translations")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.update_id} [{self.language}]: {self.title}"


class FAQEntry(models.Model):
    """A reader question answered once and shown to all on the incident page."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="faq_entries",
        help_text=_("Empty for the service-wide questions that new incidents start from."),
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="faq_entries"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.question
