"""The two-source rule, enforced by the publishing service itself (not only by the form)."""

import pytest

from incidents.models import Source
from incidents.services.confirmation import (
    basis_from_evidence,
    confirmation_check,
    verified_basis,
)
from incidents.services.updates import ConfirmationBlocked, UpdateDraft, update_publish
from incidents.services.verification import evidence_reject, evidence_verify
from outagedesk.models import AuditEvent
from tests.factories import make_evidence, make_source


def publish_confirmed(actor, incident, **extra):
    return update_publish(
        actor=actor,
        draft=UpdateDraft(
            incident=incident,
            title="{service} est hors service",
            message="Les messages ne partent plus.",
            status="identified",
            confirmed=True,
            **extra,
        ),
    )


def verify(editor, incident, *items):
    for item in items:
        evidence_verify(actor=editor, evidence=item, incident=incident)


def test_two_items_from_the_same_owner_count_as_one(editor, incident, seeded):
    # Two different sources, both run by Meta (e.g. two Meta-owned accounts): not independent.
    first = make_source(seeded, name="Meta account A", owner="meta", tier="community")
    second = make_source(seeded, name="Meta account B", owner="Meta", tier="press")
    verify(editor, incident, make_evidence(first), make_evidence(second))

    with pytest.raises(ConfirmationBlocked) as blocked:
        publish_confirmed(editor, incident)
    assert blocked.value.check.independent_count == 1
    assert blocked.value.check.verified_count == 2
    assert incident.updates.count() == 0
    incident.refresh_from_db()
    assert not incident.is_public


def test_two_items_from_the_same_source_count_as_one(editor, incident, mastodon):
    verify(editor, incident, make_evidence(mastodon), make_evidence(mastodon, text="me too"))
    with pytest.raises(ConfirmationBlocked):
        publish_confirmed(editor, incident)


def test_two_independent_verified_sources_confirm(editor, incident, downdetector, mastodon):
    verify(editor, incident, make_evidence(downdetector), make_evidence(mastodon))
    update = publish_confirmed(editor, incident)
    assert update.is_confirmed
    assert update.sources_text == "Selon Downdetector et des utilisateurs sur Mastodon"
    assert set(update.evidence.values_list("source__owner", flat=True)) == {
        "downdetector",
        "mastodon",
    }


def test_one_verified_official_source_confirms(editor, incident, status_page):
    verify(editor, incident, make_evidence(status_page, text="Major outage: Messaging"))
    update = publish_confirmed(editor, incident)
    assert update.is_confirmed
    assert update.sources_text == "Selon la page de statut officielle de WhatsApp"


def test_unverified_and_rejected_items_do_not_count(editor, incident, downdetector, mastodon):
    make_evidence(downdetector)  # never verified
    rejected = make_evidence(mastodon)
    evidence_reject(actor=editor, evidence=rejected, incident=incident, note="a joke")
    with pytest.raises(ConfirmationBlocked) as blocked:
        publish_confirmed(editor, incident)
    assert blocked.value.check.verified_count == 0


def test_sources_without_owner_are_not_assumed_independent(editor, incident, seeded):
    first = make_source(seeded, name="Blog A", owner="", tier="press", kind="feed")
    second = make_source(seeded, name="Blog B", owner="", tier="press", kind="feed")
    verify(editor, incident, make_evidence(first), make_evidence(second))
    with pytest.raises(ConfirmationBlocked):
        publish_confirmed(editor, incident)


def test_the_number_of_sources_is_a_setting(settings, editor, incident, downdetector, mastodon):
    settings.CONFIRMATION_MIN_SOURCES = 3
    verify(editor, incident, make_evidence(downdetector), make_evidence(mastodon))
    with pytest.raises(ConfirmationBlocked) as blocked:
        publish_confirmed(editor, incident)
    assert blocked.value.check.required == 3
    assert blocked.value.check.missing == 1


def test_an_unconfirmed_report_needs_no_verified_source(editor, incident):
    update = update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=incident,
            title="Des utilisateurs signalent des problèmes",
            message="Des utilisateurs signalent que les messages ne partent plus.",
            confirmed=False,
        ),
    )
    assert not update.is_confirmed
    assert update.sources_text == ""
    incident.refresh_from_db()
    assert incident.is_public and incident.status == "investigating"


def test_editors_cannot_override(editor, incident, mastodon):
    verify(editor, incident, make_evidence(mastodon))
    with pytest.raises(ConfirmationBlocked) as blocked:
        publish_confirmed(editor, incident, override_reason="I saw it myself")
    assert not blocked.value.reason_missing
    assert incident.updates.count() == 0


def test_admin_override_needs_a_written_reason(admin_user, editor, incident, mastodon):
    verify(editor, incident, make_evidence(mastodon))
    with pytest.raises(ConfirmationBlocked) as blocked:
        publish_confirmed(admin_user, incident, override_reason="   ")
    assert blocked.value.reason_missing
    assert incident.updates.count() == 0


def test_admin_override_with_reason_is_recorded_in_the_audit_log(
    admin_user, editor, incident, mastodon
):
    verify(editor, incident, make_evidence(mastodon))
    update = publish_confirmed(
        admin_user, incident, override_reason="Confirmed by phone with Meta press office"
    )
    assert update.is_confirmed
    assert update.confirmation_override_reason == "Confirmed by phone with Meta press office"
    event = AuditEvent.objects.get(action="update.confirmation_override")
    assert event.actor == admin_user
    assert event.object_id == str(update.pk)
    assert event.details["reason"] == "Confirmed by phone with Meta press office"
    assert event.details["independent_sources"] == [mastodon.name]


def test_confirmation_check_explains_itself(editor, incident, downdetector, seeded):
    other_monitor = make_source(
        seeded, name="Downdetector mirror", owner="downdetector", tier="monitor"
    )
    items = [make_evidence(downdetector), make_evidence(other_monitor)]
    verify(editor, incident, *items)
    for item in items:
        item.refresh_from_db()
    check = confirmation_check(basis=basis_from_evidence(items))
    assert not check.ok
    assert len(check.independent_sources) == 1  # one owner, whichever source names it
    assert check.verified_count == 2
    assert not check.has_official
    assert Source.objects.filter(owner="downdetector").count() == 2
    # The same answer from the database, one row per source.
    assert confirmation_check(basis=verified_basis(incident)) == check
