"""Abuse of the subscription forms: rate limits, no enumeration of subscribed addresses,
cross-site posts, forged confirmation links."""

import pytest

from notifications.models import Subscriber
from notifications.tokens import confirm_token, unsubscribe_token
from tests.factories import make_subscriber
from tests.notifications.receivers import text_part

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def post(email, **fields):
        data = {"channel": "email", "email": email, "service": "whatsapp", "language": "en"}
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/subscribe/", data, **ORIGIN)

    return post


def test_the_answer_never_says_whether_an_address_is_subscribed(smtp, subscribe, service):
    make_subscriber(service, email="known@example.org")  # confirmed
    make_subscriber(service, email="waiting@example.org", confirmed=False)

    answers = [
        subscribe(email)
        for email in ("known@example.org", "waiting@example.org", "new@example.org")
    ]
    assert {a.status_code for a in answers} == {200}
    assert answers[0].content == answers[1].content == answers[2].content

    # Only the owner of the address learns it was already subscribed, by mail.
    (known,) = smtp.to("known@example.org")
    assert "already subscribed" in text_part(known)
    assert "/subscribe/confirm/" not in text_part(known)
    (waiting,) = smtp.to("waiting@example.org")
    assert "/subscribe/confirm/" in text_part(waiting)
    assert Subscriber.objects.filter(email="known@example.org").count() == 1


def test_asking_again_with_another_language_does_not_change_a_confirmed_subscription(
    smtp, subscribe, service
):
    make_subscriber(service, email="known@example.org", language="en")
    subscribe("known@example.org", language="fr")
    assert Subscriber.objects.get().language == "en"


def test_one_address_is_limited_per_hour(smtp, subscribe, service, settings):
    settings.NOTIFY_SUBSCRIBE_PER_EMAIL = 3
    answers = [subscribe("target@example.org").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    # A victim's inbox gets at most the limit of mails.
    assert len(smtp.to("target@example.org")) == 3
    # Other addresses from the same reader still work.
    assert subscribe("other@example.org").status_code == 200


def test_one_client_is_limited_whatever_the_addresses(smtp, subscribe, service, settings):
    settings.NOTIFY_SUBSCRIBE_PER_ADDRESS = 4
    answers = [subscribe(f"r{i}@example.org").status_code for i in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]
    assert Subscriber.objects.count() == 4


def test_a_rate_limited_answer_says_when_to_come_back(subscribe, service, settings):
    settings.NOTIFY_SUBSCRIBE_PER_ADDRESS = 1
    subscribe("a@example.org")
    response = subscribe("b@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many requests" in response.content


def test_a_post_from_another_site_is_refused(client, service):
    response = client.post(
        "/subscribe/",
        {"channel": "email", "email": "a@example.org", "service": "whatsapp"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_a_forged_confirmation_link_is_refused(client, service):
    subscriber = make_subscriber(service, email="a@example.org", confirmed=False)
    token = confirm_token(subscriber)
    for bad in (token[:-2] + "xx", "abc", unsubscribe_token(subscriber)):
        response = client.post(f"/subscribe/confirm/{bad}/", **ORIGIN)
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_a_confirmation_link_of_a_deleted_request_confirms_nothing(client, service):
    subscriber = make_subscriber(service, email="a@example.org", confirmed=False)
    token = confirm_token(subscriber)
    subscriber.delete()
    assert client.post(f"/subscribe/confirm/{token}/", **ORIGIN).status_code == 410
    assert not Subscriber.objects.exists()


def test_confirming_requires_a_post_from_this_site(client, service):
    subscriber = make_subscriber(service, email="a@example.org", confirmed=False)
    response = client.post(
        f"/subscribe/confirm/{confirm_token(subscriber)}/", HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
