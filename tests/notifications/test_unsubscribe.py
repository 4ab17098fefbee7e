"""Leaving in one click, without logging in: the link in every email, and the RFC 8058
one-click POST mail clients send from the List-Unsubscribe-Post header."""

import re

import pytest

from notifications.models import Delivery, Subscriber
from notifications.tokens import confirm_token, unsubscribe_token
from outagedesk.models import AuditEvent
from tests.factories import make_subscriber
from tests.notifications.receivers import html_part, text_part

LINK = re.compile(r"http://127\.0\.0\.1:8000(/en/unsubscribe/[^/\s>]+/)")


@pytest.fixture
def subscribed(service):
    return make_subscriber(service, email="reader@example.org")


def test_every_update_email_has_one_click_unsubscribe_headers_and_link(
    smtp, subscribed, make_update, publish
):
    publish(make_update())
    (message,) = smtp.to("reader@example.org")
    header_link = LINK.search(message["List-Unsubscribe"]).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert LINK.search(text_part(message)).group(1) == header_link
    assert header_link in html_part(message)
    # On the wire as a plain <URL> (not RFC 2047 encoded), as mail clients read it.
    (raw,) = smtp.raw_to("reader@example.org")
    assert f"List-Unsubscribe: <http://127.0.0.1:8000{header_link}>\r\n".encode() in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw


def test_opening_the_link_shows_a_button_and_unsubscribes_nobody(client, subscribed):
    path = f"/en/unsubscribe/{unsubscribe_token(subscribed)}/"
    response = client.get(path)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert Subscriber.objects.filter(pk=subscribed.pk).exists()


@pytest.mark.parametrize("who", ["client", "reader_client", "editor_client"])
def test_pressing_the_button_unsubscribes_without_login(request, who, subscribed):
    path = f"/en/unsubscribe/{unsubscribe_token(subscribed)}/"
    response = request.getfixturevalue(who).post(path, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert not Subscriber.objects.filter(pk=subscribed.pk).exists()
    event = AuditEvent.objects.get(action="subscriber.unsubscribe")
    assert "reader@example.org" not in event.object_repr


def test_a_mail_client_one_click_post_unsubscribes(client, subscribed, make_update):
    update = make_update()
    Delivery.objects.create(subscriber=subscribed, update=update, state="sent")
    # Sent by the mail provider's servers: no Origin, no Referer, no cookie.
    response = client.post(
        f"/en/unsubscribe/{unsubscribe_token(subscribed, update.pk)}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    event = AuditEvent.objects.get(action="subscriber.unsubscribe")
    assert event.details["from_update"] == update.pk


def test_unsubscribing_twice_answers_the_same(client, subscribed):
    path = f"/en/unsubscribe/{unsubscribe_token(subscribed)}/"
    first = client.post(path)
    second = client.post(path)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    page = client.get(path)
    assert b"You are not subscribed any more" in page.content


def test_unsubscribed_readers_get_no_more_updates(smtp, client, subscribed, make_update, publish):
    client.post(f"/en/unsubscribe/{unsubscribe_token(subscribed)}/")
    publish(make_update())
    assert smtp.count() == 0


def test_a_forged_or_mangled_token_is_refused(client, subscribed):
    token = unsubscribe_token(subscribed)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (forged, "nonsense", token[:20]):
        assert client.get(f"/en/unsubscribe/{bad}/").status_code == 400
        assert client.post(f"/en/unsubscribe/{bad}/").status_code == 400
    # A confirmation token is not an unsubscribe token (different salt).
    assert client.post(f"/en/unsubscribe/{confirm_token(subscribed)}/").status_code == 400
    assert Subscriber.objects.filter(pk=subscribed.pk).exists()


def test_a_token_for_a_deleted_subscription_never_acts_on_a_new_one(client, service):
    old = make_subscriber(service, email="reader@example.org")
    token = unsubscribe_token(old)
    old.delete()
    new = make_subscriber(service, email="reader@example.org")
    assert client.post(f"/en/unsubscribe/{token}/").status_code == 200
    assert Subscriber.objects.filter(pk=new.pk).exists()
