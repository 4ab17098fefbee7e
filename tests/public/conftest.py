"""Fixtures for the public pages: published incidents built the way the newsroom publishes them
(an IncidentUpdate, then `update_published` on commit), and a cache emptied for every test."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from incidents import events
from incidents.models import Component, Incident, IncidentUpdate


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def publish_update(incident: Incident, *, title: str, message: str = "", at=None, **extra):
    """Publish like the newsroom: the update row, then the signal once the transaction commits.
    (Inside a test's own transaction, the on-commit callbacks run when the block ends.)"""
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        update = IncidentUpdate.objects.create(
            incident=incident,
            status=extra.pop("status", incident.status),
            title=title,
            message=message or title,
            language=incident.language,
            published_at=at or timezone.now(),
            **extra,
        )
        events.send_on_commit(events.update_published, update=update)
    return update


def change_incident(incident: Incident, **fields) -> Incident:
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        for name, value in fields.items():
            setattr(incident, name, value)
        incident.version += 1
        incident.save()
        events.send_on_commit(events.incident_changed, incident=incident)
    return incident


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
    incident = Incident.objects.create(
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
