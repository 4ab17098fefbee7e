"""Webhooks: signed JSON to a real HTTP receiver on 127.0.0.1 that checks every signature."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

import notifications
from incidents.models import IncidentUpdateTranslation
from notifications.channels.webhook import sign
from notifications.models import Delivery, Subscriber
from notifications.tasks import deliver_batch_task
from outagedesk.models import AuditEvent
from tests.factories import make_subscriber
from tests.notifications.receivers import text_part

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def hook(service, receiver, allow_loopback_fetch):
    """A webhook subscription whose secret the receiver knows."""

    def make(name="blog", **fields):
        subscriber = make_subscriber(
            service,
            channel="webhook",
            webhook_url=receiver.hook_url(name),
            secret=f"secret-of-{name}",
            **fields,
        )
        receiver.secrets[name] = subscriber.secret
        return subscriber

    return make


def test_creating_a_webhook_shows_its_secret_once(client, service, receiver):
    response = client.post(
        "/subscribe/",
        {
            "channel": "webhook",
            "url": "https://hooks.example.org/outagedesk",
            "email": "owner@example.org",
            "service": "whatsapp",
            "language": "en",
        },
        **ORIGIN,
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    subscriber = Subscriber.objects.get()
    # Waiting for its owner to confirm (tests/notifications/test_webhook_owner_verification.py).
    assert subscriber.channel == "webhook" and subscriber.confirmed_at is None
    assert len(subscriber.secret) == 64
    assert subscriber.secret.encode() in response.content
    assert b"/unsubscribe/" in response.content
    # Nowhere else: not on the subscribe page, not in the admin form, not in the audit log.
    assert subscriber.secret.encode() not in client.get("/subscribe/?service=whatsapp").content
    event = AuditEvent.objects.get(action="subscriber.create")
    assert subscriber.secret not in str(event.details) + event.object_repr


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "not a url", ""])
def test_a_webhook_url_must_be_http_or_https(client, service, url):
    response = client.post(
        "/subscribe/",
        {"channel": "webhook", "url": url, "service": "whatsapp"},
        **ORIGIN,
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_the_receiver_gets_the_update_signed(hook, receiver, make_update, publish, incident):
    subscriber = hook()
    update = make_update()
    publish(update)

    (request,) = receiver.accepted_for("blog")
    assert receiver.bad_signatures == 0
    assert request.headers["x-outagedesk-signature"] == sign(subscriber.secret, request.body)
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["x-outagedesk-event"] == "incident.update"
    payload = request.payload
    delivery = Delivery.objects.get()
    assert payload["delivery_id"] == delivery.pk == int(request.headers["x-outagedesk-delivery"])
    # The timestamp is in the signed body too, so it cannot be replayed with another one.
    assert payload["timestamp"] == int(request.headers["x-outagedesk-timestamp"])
    assert abs(payload["timestamp"] - timezone.now().timestamp()) < 60
    assert payload["service"] == {"slug": "whatsapp", "name": "WhatsApp"}
    assert payload["incident"]["slug"] == incident.slug
    assert payload["incident"]["url"].endswith(f"/incidents/{incident.slug}/")
    assert payload["update"]["id"] == update.pk
    assert payload["update"]["title"] == "Messages are not delivered"
    assert payload["update"]["status"] == "investigating"
    assert payload["update"]["sources"] == [
        {"label": "Meta status page; 4,000 reports on Downdetector", "url": ""}
    ]
    assert payload["text"].startswith("[WhatsApp] Investigating: Messages are not delivered")
    assert re.search(r"/unsubscribe/[^/]+/$", payload["unsubscribe_url"])
    assert payload["translations"] == {}
    assert (delivery.state, delivery.attempts) == ("sent", 1)


def test_the_payload_carries_the_update_in_every_language_it_exists_in(
    hook, receiver, make_update, publish, incident
):
    hook(language="fr")
    incident.title_translations = {"fr": "Les messages WhatsApp ne sont pas distribués"}
    incident.save()
    update = make_update()
    IncidentUpdateTranslation.objects.create(
        update=update,
        language="fr",
        title="Les messages ne partent plus",
        message="Les messages restent sur une coche grise.",
    )
    publish(update)
    (request,) = receiver.accepted_for("blog")
    payload = request.payload
    # The update itself keeps its own language; the French version rides along.
    assert payload["update"]["language"] == "en"
    assert payload["update"]["title"] == "Messages are not delivered"
    assert payload["translations"]["fr"]["title"] == "Les messages ne partent plus"
    assert payload["translations"]["fr"]["url"].endswith(f"/fr/incidents/{incident.slug}/")
    # The chat line is the subscriber's language, labels and text alike.
    assert payload["text"].startswith(
        "[WhatsApp] Enquête en cours\u00a0: Les messages ne partent plus"
    )


def test_a_receiver_with_another_secret_sees_a_bad_signature(hook, receiver, make_update, publish):
    hook()
    receiver.secrets["blog"] = "not-the-secret"
    publish(make_update())
    assert receiver.bad_signatures == 1
    assert receiver.count() == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, "401" in delivery.last_error) == ("failed", True)


def test_a_server_error_is_retried_with_backoff(
    hook, receiver, make_update, publish, run_on_commit
):
    subscriber = hook()
    receiver.statuses["blog"] = [500, 200]
    publish(make_update())
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "500" in delivery.last_error
    assert delivery.due_at > timezone.now()
    subscriber.refresh_from_db()
    assert subscriber.consecutive_failures == 1

    Delivery.objects.update(due_at=timezone.now())
    run_on_commit(deliver_batch_task, [delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert len(receiver.accepted_for("blog")) == 1
    subscriber.refresh_from_db()
    assert subscriber.consecutive_failures == 0


def test_a_webhook_answering_410_is_disabled_and_its_owner_told(
    smtp, hook, receiver, make_update, publish
):
    subscriber = hook(email="owner@example.org")  # confirmed: the owner opened the link
    receiver.statuses["blog"] = [410]
    publish(make_update())

    subscriber.refresh_from_db()
    assert subscriber.is_active is False
    assert "410" in subscriber.disabled_reason
    assert Delivery.objects.get().state == "failed"
    event = AuditEvent.objects.get(action="subscriber.disable")
    assert "410" in event.details["reason"]
    (notice,) = smtp.to("owner@example.org")
    assert "webhook was disabled" in notice["Subject"]
    assert receiver.hook_url("blog") in text_part(notice)
    assert notice["List-Unsubscribe"]

    # Nothing more is sent to it.
    publish(make_update(title="Second"))
    assert len(receiver.refused) == 1 and receiver.count() == 0


def test_a_webhook_that_keeps_failing_is_disabled(
    hook, receiver, make_update, publish, run_on_commit, settings
):
    settings.NOTIFY_WEBHOOK_MAX_FAILURES = 3
    settings.NOTIFY_MAX_ATTEMPTS = 10
    subscriber = hook()  # no owner email: only the audit log says it
    receiver.statuses["blog"] = [503]
    publish(make_update())
    for _ in range(4):
        Delivery.objects.filter(state="pending").update(due_at=timezone.now())
        run_on_commit(deliver_batch_task, list(Delivery.objects.values_list("pk", flat=True)))

    subscriber.refresh_from_db()
    assert subscriber.is_active is False
    assert "3 failed attempts in a row" in subscriber.disabled_reason
    assert len(receiver.refused) == 3
    assert Delivery.objects.get().state == "skipped"
    assert AuditEvent.objects.filter(action="subscriber.disable").count() == 1


def test_private_addresses_are_refused_at_send_time(service, receiver, make_update, publish):
    # Without allow_loopback_fetch: the fetch wrapper refuses 127.0.0.1 like any private address.
    make_subscriber(service, channel="webhook", webhook_url=receiver.hook_url("inside"), secret="s")
    publish(make_update())
    assert receiver.count() == 0 and not receiver.refused
    delivery = Delivery.objects.get()
    assert delivery.state == "pending"
    assert delivery.last_error


def test_deleting_a_webhook_with_its_link(client, hook):
    from notifications.tokens import unsubscribe_token

    subscriber = hook()
    response = client.post(f"/unsubscribe/{unsubscribe_token(subscriber)}/")
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_the_verification_code_in_the_readme_accepts_our_requests(
    hook, receiver, make_update, publish
):
    readme = (Path(notifications.__file__).resolve().parent.parent / "README.md").read_text()
    doc = readme[readme.index("## Webhooks") :]
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", doc, re.S).group(1), namespace)  # noqa: S102
    verify = namespace["verify"]
    subscriber = hook()
    publish(make_update())
    (request,) = receiver.accepted_for("blog")
    signature = request.headers["x-outagedesk-signature"]
    timestamp = request.headers["x-outagedesk-timestamp"]

    payload = verify(subscriber.secret, request.body, signature, timestamp)
    assert payload["update"]["title"] == "Messages are not delivered"
    with pytest.raises(ValueError, match="bad signature"):
        verify(subscriber.secret, request.body.replace(b"not", b"now"), signature, timestamp)
    with pytest.raises(ValueError, match="bad signature"):
        verify("another-secret", request.body, signature, timestamp)
    with pytest.raises(ValueError, match="replayed"):
        verify(subscriber.secret, request.body, signature, str(int(timestamp) + 1))


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080/hook",
        "https://10.0.0.5/hook",
        "http://[::1]/x",
        "http://169.254.169.254/",
    ],
)
def test_an_internal_webhook_address_is_refused_at_once(client, service, url):
    response = client.post(
        "/subscribe/",
        {"channel": "webhook", "url": url, "service": "whatsapp"},
        **ORIGIN,
    )
    assert response.status_code == 400
    assert b"cannot be reached from the internet" in response.content
    assert not Subscriber.objects.exists()
