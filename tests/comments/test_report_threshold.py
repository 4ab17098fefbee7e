"""Reader reports send an approved comment back to the queue only when enough of the readers
who saw it object (the number scales with its audience), and never hide an official reply."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, OfficialReply
from comments.services.reports import comment_seen_by
from tests.support.comments import SITE

pytestmark = pytest.mark.django_db


def approved(incident, text="Un avis tranché", *, approved_ago=timedelta(hours=1)):
    moment = timezone.now() - approved_ago
    comment = Comment.objects.create(
        incident=incident,
        name="Lou",
        text=text,
        status=Comment.Status.APPROVED,
        needs_review=False,
        address_hash="author",
        moderated_at=moment,
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    comment.refresh_from_db()
    return comment


def readers_comment(incident, count: int) -> None:
    """`count` distinct readers post on the incident (each had the comment section open)."""
    Comment.objects.bulk_create(
        Comment(incident=incident, name="R", text="Toujours rien", address_hash=f"reader-{i}")
        for i in range(count)
    )


def report(client, incident, comment, count: int, *, first: int = 0) -> None:
    url = f"/en/incidents/{incident.slug}/comments/{comment.pk}/report/"
    for index in range(first, first + count):
        response = client.post(url, HTTP_ORIGIN=SITE, REMOTE_ADDR=f"198.51.100.{index + 1}")
        assert response.status_code == 303


def test_on_a_quiet_page_five_reports_hide_the_comment(client, incident):
    comment = approved(incident)
    report(client, incident, comment, 5)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.needs_review


def test_on_a_busy_page_five_reports_only_flag_it_for_a_moderator(client, incident):
    comment = approved(incident)
    readers_comment(incident, 300)
    report(client, incident, comment, 5)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.reported_at is not None  # in the reported queue
    assert (
        "Un avis tranché" in client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    )

    # 5% of the 305 readers who saw it (300 posters, 5 reporters): 16 reports hide it.
    report(client, incident, comment, 10, first=5)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    report(client, incident, comment, 1, first=15)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.reasons[-1] == {"code": "reports", "decision": "hold", "detail": "16"}


def test_readers_before_the_approval_did_not_see_it(client, incident):
    readers_comment(incident, 300)
    comment = approved(incident, approved_ago=timedelta(seconds=0))
    assert comment_seen_by(comment) == 0
    report(client, incident, comment, 5)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_official_reply_is_never_hidden_by_reports(client, incident, moderator):
    comment = approved(incident, "Pourquoi ça ne marche pas ?")
    OfficialReply.objects.create(
        comment=comment, text="Meta confirme la panne, retour prévu ce soir.", author=moderator
    )
    report(client, incident, comment, 20)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.report_count == 20 and comment.reported_at is not None
    page = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert "Meta confirme la panne" in page
