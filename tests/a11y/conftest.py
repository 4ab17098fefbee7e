"""Browser fixtures for the accessibility tests: seeded pages, axe-core, and staff logins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Component, Incident
from tests.factories import make_incident
from tests.support.publishing import publish_update


@pytest.fixture
def public_incident(transactional_db, seeded):
    """An ongoing, confirmed outage of WhatsApp messages with two updates and FAQ answers."""
    now = timezone.now()
    incident = make_incident(
        service=seeded,
        slug="whatsapp-down",
        title="WhatsApp down in Europe",
        language="en",
        kind=Incident.Kind.REGIONAL,
        status=Incident.Status.IDENTIFIED,
        impact=Incident.Impact.CRITICAL,
        regions=["europe"],
        is_public=True,
        started_at=now - timedelta(minutes=40),
    )
    incident.components.set(Component.objects.filter(service=seeded, slug__in=["messages"]))
    publish_update(
        incident,
        title="Messages are not sent",
        message="Readers report messages stuck on one grey tick.",
        status="investigating",
        at=now - timedelta(minutes=35),
        sources_text="Downdetector, reader reports",
    )
    publish_update(
        incident,
        title="WhatsApp confirms the outage",
        message=(
            "A configuration change is being rolled back. Details: "
            "https://engineering.example.com/status/2026/whatsapp-messages-delivery-incident-report"
            "-configuration-rollback-in-progress"
        ),
        status="identified",
        is_confirmed=True,
        advice="Use SMS meanwhile.",
        call_to_action="Follow this page for the next update.",
        at=now - timedelta(minutes=10),
    )
    return incident


@pytest.fixture
def reader_comments(public_incident):
    """Two published reader comments (one with an official reply) and two waiting for a
    moderator, one of them a question the canned replies answer."""
    from comments.models import Comment, OfficialReply
    from comments.services import comment_submit

    published = comment_submit(
        incident=public_incident,
        name="Camille",
        email="",
        text="Nothing since noon here in Lyon. Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaargh!",
        address="203.0.113.7",
        fill_seconds=30,
    )
    Comment.objects.filter(pk=published.pk).update(status=Comment.Status.APPROVED)
    answered = comment_submit(
        incident=public_incident,
        name="Sam",
        email="",
        text="Are my messages lost?",
        address="203.0.113.8",
        fill_seconds=30,
    )
    Comment.objects.filter(pk=answered.pk).update(status=Comment.Status.APPROVED)
    OfficialReply.objects.create(comment=answered, text="No: they are sent once it is back.")
    for number, text in enumerate(
        [
            "Will my messages be lost? It has been an hour.",
            "Still down in Paris: https://downdetector.example.com/status/whatsapp/map/france/"
            "paris-ile-de-france-region-outage-reports-last-24-hours",
        ]
    ):
        comment_submit(
            incident=public_incident,
            name=f"Reader {number}",
            email="",
            text=text,
            address=f"198.51.100.{number + 1}",
            fill_seconds=30,
        )
    return public_incident
