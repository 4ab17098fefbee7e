"""The evidence inbox: newest first, filters, verify/reject with a note, live polling."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Evidence, Service
from incidents.services.verification import VerificationError, evidence_verify
from outagedesk.models import AuditEvent
from tests.factories import make_evidence, make_incident, make_source

HX = {"HTTP_HX_REQUEST": "true"}


def inbox_url(incident, **query):
    url = reverse("newsroom:inbox", args=[incident.pk])
    return f"{url}?{urlencode(query)}" if query else url


def test_items_newest_first_with_tier_source_time_and_excerpt(
    editor_client, incident, downdetector, mastodon
):
    make_evidence(downdetector, text="Older report spike", minutes_ago=30)
    make_evidence(mastodon, text="Newest: messages stuck", minutes_ago=1)
    html = editor_client.get(inbox_url(incident), **HX).content.decode()
    assert html.index("Newest: messages stuck") < html.index("Older report spike")
    assert "tier-community" in html and "tier-monitor" in html
    assert "Mastodon #WhatsappDown" in html and "Downdetector-style report counts" in html
    assert "<time datetime=" in html


def test_evidence_outside_the_incident_window_or_of_another_incident_is_not_shown(
    editor_client, incident, mastodon, seeded
):
    make_evidence(mastodon, text="Last week's trouble", minutes_ago=60 * 24 * 7)
    other = make_incident(service=seeded, slug="other", title="Other")
    make_evidence(mastodon, text="Belongs elsewhere", incident=other)
    make_evidence(mastodon, text="Right now")
    html = editor_client.get(inbox_url(incident), **HX).content.decode()
    assert "Right now" in html
    assert "Last week" not in html and "Belongs elsewhere" not in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"tier": "official"}, "Official status", "Community post"),
        ({"state": "verified"}, "Verified one", "Community post"),
        ({"component": "calls"}, "Calls fail", "Community post"),
        ({"region": "FR"}, "In France", "Community post"),
    ],
)
def test_filters(editor_client, editor, incident, status_page, mastodon, query, shown, hidden):
    make_evidence(status_page, text="Official status")
    make_evidence(mastodon, text="Community post", component_hints=["messages"])
    make_evidence(mastodon, text="Calls fail", component_hints=["calls", "messages"])
    make_evidence(mastodon, text="In France", region_hints=["FR"])
    verified = make_evidence(
        mastodon, text="Verified one", component_hints=["calls"], region_hints=["FR"]
    )
    evidence_verify(actor=editor, evidence=verified, incident=incident)
    html = editor_client.get(inbox_url(incident, **query), **HX).content.decode()
    assert shown in html
    assert hidden not in html
    assert 'aria-current="true"' in html  # the active filter is marked


def test_page_of_older_items(editor_client, incident, mastodon):
    for minute in range(60):
        make_evidence(mastodon, text=f"item {minute:02d}", minutes_ago=minute + 1)
    html = editor_client.get(inbox_url(incident), **HX).content.decode()
    assert "item 00" in html and "item 49" in html and "item 50" not in html
    assert "Older items" in html
    cursor = html.split("?cursor=")[1].split('"')[0].split("&")[0]
    more = editor_client.get(inbox_url(incident, cursor=cursor), **HX).content.decode()
    assert "item 50" in more and "item 59" in more and "item 49" not in more
    assert "Older items" not in more


def test_plain_visit_of_the_fragment_url_gets_the_workspace(editor_client, incident):
    response = editor_client.get(inbox_url(incident, tier="official"))
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("newsroom:workspace", args=[incident.pk]) + "?tier=official"
    )


def test_live_poll_returns_204_when_nothing_arrived(editor_client, incident, mastodon):
    latest = make_evidence(mastodon)
    response = editor_client.get(inbox_url(incident, after=latest.pk), **HX)
    assert response.status_code == 204
    assert response.content == b""


def test_live_poll_returns_only_new_items(editor_client, incident, mastodon):
    seen = make_evidence(mastodon, text="Already on screen")
    make_evidence(mastodon, text="Just arrived")
    response = editor_client.get(inbox_url(incident, after=seen.pk), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Just arrived" in html and "Already on screen" not in html
    assert 'hx-swap-oob="afterbegin:#inbox-list"' in html
    newest = Evidence.objects.latest("id").pk
    assert f"after={newest}" in html  # the next poll starts after what was just shown
    assert 'hx-trigger="every 10s, click"' in html


def test_live_poll_keeps_the_filters(editor_client, incident, mastodon, status_page):
    seen = make_evidence(mastodon)
    make_evidence(mastodon, text="community noise")
    assert (
        editor_client.get(inbox_url(incident, after=seen.pk, tier="official"), **HX).status_code
        == 204
    )
    make_evidence(status_page, text="official word")
    html = editor_client.get(
        inbox_url(incident, after=seen.pk, tier="official"), **HX
    ).content.decode()
    assert "official word" in html and "community noise" not in html
    assert "tier=official" in html


def test_workspace_polls_every_ten_seconds_with_a_link(editor_client, incident):
    html = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    poller = html.split('id="inbox-poll"')[1].split(">")[0]
    assert 'hx-trigger="every 10s, click"' in poller and 'href="' in poller


def test_verify_with_a_note(editor_client, editor, incident, downdetector):
    item = make_evidence(downdetector)
    response = editor_client.post(
        reverse("newsroom:evidence_verify", args=[incident.pk, item.pk]),
        {"note": "Checked the chart myself"},
        **HX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "evidence-changed"
    item.refresh_from_db()
    assert item.state == "verified" and item.verified_by == editor
    assert item.verified_at is not None
    assert abs(item.verified_at - timezone.now()) < timedelta(minutes=1)
    assert item.verification_note == "Checked the chart myself"
    assert item.incident == incident
    html = response.content.decode()
    assert "Verified" in html and "by edith" in html and "Checked the chart myself" in html
    assert "1 verified" in html  # the counts are refreshed out of band
    event = AuditEvent.objects.get(action="evidence.verify")
    assert event.actor == editor and event.details["note"] == "Checked the chart myself"


def test_reject_without_note_and_change_of_mind(editor_client, editor, incident, mastodon):
    item = make_evidence(mastodon)
    url = reverse("newsroom:evidence_reject", args=[incident.pk, item.pk])
    assert editor_client.post(url, **HX).status_code == 200
    item.refresh_from_db()
    assert item.state == "rejected" and item.verification_note == ""
    editor_client.post(reverse("newsroom:evidence_verify", args=[incident.pk, item.pk]))
    item.refresh_from_db()
    assert item.state == "verified"
    actions = list(
        AuditEvent.objects.filter(action__startswith="evidence.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["evidence.reject", "evidence.verify"]


def test_evidence_of_another_incident_cannot_be_decided_here(
    editor_client, incident, mastodon, seeded
):
    other = make_incident(service=seeded, slug="other", title="Other")
    foreign = make_evidence(mastodon, incident=other)
    response = editor_client.post(
        reverse("newsroom:evidence_verify", args=[incident.pk, foreign.pk])
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "unverified"


def test_verification_note_is_sanitised(editor, incident, mastodon):
    item = evidence_verify(
        actor=editor,
        evidence=make_evidence(mastodon),
        incident=incident,
        note="<b>ok</b><script>x</script>",
    )
    assert item.verification_note == "ok"


def test_another_service_evidence_is_refused_by_the_service(editor, incident):
    other = Service.objects.create(slug="signal", name="Signal")
    source = make_source(
        other, name="Signal status", owner="signal", tier="official", kind="statuspage"
    )
    with pytest.raises(VerificationError):
        evidence_verify(actor=editor, evidence=make_evidence(source), incident=incident)
