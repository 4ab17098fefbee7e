"""Whether subscribers hear of an update by default, as status pages do: the first update of an
incident, a status change and the resolution notify; a follow-up with the same status does not.
The one rule is incidents.services.updates.notify_default, which update_publish applies."""

from incidents.services.updates import UpdateDraft, notify_default, update_publish


def test_the_first_update_a_status_change_and_the_resolution_notify(incident, editor):
    def publish(status: str):
        incident.refresh_from_db()
        draft = UpdateDraft(incident=incident, title="t", message="m", status=status)
        return update_publish(actor=editor, draft=draft)

    assert notify_default(incident=incident, status="investigating") is True
    assert publish("investigating").notify is True
    assert notify_default(incident=incident, status="investigating") is False
    assert publish("investigating").notify is False
    assert notify_default(incident=incident, status="identified") is True
    assert publish("identified").notify is True
    assert publish("identified").notify is False
    assert publish("resolved").notify is True
