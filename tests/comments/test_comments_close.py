"""Comments close a configurable time after the incident is resolved (48 h by default): the
form disappears, a clear sentence says why, and a late post is refused with that sentence."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from comments.models import Comment
from comments.services.admission import comments_closed
from incidents.models import Incident
from tests.public.htmltools import parse_html, text_of
from tests.support.comments import post_comment


def comment_forms(page) -> list:
    return [f for f in page.find_all("form") if "comment-form" in f.attrs.get("class", "")]


def resolve(incident, *, hours_ago: float) -> Incident:
    incident.status = Incident.Status.RESOLVED
    incident.started_at = timezone.now() - timedelta(hours=hours_ago + 3)
    incident.resolved_at = timezone.now() - timedelta(hours=hours_ago)
    incident.save()
    return incident


@pytest.mark.django_db
def test_comments_stay_open_until_48_hours_after_resolution(client, incident):
    resolve(incident, hours_ago=47)
    assert not comments_closed(incident)
    section = parse_html(client.get(f"/fr/incidents/{incident.slug}/comments/").content)
    assert len(comment_forms(section)) == 1
    response = post_comment(client, incident)
    assert response.status_code == 303
    assert Comment.objects.filter(incident=incident).count() == 1


@pytest.mark.django_db
def test_after_48_hours_the_form_is_gone_and_a_late_post_is_refused(client, incident):
    resolve(incident, hours_ago=49)
    assert comments_closed(incident)
    # The incident is written in French only: its page, and the section in it, is French.
    section = parse_html(client.get(f"/fr/incidents/{incident.slug}/comments/").content)
    assert comment_forms(section) == []
    closed = text_of(section.find("p", class_="comments-closed"))
    assert "Les commentaires sont fermés" in closed and "48 heures" in closed
    response = post_comment(client, incident)
    assert response.status_code == 403
    assert "Les commentaires sont fermés" in response.content.decode()
    assert not Comment.objects.filter(incident=incident).exists()


@pytest.mark.django_db
@override_settings(COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS=2)
def test_the_delay_is_a_setting(client, incident):
    resolve(incident, hours_ago=3)
    assert comments_closed(incident)
    assert post_comment(client, incident).status_code == 403
    incident.status = Incident.Status.MONITORING  # reopened: comments open again
    incident.resolved_at = None
    incident.save()
    assert not comments_closed(incident)
    assert not comments_closed(incident, now=timezone.now() + timedelta(days=30))
