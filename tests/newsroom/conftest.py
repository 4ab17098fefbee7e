"""Newsroom fixtures: a suspected incident on the seeded WhatsApp service and evidence from
sources with known owners and tiers."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from incidents.models import Evidence, Incident, Source

_keys = count(1)


def make_source(service, name: str, *, owner: str, tier: str, kind: str = "mastodon") -> Source:
    return Source.objects.create(service=service, name=name, owner=owner, tier=tier, kind=kind)


def make_evidence(
    source: Source, *, text: str = "WhatsApp is down for me", minutes_ago: int = 5, **extra
):
    return Evidence.objects.create(
        source=source,
        service=source.service,
        text=text,
        observed_at=timezone.now() - timedelta(minutes=minutes_ago),
        dedup_key=f"k{next(_keys)}",
        **extra,
    )


@pytest.fixture
def incident(seeded):
    """A detector draft: suspected, not public, started 20 minutes ago."""
    return Incident.objects.create(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=timezone.now() - timedelta(minutes=20),
        detected_by_detector=True,
        language="fr",
    )


@pytest.fixture
def sources(seeded):
    """Sources by name from the seed: the status page (official, meta), report counts
    (monitor, downdetector), Mastodon and Bluesky (community), Reader reports."""
    return {source.name: source for source in Source.objects.filter(service=seeded)}


@pytest.fixture
def downdetector(sources):
    return sources["Downdetector-style report counts"]


@pytest.fixture
def mastodon(sources):
    return sources["Mastodon #WhatsappDown"]


@pytest.fixture
def status_page(sources):
    return sources["WhatsApp status page (summary)"]
