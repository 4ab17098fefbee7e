"""Fixtures for the comments tests: a public incident with seeded word lists and canned
replies, and a reader form post that looks like a browser's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_incident, make_update


@pytest.fixture
def incident(seeded):
    from incidents.models import Incident

    incident = make_incident(
        service=seeded,
        slug="whatsapp-panne-mondiale",
        title="WhatsApp en panne dans le monde",
        language="fr",
        status=Incident.Status.INVESTIGATING,
        impact=Incident.Impact.MAJOR,
        is_public=True,
        started_at=timezone.now() - timedelta(hours=2),
    )
    make_update(
        incident=incident,
        status=Incident.Status.INVESTIGATING,
        title="Panne confirmée",
        message="Les messages ne partent plus.",
        language="fr",
        published_at=timezone.now() - timedelta(minutes=30),
        notify=False,
    )
    return incident
