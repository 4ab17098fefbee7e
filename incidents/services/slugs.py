"""Incident addresses: `<service>-<short title>-<date>`, e.g. `whatsapp-messages-not-delivered-2026-11-30`.

An address is what readers share, so it must read well and never lie: it never carries the
detector's wording ("suspected", "detected automatically"), never repeats the service name, and
once the incident is public it never changes. Until then it follows the title; every address
the incident had is kept as an alias that redirects (see `IncidentSlugAlias`).
"""

from datetime import datetime

from django.utils import timezone
from django.utils.text import slugify

from incidents.models import Incident, IncidentSlugAlias, Service

# Words of the detector's draft titles, in both languages: a draft's title says how it was
# found, the address must only say what is affected.
DRAFT_WORDS = frozenset(
    {
        "suspected",
        "suspecte",
        "suspect",
        "draft",
        "brouillon",
        "detected",
        "automatically",
        "detecte",
        "automatiquement",
    }
)
# Small words of both languages, dropped as address-makers usually do: they carry no meaning once
# the punctuation is gone, and dropping them keeps the six words for what matters.
STOP_WORDS = frozenset(
    ("a", "an", "and", "the", "of", "on", "in", "at", "to", "for", "is", "are", "be", "by",
     "with", "from", "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "en",
     "sur", "au", "aux", "est", "sont", "pour", "par", "avec", "chez")
)  # fmt: skip
MAX_TITLE_WORDS = 6
MAX_TITLE_CHARS = 60


def _service_words(service: Service) -> set[str]:
    return set(service.slug.split("-")) | set(slugify(service.name).split("-"))


def slug_title_part(*, service: Service, title: str) -> str:
    """The short title of an address: the title's words less the service's name, the
    detector's wording and the small words, at most six words."""
    skip = _service_words(service) | DRAFT_WORDS | STOP_WORDS
    words = [word for word in slugify(title).split("-") if word and word not in skip]
    return "-".join(words[:MAX_TITLE_WORDS])[:MAX_TITLE_CHARS].strip("-")


def _taken(slug: str, exclude_pk: int | None) -> bool:
    incidents = Incident.objects.filter(slug=slug)
    if exclude_pk is not None:
        incidents = incidents.exclude(pk=exclude_pk)
    aliases = IncidentSlugAlias.objects.filter(slug=slug)
    if exclude_pk is not None:
        aliases = aliases.exclude(incident_id=exclude_pk)
    return incidents.exists() or aliases.exists()


def incident_slug(
    *, service: Service, title: str, when: datetime, exclude_pk: int | None = None
) -> str:
    """A free address for an incident of `service` titled `title` that started `when`."""
    parts = [service.slug, slug_title_part(service=service, title=title)]
    parts.append(f"{timezone.localtime(when):%Y-%m-%d}")
    base = "-".join(part for part in parts if part)
    slug, counter = base, 2
    while _taken(slug, exclude_pk):
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def incident_slug_follow_title(incident: Incident) -> None:
    """Before the first publication the address follows the title; the old one becomes an
    alias. Call with the new title set, before saving. A public incident keeps its address."""
    if incident.is_public:
        return
    when = incident.started_at or incident.created_at or timezone.now()
    slug = incident_slug(
        service=incident.service, title=incident.title, when=when, exclude_pk=incident.pk
    )
    if slug == incident.slug:
        return
    IncidentSlugAlias.objects.filter(slug=slug).delete()  # the incident takes an old one back
    IncidentSlugAlias.objects.get_or_create(slug=incident.slug, defaults={"incident": incident})
    incident.slug = slug
