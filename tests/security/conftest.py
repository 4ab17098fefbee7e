"""The objects every route needs to get past its lookups, and one client per kind of user."""

from base64 import urlsafe_b64encode
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone

from incidents.models import Component, Incident, IncidentUpdate
from tests.newsroom.conftest import make_evidence

SITE = "http://testserver"  # the Django test client's own origin
EVIL = "https://evil.example"


PUSH_ENDPOINT = "https://push.example.net/send/abc123"


def push_subscription(endpoint: str = PUSH_ENDPOINT) -> dict:
    """A PushSubscription as a browser sends it (an uncompressed P-256 point, a 16-byte secret)."""
    return {
        "endpoint": endpoint,
        "keys": {
            "p256dh": urlsafe_b64encode(b"\x04" + b"k" * 64).decode().rstrip("="),
            "auth": urlsafe_b64encode(b"a" * 16).decode().rstrip("="),
        },
    }


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
    public = Incident.objects.create(
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
    announced = IncidentUpdate.objects.create(
        incident=public,
        status="identified",
        title="Messages are not sent",
        message="Readers report messages stuck on one grey tick.",
        language="en",
        published_at=now - timedelta(minutes=30),
        is_confirmed=True,
        notify=False,
    )

    draft = Incident.objects.create(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=now - timedelta(minutes=20),
        detected_by_detector=True,
        language="en",
    )
    evidence = make_evidence(Source.objects.filter(service=seeded).first())
    faq_prefill(actor=None, incident=draft)
    entry = draft.faq_entries.first()

    comment = Comment.objects.create(
        incident=public,
        name="Camille",
        text="Still nothing here in Lyon since noon.",
        status=Comment.Status.APPROVED,
        address_hash="a" * 64,
        language="en",
    )
    waiting = Subscriber.objects.create(
        channel=Subscriber.Channel.EMAIL,
        email="waiting@example.org",
        service=seeded,
        incident=public,
        language="en",
    )
    pushed = Subscriber.objects.create(
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
    made = {}
    for role, user in users.items():
        client = Client(headers={"Origin": SITE})
        if user is not None:
            client.force_login(user)
        made[role] = client
    made["users"] = users
    return made


def row_counts() -> dict[str, int]:
    """Rows per model: a denied request must leave every table as it was."""
    counts = {}
    for model in apps.get_models():
        if model._meta.label in ("sessions.Session",):
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


@contextmanager
def rolled_back():
    """Run one request inside a savepoint that is rolled back, so each user meets the same
    objects whatever the previous user's request changed."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
