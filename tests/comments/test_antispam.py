"""Rate limits (429 with a clear message), the honeypot, the minimum fill time and the signed
form token."""

import pytest

from comments.models import Comment
from tests.factories import make_comment
from tests.support.comments import comment_data, opened_token, post_comment

pytestmark = pytest.mark.django_db


def test_too_many_comments_from_one_address_get_429(client, incident, settings):
    settings.COMMENT_RATE_PER_ADDRESS = 2
    answers = [
        post_comment(client, incident, text=f"Message numéro {i} à Lyon", address="192.0.2.5")
        for i in range(3)
    ]

    assert [r.status_code for r in answers] == [303, 303, 429]
    html = answers[2].content.decode()
    assert "attendre quelques minutes avant" in html
    assert "Message numéro 2 à Lyon" in html  # the reader's text is kept for later
    assert answers[2]["Retry-After"] == "600"
    assert Comment.objects.count() == 2
    assert (
        post_comment(client, incident, text="Un autre lecteur", address="192.0.2.6").status_code
        == 303
    )


def test_too_many_comments_on_one_incident_get_429(client, incident, settings):
    settings.COMMENT_RATE_PER_INCIDENT = 3
    codes = [
        post_comment(client, incident, text=f"Lecteur {i} ici", address=f"192.0.2.{i}").status_code
        for i in range(4)
    ]
    assert codes == [303, 303, 303, 429]
    assert Comment.objects.count() == 3


def test_a_filled_honeypot_stores_nothing(client, incident):
    response = post_comment(client, incident, website="https://spam.example")
    assert response.status_code == 400
    assert "semble automatique" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_can_be_sent_again(client, incident, settings):
    settings.COMMENT_MIN_FILL_SECONDS = 5
    response = post_comment(client, incident, ts=opened_token(seconds_ago=1), text="Vite fait")

    assert response.status_code == 400
    html = response.content.decode()
    assert "était rapide\u202f!" in html and "Vite fait" in html
    assert not Comment.objects.exists()
    fresh_token = response.context["form"]["ts"].value()
    assert fresh_token != comment_data()["ts"]


def test_forged_or_expired_form_tokens_are_refused(client, incident, settings):
    forged = post_comment(client, incident, ts="123:forged:token")
    settings.COMMENT_FORM_MAX_AGE_SECONDS = 60
    expired = post_comment(client, incident, ts=opened_token(seconds_ago=120))
    missing = post_comment(client, incident, ts="")

    assert forged.status_code == expired.status_code == missing.status_code == 400
    assert "avait expiré" in expired.content.decode()
    assert not Comment.objects.exists()


def test_report_flood_gets_429(client, incident, settings):
    settings.COMMENT_REPORT_RATE_PER_ADDRESS = 1
    comments = [
        make_comment(incident=incident, name="x", text=f"t{i}", status="approved", address_hash="h")
        for i in range(2)
    ]
    codes = [
        client.post(
            f"/en/incidents/{incident.slug}/comments/{c.pk}/report/",
            HTTP_ORIGIN="http://testserver",
        ).status_code
        for c in comments
    ]
    assert codes == [303, 429]
    assert Comment.objects.filter(report_count=1).count() == 1
