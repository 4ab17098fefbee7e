from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponseTemplate(models.Model):
    """An announcement template with placeholders such as {service}, {since} or {sources}."""

    class Tone(models.TextChoices):
        FORMAL = "formal", _("Formal")
        CASUAL = "casual", _("Casual")

    class Purpose(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed outage")
        REPORTED = "reported", _("Reports, not confirmed")
        UPDATE = "update", _("Follow-up")
        RESOLVED = "resolved", _("Resolved")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    advice = models.TextField(_("advice to users"), blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("announcement template")
        verbose_name_plural = _("announcement templates")
        ordering = ["language", "purpose", "tone", "name"]

    # The texts readers see, filled from the incident (`incidents.placeholders`).
    TEXT_FIELDS = ("title", "message", "advice", "call_to_action")

    def __str__(self) -> str:
        return self.name
