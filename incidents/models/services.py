from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """A tracked service (WhatsApp) with its official links and recommended alternatives."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    # The company behind the service ("meta"): only its own sources can be official for it.
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    # Where readers use it, as editors name them ("world", "France"…), offered in forms.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    help_url = models.URLField(_("help centre"), blank=True)
    official_account_url = models.URLField(_("official account"), blank=True)
    status_page_url = models.URLField(_("status page"), blank=True)
    # [{"name": "Telegram", "url": "...", "note_en": "...", "note_fr": "..."}]
    alternatives = models.JSONField(_("alternatives"), default=list, blank=True)
    is_active = models.BooleanField(_("tracked"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def official_links(self) -> list[tuple[str, str]]:
        links = [
            (_("Help centre"), self.help_url),
            (_("Official account"), self.official_account_url),
            (_("Status page"), self.status_page_url),
        ]
        return [(str(label), url) for label, url in links if url]


class Component(models.Model):
    """A part of a service readers notice failing: messages, calls, media, web…"""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="components"
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    # Words in French and English that point to this component in a post ("appels", "calls").
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["service", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["service", "slug"], name="component_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.service.name} – {self.name}"

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en
