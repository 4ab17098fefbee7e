"""The objects every route needs to get past its lookups, and one client per kind of user."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from incidents.models import Component, Incident
from tests.factories import make_comment, make_evidence, make_incident, make_subscriber, make_update
from tests.support.access import SITE, push_subscription


@pytest.fixture
def world(seeded, settings):
    """A public incident with updates, a reader comment, a subscriber waiting for confirmation
    and a push subscriber (reader pages), and a suspected draft with evidence and FAQ entries
    (newsroom). `params` fills URL converters, looked up as "route-name.param", then
    "namespace.param", then "param"."""
    from comments.models import CannedReply, Comment
    from incidents.models import Source
    from incidents.services.faq import faq_prefill
    from notifications.models import Subscriber
    from notifications.tokens import confirm_token, unsubscribe_token

    # Push is on when the site has VAPID keys; only their presence matters before sending.
    settings.VAPID_PUBLIC_KEY = "test-public-key"
    settings.VAPID_PRIVATE_KEY = "test-private-key"

    now = timezone.now()
    public = make_incident(
        service=seeded,
        slug="whatsapp-down-europe",
        title="WhatsApp down in Europe",
        language="en",
        kind=Incident.Kind.REGIONAL,
        status=Incident.Status.IDENTIFIED,
        impact=Incident.Impact.MAJOR,
        regions=["europe"],
        is_public=True,
        started_at=now - timedelta(hours=1),
    )
    public.components.set(Component.objects.filter(service=seeded, slug="messages"))
    # Stored directly: publishing would warm every public cache entry, cleared before each
    # request here anyway.
    announced = make_update(
        incident=public,
        status="identified",
        title="Messages are not sent",
        message="Readers report messages stuck on one grey tick.",
        language="en",
        published_at=now - timedelta(minutes=30),
        is_confirmed=True,
        notify=False,
    )

    draft = make_incident(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=now - timedelta(minutes=20),
        detected_by_detector=True,
        language="en",
    )
    source = Source.objects.filter(service=seeded).first()
    assert source is not None
    evidence = make_evidence(source)
    faq_prefill(actor=None, incident=draft)
    entry = draft.faq_entries.first()

    comment = make_comment(
        incident=public,
        name="Camille",
        text="Still nothing here in Lyon since noon.",
        status=Comment.Status.APPROVED,
        address_hash="a" * 64,
        language="en",
    )
    waiting = make_subscriber(
        confirmed=False,
        channel=Subscriber.Channel.EMAIL,
        email="waiting@example.org",
        service=seeded,
        incident=public,
        language="en",
    )
    pushed = make_subscriber(
        channel=Subscriber.Channel.PUSH,
        push_subscription=push_subscription(),
        service=seeded,
        language="en",
        confirmed_at=now,
    )

    params = {
        "slug": public.slug,
        "service_slug": seeded.slug,
        "newsroom.pk": draft.pk,
        "newsroom.evidence_pk": evidence.pk,
        "newsroom.entry_pk": entry.pk,
        "newsroom.service_pk": seeded.pk,
        "newsroom.source_pk": evidence.source_id,
        # Adding the other language's version: a published update of the public incident.
        "newsroom:translation_add.pk": public.pk,
        "newsroom:translation_add.original_pk": announced.pk,
        "comments.pk": comment.pk,
        "comments:canned_edit.pk": CannedReply.objects.first().pk,
        # Slow mode is switched per incident: its pk is the incident's, not a comment's.
        "comments:slow_mode.pk": public.pk,
        "comments_public.pk": comment.pk,
        "notifications:confirm.token": confirm_token(waiting),
        "notifications:unsubscribe.token": unsubscribe_token(pushed),
    }
    return {
        "service": seeded,
        "public": public,
        "draft": draft,
        "evidence": evidence,
        "comment": comment,
        "waiting": waiting,
        "pushed": pushed,
        "params": params,
    }


@pytest.fixture
def clients(reader_user, moderator, editor, admin_user):
    """One client per kind of user; each sends this site's Origin, as a browser on our pages
    would (the reader forms check it)."""
    users = {
        "anonymous": None,
        "reader": reader_user,
        "moderator": moderator,
        "editor": editor,
        "admin": admin_user,
    }
    made: dict[str, Any] = {}
    for role, user in users.items():
        client = Client(headers={"Origin": SITE})
        if user is not None:
            client.force_login(user)
        made[role] = client
    made["users"] = users
    return made
