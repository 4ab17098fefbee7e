"""A webhook's owner email is confirmed (double opt-in) before anything is sent: the webhook
receives nothing until then, and no mail carries text the requester chose. Found in review: a
reader could make the site mail any address a message containing an attacker-chosen URL (the
disabling notice after a 410 from the attacker's own endpoint)."""

import re

import pytest

from notifications.models import Delivery, Subscriber
from notifications.services import subscriber_disable
from outagedesk.models import AuditEvent
from tests.factories import make_subscriber
from tests.notifications.receivers import html_part, text_part

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
LINK = re.compile(r"http://\S+/subscribe/confirm/[^/\s]+/")
VICTIM = "victim@example.org"
LURE = "Your-account-is-suspended-verify-at-https://evil.example"


@pytest.fixture
def create_webhook(client, django_capture_on_commit_callbacks):
    def post(url, email=VICTIM, **fields):
        data = {"channel": "webhook", "url": url, "email": email, "service": "whatsapp"}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/subscribe/", {**data, **fields}, **ORIGIN)

    return post


def whole_mail(message) -> str:
    return "\n".join([message["Subject"], text_part(message), html_part(message)])


def confirm_path(message) -> str:
    return LINK.search(text_part(message)).group(0).replace("http://127.0.0.1:8000", "")


def test_the_owner_gets_a_confirmation_that_carries_none_of_the_requesters_text(
    smtp, create_webhook, service
):
    lure_url = f"https://hooks.example.net/{LURE.split('-at-')[0]}#{LURE}"
    response = create_webhook(lure_url, language="en")
    assert response.status_code == 201
    assert b"receives nothing" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and subscriber.email == VICTIM

    (message,) = smtp.to(VICTIM)
    assert message["Subject"] == "Confirm the webhook for WhatsApp updates"
    mail = whole_mail(message)
    assert LINK.search(text_part(message)) and LINK.search(html_part(message))
    for chosen in ("hooks.example.net", "suspended", "evil.example", lure_url):
        assert chosen not in mail
    assert "If it was not you, ignore this email" in mail
    event = AuditEvent.objects.get(action="subscriber.create")
    assert VICTIM not in str(event.details)


def test_the_owner_email_is_required(create_webhook, service):
    response = create_webhook("https://hooks.example.org/x", email="")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_an_unconfirmed_webhook_receives_nothing_and_a_410_mails_no_one(
    smtp, create_webhook, receiver, allow_loopback_fetch, make_update, publish
):
    receiver.statuses["evil"] = [410]
    create_webhook(receiver.hook_url("evil") + "#" + LURE)
    publish(make_update())

    assert receiver.count() == 0 and not receiver.refused
    assert not Delivery.objects.exists()
    subscriber = Subscriber.objects.get()
    assert subscriber.is_active and not subscriber.disabled_reason
    (only_the_confirmation,) = smtp.to(VICTIM)
    assert "Confirm the webhook" in only_the_confirmation["Subject"]


def test_disabling_an_unconfirmed_webhook_never_mails_its_owner(smtp, service, run_on_commit):
    subscriber = make_subscriber(
        service,
        channel="webhook",
        confirmed=False,
        webhook_url=f"https://hooks.example.net/#{LURE}",
        email=VICTIM,
        secret="s",
    )
    assert run_on_commit(subscriber_disable, subscriber_id=subscriber.pk, reason="HTTP 410")
    assert smtp.to(VICTIM) == []
    assert AuditEvent.objects.filter(action="subscriber.disable").count() == 1


def test_once_the_owner_confirms_the_webhook_gets_the_updates(
    smtp, create_webhook, client, receiver, allow_loopback_fetch, make_update, publish
):
    create_webhook(receiver.hook_url("blog"))
    subscriber = Subscriber.objects.get()
    receiver.secrets["blog"] = subscriber.secret
    link = confirm_path(smtp.to(VICTIM)[0])

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm the webhook" in page.content
    assert receiver.hook_url("blog").encode() in page.content  # on our page, escaped
    assert Subscriber.objects.get().confirmed_at is None  # opening the link is not confirming

    done = client.post(link, **ORIGIN)
    assert done.status_code == 200
    assert b"The webhook is confirmed" in done.content
    assert Subscriber.objects.get().confirmed_at is not None

    publish(make_update())
    (request,) = receiver.accepted_for("blog")
    assert receiver.bad_signatures == 0
    assert request.payload["update"]["title"] == "Messages are not delivered"


def test_a_confirmed_owner_is_told_when_the_webhook_is_disabled(
    smtp, create_webhook, client, receiver, allow_loopback_fetch, make_update, publish
):
    create_webhook(receiver.hook_url("blog"))
    receiver.secrets["blog"] = Subscriber.objects.get().secret
    client.post(confirm_path(smtp.to(VICTIM)[0]), **ORIGIN)
    receiver.statuses["blog"] = [410]
    publish(make_update())

    confirmation, notice = smtp.to(VICTIM)
    assert "webhook was disabled" in notice["Subject"]
    assert receiver.hook_url("blog") in text_part(notice)  # the owner's own words, now verified


def test_the_owner_address_cannot_be_mail_bombed_through_the_webhook_form(
    smtp, create_webhook, service, settings
):
    settings.NOTIFY_SUBSCRIBE_PER_EMAIL = 2
    settings.NOTIFY_SUBSCRIBE_PER_ADDRESS = 100
    statuses = [create_webhook(f"https://hooks.example.org/{n}").status_code for n in range(4)]
    assert statuses == [201, 201, 429, 429]
    assert len(smtp.to(VICTIM)) == 2


def test_unconfirmed_webhooks_are_purged_once_their_link_expired(create_webhook, service):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import subscribers_purge_unconfirmed

    create_webhook("https://hooks.example.org/x")
    assert subscribers_purge_unconfirmed() == 0
    assert subscribers_purge_unconfirmed(now=timezone.now() + timedelta(days=4)) == 1
    assert not Subscriber.objects.exists()
