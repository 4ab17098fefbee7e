"""Fixtures for the public pages: published incidents built the way the newsroom publishes them
(an IncidentUpdate, then `update_published` on commit), and a cache emptied for every test."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from incidents.models import Component, Incident
from tests.factories import make_incident
from tests.support.publishing import change_incident, publish_update


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish():
    return publish_update


@pytest.fixture
def change():
    return change_incident


@pytest.fixture
def active_incident(seeded):
    """A public, confirmed, critical outage of WhatsApp's messages and calls in Europe, with two
    published updates."""
    now = timezone.now()
    incident = make_incident(
        service=seeded,
        slug="whatsapp-down-europe",
        title="WhatsApp down in Europe",
        language="en",
        kind=Incident.Kind.REGIONAL,
        status=Incident.Status.IDENTIFIED,
        impact=Incident.Impact.CRITICAL,
        regions=["europe", "FR"],
        is_public=True,
        started_at=now - timedelta(hours=1),
    )
    incident.components.set(
        Component.objects.filter(service=seeded, slug__in=["messages", "calls"])
    )
    publish_update(
        incident,
        title="Messages are not sent",
        message="Readers report messages stuck on one grey tick.",
        status="investigating",
        at=now - timedelta(minutes=50),
        sources_text="Downdetector, reader reports",
    )
    publish_update(
        incident,
        title="WhatsApp confirms the outage",
        message="WhatsApp says a configuration change is being rolled back. See https://faq.whatsapp.com/ for help.",
        status="identified",
        is_confirmed=True,
        advice="Use SMS or Signal meanwhile.",
        at=now - timedelta(minutes=10),
    )
    return incident
