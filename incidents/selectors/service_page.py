"""What readers may see of one service on its "is it down?" page: the service itself (tracked
ones only), its service-wide FAQ in one language, and when anything on the page last changed.

The incidents, updates and component states come from incidents.selectors.public, the signal
series from incidents.selectors.signals: this module only adds what is per service."""

from datetime import datetime

from django.db.models import Max, Prefetch

from incidents.models import Component, FAQEntry, IncidentUpdate, Service
from incidents.selectors.public import PUBLIC_STATUSES, public_incidents


def public_service_get(slug: str) -> Service | None:
    """A tracked service with its components in order; an archived (untracked) one is None,
    exactly like an unknown slug."""
    return (
        Service.objects.filter(slug=slug, is_active=True)
        .prefetch_related(Prefetch("components", queryset=Component.objects.order_by("position")))
        .first()
    )


def service_faq(service: Service, language: str) -> list[FAQEntry]:
    """The service-wide questions (no incident) that are published and answered, in `language`
    only: a page never mixes two languages."""
    return list(
        FAQEntry.objects.filter(
            service=service, incident=None, is_published=True, language=language
        )
        .exclude(answer="")
        .order_by("position", "id")
    )


def service_last_changed(service: Service) -> datetime | None:
    """When the service's public incidents, their updates or its FAQ last changed."""
    incidents = public_incidents().filter(service=service).aggregate(m=Max("updated_at"))["m"]
    updates = IncidentUpdate.objects.filter(
        incident__service=service,
        incident__is_public=True,
        incident__status__in=PUBLIC_STATUSES,
        status__in=PUBLIC_STATUSES,
    ).aggregate(m=Max("published_at"))["m"]
    faq = FAQEntry.objects.filter(service=service, incident=None).aggregate(m=Max("updated_at"))[
        "m"
    ]
    moments = [m for m in (incidents, updates, faq) if m]
    return max(moments) if moments else None
