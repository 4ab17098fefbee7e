"""Reads about sources that more than one rule needs: whether a source speaks for a service."""

from incidents.models import Service, Source


def owner_key(owner: str) -> str:
    """Owners are typed by hand ("Meta", "meta "): compare them folded."""
    return (owner or "").strip().casefold()


def source_is_official_for(source: Source, service: Service | None) -> bool:
    """An "official" source counts as official only for a service of the same owner: the
    status page of GitHub is official for GitHub, never for WhatsApp, whatever tier an old row
    carries. A service whose owner is not set cannot be compared, so the tier stands."""
    if source.tier != Source.Tier.OFFICIAL:
        return False
    if service is None or not owner_key(service.owner):
        return True
    return owner_key(source.owner) == owner_key(service.owner)
