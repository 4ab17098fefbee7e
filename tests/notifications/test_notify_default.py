"""The composer's default for "notify subscribers": as status pages do."""

from datetime import timedelta

from django.utils import timezone

from notifications.selectors import notify_by_default


def test_the_first_update_a_status_change_and_the_resolution_notify(incident, make_update):
    assert notify_by_default(incident=incident, status="investigating") is True
    make_update(status="investigating")
    assert notify_by_default(incident=incident, status="investigating") is False
    assert notify_by_default(incident=incident, status="identified") is True
    make_update(status="identified", published_at=timezone.now() + timedelta(minutes=5))
    assert notify_by_default(incident=incident, status="identified") is False
    assert notify_by_default(incident=incident, status="resolved") is True
