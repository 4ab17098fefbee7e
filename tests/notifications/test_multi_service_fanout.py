"""An outage across several services tells the subscribers of each one, and a reader subscribed
to two of them gets one message per update (one mail per address, one call per webhook URL, one
push per browser), through a real SMTP server and a real HTTP receiver on 127.0.0.1."""

import pytest
from django.utils import timezone

from incidents.models import Incident, Service
from notifications.fanout import fanout_run
from notifications.models import Delivery, Fanout
from notifications.selectors import audience_counts
from notifications.tasks import deliver_batch_task
from tests.factories import make_subscriber
from tests.notifications.receivers import text_part


@pytest.fixture
def instagram(db):
    return Service.objects.create(slug="instagram", name="Instagram")


@pytest.fixture
def telegram(db):
    return Service.objects.create(slug="telegram", name="Telegram")


@pytest.fixture
def across(incident, instagram):
    """The WhatsApp incident also affects Instagram."""
    incident.services.set([incident.service, instagram])
    return incident


def test_each_affected_service_subscriber_gets_one_mail_per_update(
    smtp, service, instagram, telegram, across, make_update, publish
):
    make_subscriber(service, email="both@example.org")
    make_subscriber(instagram, email="both@example.org")
    make_subscriber(instagram, email="insta@example.org", language="fr")
    make_subscriber(service, email="wa@example.org")
    make_subscriber(instagram, email="incident@example.org", incident=across)
    make_subscriber(service, email="incident@example.org", incident=across)
    make_subscriber(telegram, email="telegram@example.org")

    first = make_update()
    publish(first)
    second = make_update(status=Incident.Status.IDENTIFIED, title="Cause found")
    publish(second)

    assert smtp.per_recipient() == {
        "both@example.org": 2,
        "insta@example.org": 2,
        "wa@example.org": 2,
        "incident@example.org": 2,
    }
    assert Delivery.objects.filter(update=first).count() == 4
    # The Instagram-only reader is told why, in their language, about the service they chose,
    # and the subject names it: the outage began with WhatsApp, they follow Instagram.
    (mail, _) = smtp.to("insta@example.org")
    assert "Instagram" in text_part(mail)
    assert mail["Subject"].startswith("[Instagram] ")
    (mail, _) = smtp.to("wa@example.org")
    assert mail["Subject"].startswith("[WhatsApp] ")


def test_the_lowest_subscription_of_an_address_is_the_one_delivered(
    smtp, service, instagram, across, make_update, publish
):
    earlier = make_subscriber(instagram, email="both@example.org")
    make_subscriber(service, email="both@example.org")
    update = make_update()
    publish(update)
    assert list(Delivery.objects.filter(update=update).values_list("subscriber", flat=True)) == [
        earlier.pk
    ]


def test_one_webhook_call_per_url(
    service, instagram, across, make_update, publish, receiver, allow_loopback_fetch
):
    url = receiver.hook_url("blog")
    receiver.default_secret = "shared-secret"
    for subscribed_to in (service, instagram):
        make_subscriber(subscribed_to, channel="webhook", webhook_url=url, secret="shared-secret")
    make_subscriber(
        instagram,
        channel="webhook",
        webhook_url=receiver.hook_url("other"),
        secret="shared-secret",
    )

    publish(make_update())

    assert receiver.per_path() == {"/hook/blog": 1, "/hook/other": 1}
    (call,) = receiver.accepted_for("blog")
    assert [s["slug"] for s in call.payload["services"]] == ["whatsapp", "instagram"]


def test_one_push_per_browser(service, instagram, across, make_update, run_on_commit):
    same = {"endpoint": "https://push.example.org/browser-1", "keys": {}}
    for subscribed_to in (service, instagram):
        make_subscriber(subscribed_to, channel="push", push_subscription=same)
    make_subscriber(
        instagram,
        channel="push",
        push_subscription={"endpoint": "https://push.example.org/browser-2", "keys": {}},
    )
    update = make_update()
    assert fanout_run(update_id=update.pk, enqueue_batch=lambda ids: None) == 2


def test_the_composer_audience_counts_each_address_once(service, instagram, across):
    make_subscriber(service, email="both@example.org")
    make_subscriber(instagram, email="both@example.org")
    make_subscriber(instagram, email="insta@example.org")
    make_subscriber(service, channel="webhook", webhook_url="https://hooks.example.org/a")
    make_subscriber(instagram, channel="webhook", webhook_url="https://hooks.example.org/a")
    counts = audience_counts(across, confirmed_before=timezone.now())
    assert counts == {"email": 2, "push": 0, "webhook": 1}


def test_a_resumed_fanout_never_sends_an_address_twice(
    smtp, service, instagram, across, make_update, settings
):
    """A worker died after the first chunk: the address it served is skipped on resume, even
    if the subscription it served is gone (unsubscribed) and another one of it remains."""
    settings.NOTIFY_FANOUT_CHUNK = 1
    served = make_subscriber(service, email="both@example.org")
    make_subscriber(instagram, email="both@example.org")
    update = make_update()
    Fanout.objects.create(update=update, cursor=served.pk)
    Delivery.objects.create(subscriber=served, update=update, due_at=timezone.now())
    served.is_active = False
    served.save()

    batches: list[list[int]] = []
    fanout_run(update_id=update.pk, enqueue_batch=batches.append)
    for batch in batches:
        deliver_batch_task(batch)

    assert Delivery.objects.filter(update=update).count() == 1
