"""Every published change reaches subscribers by default, and the composer says before
publishing what will happen, with counts from the database."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from incidents.models import Incident, Service
from incidents.services.incidents import incident_change
from incidents.services.updates import UpdateDraft, notify_default, update_publish
from newsroom.panels.notify import notify_sentence
from notifications.models import Subscriber
from notifications.selectors import subscriber_reach

HX = {"HTTP_HX_REQUEST": "true"}
Channel = Subscriber.Channel


def workspace(http, incident, **query) -> str:
    return http.get(reverse("newsroom:workspace", args=[incident.pk]), query).content.decode()


def notify_checked(page: str) -> bool:
    return " checked" in re.search(r'<input type="checkbox" name="notify"[^>]*>', page).group(0)


def sentence(page: str) -> str:
    found = re.search(r'<p id="notify-sentence".*?><span>(.*?)</span></p>', page, re.S)
    return found.group(1).replace("&#x27;", "'")


def publish(editor, incident, **fields) -> None:
    incident.refresh_from_db()
    update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="t", message="m", **fields)
    )
    incident.refresh_from_db()


def change_state(editor, incident, **changes) -> None:
    """What the state panel does: the incident changes, no update is published."""
    incident.refresh_from_db()
    state = {
        "title": incident.title,
        "kind": incident.kind,
        "impact": incident.impact,
        "status": incident.status,
        "components": incident.components.all(),
        "regions": incident.regions,
    }
    state.update(changes)
    incident_change(actor=editor, incident=incident, expected_version=incident.version, **state)
    incident.refresh_from_db()


def test_notify_defaults_per_transition(editor_client, editor, incident):
    # The first update of an incident.
    assert notify_checked(workspace(editor_client, incident))
    publish(editor, incident, status="investigating")
    # A follow-up with the same status and impact may stay quiet.
    assert not notify_default(incident=incident, status="investigating")
    assert not notify_checked(workspace(editor_client, incident))
    # A new status chosen in the composer.
    assert notify_default(incident=incident, status="identified")
    # The status changed in the state panel before composing: the composer starts from it
    # and still notifies, since subscribers have not been told.
    change_state(editor, incident, status="identified")
    assert notify_checked(workspace(editor_client, incident))
    publish(editor, incident, status="identified")
    assert not notify_checked(workspace(editor_client, incident))
    # A changed impact.
    change_state(editor, incident, impact=Incident.Impact.CRITICAL)
    assert notify_default(incident=incident, status="identified")
    assert notify_checked(workspace(editor_client, incident))
    publish(editor, incident, status="identified")
    assert incident.updates.first().notify  # published with the default: notified
    assert not notify_checked(workspace(editor_client, incident))
    # The resolution.
    assert notify_checked(workspace(editor_client, incident, template="en-resolved"))
    assert notify_default(incident=incident, status="resolved")


def test_a_correction_does_not_count_as_the_last_announced_state(editor, incident):
    publish(editor, incident, status="investigating")
    first = incident.updates.first()
    incident.refresh_from_db()
    update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=incident, title="t2", message="m2", corrects=first, correction_note="typo"
        ),
    )
    incident.refresh_from_db()
    assert not notify_default(incident=incident, status="investigating")
    assert notify_default(incident=incident, status="monitoring")


def subscribe(service, channel, *, incident=None, confirmed=True, active=True, n=1):
    for _ in range(n):
        number = Subscriber.objects.count()
        Subscriber.objects.create(
            channel=channel,
            service=service,
            incident=incident,
            email=f"r{number}@example.org" if channel == Channel.EMAIL else "",
            webhook_url=f"https://hooks.example.org/{number}" if channel == Channel.WEBHOOK else "",
            push_subscription={"endpoint": f"https://push.example.org/{number}"}
            if channel == Channel.PUSH
            else {},
            language="fr",
            confirmed_at=timezone.now() if confirmed else None,
            is_active=active,
        )


@pytest.fixture
def subscribers(incident, seeded):
    """3 emails (2 service-wide, 1 to this incident), 2 devices, 1 webhook reach the
    incident; the others do not (unconfirmed, inactive, another incident, another service)."""
    subscribe(seeded, Channel.EMAIL, n=2)
    subscribe(seeded, Channel.EMAIL, incident=incident)
    subscribe(seeded, Channel.PUSH, n=2)
    subscribe(seeded, Channel.WEBHOOK)
    subscribe(seeded, Channel.EMAIL, confirmed=False)
    subscribe(seeded, Channel.PUSH, active=False)
    other_incident = Incident.objects.create(service=seeded, slug="other", title="Other")
    subscribe(seeded, Channel.EMAIL, incident=other_incident)
    other_service = Service.objects.create(slug="signal", name="Signal")
    subscribe(other_service, Channel.WEBHOOK)
    return seeded


def test_the_reach_is_counted_in_one_query(incident, subscribers):
    with CaptureQueriesContext(connection) as queries:
        reach = subscriber_reach(incident)
    assert len(queries) == 1
    assert reach == {Channel.EMAIL: 3, Channel.PUSH: 2, Channel.WEBHOOK: 1}


def test_the_composer_says_what_publishing_will_do(editor_client, incident, subscribers):
    page = workspace(editor_client, incident)
    assert notify_checked(page)
    assert (
        sentence(page)
        == "Publishing will email 3 subscribers, push to 2 devices and call 1 webhook."
    )


def test_the_sentence_follows_the_notify_box_and_the_status_live(
    editor_client, editor, incident, subscribers
):
    publish(editor, incident, status="investigating")
    url = reverse("newsroom:preview", args=[incident.pk]) + "?part=notify"
    form = {"title": "t", "message": "m", "status": "investigating", "language": "fr"}
    # A quiet follow-up: the box is unticked and the composer says so.
    page = workspace(editor_client, incident)
    assert sentence(page) == "Subscribers will not be told of this update."
    # The editor ticks the box: the sentence follows.
    ticked = editor_client.post(url, {**form, "notify": "on"}, **HX).content.decode()
    assert sentence(ticked).startswith("Publishing will email 3 subscribers")
    # The status changes to "identified": the box takes that status's default again.
    changed = editor_client.post(
        url, {**form, "status": "identified", "notify_reset": "1"}, **HX
    ).content.decode()
    assert changed.lstrip().startswith('<div id="notify-row"')
    assert notify_checked(changed)
    assert sentence(changed).startswith("Publishing will email 3 subscribers")
    # And back to the same status: quiet again.
    back = editor_client.post(
        url, {**form, "notify": "on", "notify_reset": "1"}, **HX
    ).content.decode()
    assert not notify_checked(back)
    assert sentence(back) == "Subscribers will not be told of this update."


def test_the_preview_is_for_editors_only(client, reader_client, incident):
    url = reverse("newsroom:preview", args=[incident.pk]) + "?part=notify"
    assert client.post(url, {"status": "identified"}, **HX).status_code in (302, 403)
    assert reader_client.post(url, {"status": "identified"}, **HX).status_code == 403


@pytest.mark.parametrize(
    ("reach", "english", "french"),
    [
        (
            {Channel.EMAIL: 1204, Channel.PUSH: 380, Channel.WEBHOOK: 3},
            "Publishing will email 1,204 subscribers, push to 380 devices and call 3 webhooks.",
            "La publication va envoyer un e-mail à 1\u00a0204 abonnés, envoyer une notification "
            "à 380 appareils et appeler 3 webhooks.",
        ),
        (
            {Channel.EMAIL: 1, Channel.PUSH: 0, Channel.WEBHOOK: 0},
            "Publishing will email 1 subscriber.",
            "La publication va envoyer un e-mail à 1 abonné.",
        ),
        (
            {Channel.EMAIL: 0, Channel.PUSH: 1, Channel.WEBHOOK: 1},
            "Publishing will push to 1 device and call 1 webhook.",
            "La publication va envoyer une notification à 1 appareil et appeler 1 webhook.",
        ),
        (
            {Channel.EMAIL: 0, Channel.PUSH: 0, Channel.WEBHOOK: 0},
            "Nobody has subscribed to this service or incident yet: no one will be told.",
            "Personne ne s'est encore abonné à ce service ni à cet incident\u00a0: personne ne "
            "sera prévenu.",
        ),
    ],
)
def test_the_sentence_in_both_languages_with_plurals(reach, english, french):
    with translation.override("en"):
        assert notify_sentence(notify=True, reach=reach) == english
    with translation.override("fr"):
        assert notify_sentence(notify=True, reach=reach) == french
        assert notify_sentence(notify=False, reach=reach) == (
            "Les abonnés ne seront pas prévenus de cette mise à jour."
        )


def test_the_sentence_speaks_the_editors_language(editor_client, incident, subscribers):
    page = editor_client.get(
        reverse("newsroom:workspace", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert sentence(page) == (
        "La publication va envoyer un e-mail à 3 abonnés, envoyer une notification à 2 appareils "
        "et appeler 1 webhook."
    )
