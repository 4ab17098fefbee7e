"""Subscribing by email: the double opt-in through a real SMTP server on 127.0.0.1."""

import re
import time
from unittest import mock

import pytest

from notifications.models import Subscriber
from outagedesk.models import AuditEvent
from tests.notifications.receivers import html_part, text_part

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
LINK = re.compile(r"http://\S+/subscribe/confirm/[^/\s]+/")


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def post(**fields):
        data = {"channel": "email", "language": "en", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/subscribe/", data, **ORIGIN)

    return post


def confirmation_link(smtp, address: str) -> str:
    (message,) = smtp.to(address)
    return LINK.search(text_part(message)).group(0).replace("http://127.0.0.1:8000", "")


def test_the_subscribe_page_offers_email_and_webhook_for_the_service(client, incident):
    response = client.get(f"/en/subscribe/?service=whatsapp&incident={incident.slug}")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="email"' in body and 'name="url"' in body
    assert f'value="{incident.slug}"' in body
    assert incident.title in body


@pytest.mark.parametrize("who", ["reader_client", "editor_client"])
def test_the_subscribe_page_is_the_same_for_logged_in_users(request, who, service):
    response = request.getfixturevalue(who).get("/en/subscribe/?service=whatsapp")
    assert response.status_code == 200
    assert b"Subscribe by email" in response.content


def test_without_a_service_the_page_asks_which_one(client, service):
    response = client.get("/en/subscribe/")
    assert response.status_code == 200
    assert b'<option value="whatsapp">WhatsApp</option>' in response.content


def test_subscribing_mails_a_confirmation_link_and_nothing_else(smtp, subscribe, service):
    response = subscribe(email="Reader@Example.org", service="whatsapp")
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.confirmed_at is None
    (message,) = smtp.to("reader@example.org")
    assert "Confirm your subscription to WhatsApp updates" in message["Subject"]
    assert LINK.search(text_part(message))
    assert LINK.search(html_part(message))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_following_the_link_and_pressing_confirm_confirms(smtp, subscribe, client, service):
    subscribe(email="reader@example.org", service="whatsapp")
    link = confirmation_link(smtp, "reader@example.org")

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm my subscription" in page.content
    # Opening the link (as mail scanners do) confirms nothing by itself.
    assert Subscriber.objects.get().confirmed_at is None

    done = client.post(link, **ORIGIN)
    assert done.status_code == 200
    assert b"Subscription confirmed" in done.content
    assert Subscriber.objects.get().confirmed_at is not None
    assert AuditEvent.objects.filter(action="subscriber.confirm").count() == 1
    # The audit log never keeps the address in clear.
    assert not AuditEvent.objects.filter(object_repr__contains="reader@example.org").exists()


def test_a_confirmation_link_expires(smtp, subscribe, client, service):
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        subscribe(email="late@example.org", service="whatsapp")
    link = confirmation_link(smtp, "late@example.org")

    assert client.get(link).status_code == 410
    response = client.post(link, **ORIGIN)
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert Subscriber.objects.get().confirmed_at is None


def test_subscribing_to_one_incident(smtp, subscribe, incident):
    subscribe(email="reader@example.org", service="whatsapp", incident=incident.slug)
    subscriber = Subscriber.objects.get()
    assert subscriber.incident == incident
    (message,) = smtp.to("reader@example.org")
    assert incident.title in text_part(message)


def test_french_readers_get_the_confirmation_in_french(smtp, subscribe, service):
    subscribe(email="lecteur@example.org", service="whatsapp", language="fr")
    (message,) = smtp.to("lecteur@example.org")
    assert "Confirmez votre abonnement" in message["Subject"]
    assert "Se désabonner en un clic" in text_part(message)


def test_unconfirmed_requests_are_purged_once_their_link_expired(smtp, subscribe, service):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import subscribers_purge_unconfirmed

    subscribe(email="never@example.org", service="whatsapp")
    assert subscribers_purge_unconfirmed() == 0
    assert subscribers_purge_unconfirmed(now=timezone.now() + timedelta(days=4)) == 1
    assert not Subscriber.objects.exists()


def test_a_bad_address_or_service_is_refused_with_the_form(subscribe, service):
    response = subscribe(email="not an address", service="whatsapp")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert subscribe(email="a@example.org", service="nope").status_code == 400
    assert subscribe(email="a@example.org", service="whatsapp", incident="nope").status_code == 400
    assert not Subscriber.objects.exists()
