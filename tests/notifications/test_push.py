"""Web Push: the browser's subscription is validated and stored; each update is encrypted for
the browser and authorised with the site's VAPID key, sent to a real push endpoint on
127.0.0.1 that decrypts it; a push service answering 404/410 removes the subscription."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from django.contrib.staticfiles import finders
from py_vapid import Vapid

from incidents.models import IncidentUpdateTranslation
from notifications.models import Delivery, Subscriber
from outagedesk.models import AuditEvent
from tests.factories import make_subscriber
from tests.notifications.receivers import b64url

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def vapid(settings, receiver):
    key = Vapid()
    key.generate_keys()
    private = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key.public_bytes(
        encoding=serialization.Encoding.X962,
        format=serialization.PublicFormat.UncompressedPoint,
    )
    settings.VAPID_PRIVATE_KEY = b64url(private)
    settings.VAPID_PUBLIC_KEY = b64url(public)
    settings.VAPID_CLAIMS_EMAIL = "mailto:desk@example.org"
    receiver.vapid_public_key = settings.VAPID_PUBLIC_KEY
    return settings


def post_json(client, path, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(path, body, content_type="application/json", **{**ORIGIN, **extra})


@pytest.fixture
def browser_subscription(receiver, allow_loopback_fetch):
    return receiver.new_push_keys("browser-1")


def test_the_page_offers_push_with_the_public_key_when_configured(client, service, vapid):
    response = client.get("/en/subscribe/?service=whatsapp")
    body = response.content.decode()
    assert f'data-vapid-key="{vapid.VAPID_PUBLIC_KEY}"' in body
    assert "notifications/subscribe.js" in body and "notifications/sw.js" in body
    assert finders.find("notifications/sw.js") and finders.find("notifications/subscribe.js")


def test_without_vapid_keys_push_is_not_offered(client, service, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert b"data-vapid-key" not in client.get("/en/subscribe/?service=whatsapp").content
    response = post_json(client, "/subscribe/push/", {"service": "whatsapp"})
    assert response.status_code == 503


@pytest.mark.parametrize("who", ["client", "reader_client", "editor_client"])
def test_a_browser_subscribes(request, who, service, incident, vapid, browser_subscription):
    response = post_json(
        request.getfixturevalue(who),
        "/subscribe/push/",
        {
            "subscription": {**browser_subscription.subscription(), "expirationTime": None},
            "service": "whatsapp",
            "incident": incident.slug,
            "language": "fr",
        },
    )
    assert response.status_code == 201
    assert "/unsubscribe/" in response.json()["unsubscribe_url"]
    subscriber = Subscriber.objects.get()
    assert (subscriber.channel, subscriber.incident, subscriber.language) == (
        "push",
        incident,
        "fr",
    )
    assert subscriber.push_subscription == browser_subscription.subscription()
    assert subscriber.confirmed_at is not None


def test_subscribing_the_same_browser_again_keeps_one_subscription(
    client, service, vapid, browser_subscription
):
    data = {"subscription": browser_subscription.subscription(), "service": "whatsapp"}
    assert post_json(client, "/subscribe/push/", data).status_code == 201
    assert post_json(client, "/subscribe/push/", data).status_code == 201
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize(
    "subscription",
    [
        None,
        "text",
        {"endpoint": "https://push.example.org/x"},
        {"endpoint": "javascript:alert(1)", "keys": {"p256dh": "AAAA", "auth": "AAAA"}},
        {"endpoint": "https://push.example.org/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}},
        {"endpoint": "https://push.example.org/x", "keys": {"p256dh": "!!", "auth": "??"}},
        {"endpoint": "https://push.example.org/" + "x" * 600, "keys": {"p256dh": "A", "auth": "A"}},
    ],
)
def test_an_invalid_subscription_is_refused(client, service, vapid, subscription):
    response = post_json(
        client, "/subscribe/push/", {"subscription": subscription, "service": "whatsapp"}
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_an_oversized_or_malformed_body_is_refused(client, service, vapid, browser_subscription):
    padded = {
        "subscription": browser_subscription.subscription(),
        "service": "whatsapp",
        "padding": "x" * 5000,
    }
    assert post_json(client, "/subscribe/push/", padded).status_code == 400
    assert post_json(client, "/subscribe/push/", "{not json").status_code == 400
    assert (
        post_json(client, "/subscribe/push/", {"subscription": {}, "service": "nope"}).status_code
        == 400
    )
    assert not Subscriber.objects.exists()


def test_a_plain_http_endpoint_is_refused_in_production(client, service, vapid, receiver):
    keys = receiver.new_push_keys("plain")  # http://127.0.0.1, FETCH_ALLOW_PRIVATE off
    response = post_json(
        client, "/subscribe/push/", {"subscription": keys.subscription(), "service": "whatsapp"}
    )
    assert response.status_code == 400


def test_push_subscriptions_come_only_from_this_site(client, service, vapid, browser_subscription):
    response = post_json(
        client,
        "/subscribe/push/",
        {"subscription": browser_subscription.subscription(), "service": "whatsapp"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403


def test_push_subscriptions_are_rate_limited(
    client, service, vapid, browser_subscription, settings
):
    settings.NOTIFY_SUBSCRIBE_PER_ADDRESS = 2
    data = {"subscription": browser_subscription.subscription(), "service": "whatsapp"}
    codes = [post_json(client, "/subscribe/push/", data).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


@pytest.fixture
def french_push_reader(service, browser_subscription):
    return make_subscriber(
        service,
        channel="push",
        push_subscription=browser_subscription.subscription(),
        language="fr",
    )


def test_an_update_is_pushed_encrypted_and_vapid_signed(
    incident, vapid, receiver, french_push_reader, make_update, publish
):
    publish(make_update(status="resolved", title="Messages are back"))

    (request,) = receiver.accepted_for("browser-1")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    claims = request.payload["claims"]
    assert claims["aud"] == receiver.url
    assert claims["sub"] == "mailto:desk@example.org"
    data = request.payload["data"]
    # No French version of the update: the notification is wholly in English, labels included.
    assert data["title"] == "WhatsApp: Resolved"
    assert data["lang"] == "en"
    assert data["body"].startswith("Messages are back")
    assert data["url"].endswith(f"/incidents/{incident.slug}/")
    assert data["tag"] == f"incident-{incident.slug}"
    assert Delivery.objects.get().state == "sent"


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_reports_gone_is_removed(
    service, vapid, receiver, browser_subscription, make_update, publish, status
):
    make_subscriber(service, channel="push", push_subscription=browser_subscription.subscription())
    receiver.statuses["browser-1"] = [status]
    publish(make_update())
    assert not Subscriber.objects.exists()
    event = AuditEvent.objects.get(action="subscriber.remove")
    assert str(status) in event.details["reason"]


def test_a_browser_turns_notifications_off(client, service, vapid, browser_subscription):
    make_subscriber(service, channel="push", push_subscription=browser_subscription.subscription())
    response = post_json(
        client, "/subscribe/push/remove/", {"endpoint": browser_subscription.endpoint}
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    # The same answer for a browser that was not subscribed.
    again = post_json(
        client, "/subscribe/push/remove/", {"endpoint": browser_subscription.endpoint}
    )
    assert again.status_code == 200 and again.json() == response.json()
    assert post_json(client, "/subscribe/push/remove/", {"nope": 1}).status_code == 400


def test_a_french_reader_gets_the_push_in_french_once_update_and_title_exist_in_it(
    incident, vapid, receiver, french_push_reader, make_update, publish
):
    incident.title_translations = {"fr": "Les messages WhatsApp ne sont pas distribués"}
    incident.save()
    update = make_update(status="resolved", title="Messages are back")
    IncidentUpdateTranslation.objects.create(
        update=update, language="fr", title="Les messages repartent", message="C'est réglé."
    )
    publish(update)
    (request,) = receiver.accepted_for("browser-1")
    data = request.payload["data"]
    assert data["title"] == "WhatsApp\u00a0: Résolu"  # French spacing before the colon
    assert data["lang"] == "fr"
    assert data["body"].startswith("Les messages repartent")
    assert data["url"].endswith(f"/fr/incidents/{incident.slug}/")
