"""Newsroom fixtures: a suspected incident on the seeded WhatsApp service and evidence from
sources with known owners and tiers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident, Source
from tests.factories import make_incident


@pytest.fixture
def incident(seeded):
    """A detector draft: suspected, not public, started 20 minutes ago."""
    return make_incident(
        seeded,
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
