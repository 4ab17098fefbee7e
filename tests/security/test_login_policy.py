"""One login policy for the site's and the admin's login forms: failures count per (account,
address) and per address with growing delays, never per account alone, so nobody can lock a
colleague out from elsewhere; the lock state is in the admin and in the audit log."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from outagedesk.models import AuditEvent, LoginThrottle
from outagedesk.ratelimit import hash_identifier
from tests.factories import PASSWORD, make_user

LOGIN_FORMS = ["/accounts/login/", "/admin/login/"]


def attempt(path, username, password, address):
    """A fresh browser each time, as an attacker's distributed clients would be."""
    client = Client()
    response = client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response, client


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("path", LOGIN_FORMS)
def test_both_login_forms_slow_down_guessing_from_one_address(editor, path):
    for _ in range(5):
        response, _client = attempt(path, "edith", "wrong", "198.51.100.1")
        assert response.status_code == 200
    response, client = attempt(path, "edith", PASSWORD, "198.51.100.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    assert "Too many failed attempts. Try again in 1 minute." in response.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_admin_and_site_forms_share_one_count(editor):
    for path in ["/admin/login/", "/accounts/login/"] * 2 + ["/admin/login/"]:
        attempt(path, "edith", "wrong", "198.51.100.1")
    response, _client = attempt("/accounts/login/", "edith", PASSWORD, "198.51.100.1")
    assert response.status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("path", LOGIN_FORMS)
def test_failures_from_many_addresses_never_lock_the_owner_out(editor, path):
    for number in range(10):
        response, _client = attempt(path, "edith", "wrong", f"203.0.113.{number}")
        assert response.status_code == 200
    response, client = attempt(path, "edith", PASSWORD, "192.0.2.50")
    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_the_delay_doubles_with_each_failure_past_the_free_ones(editor):
    address = "198.51.100.1"
    for _ in range(5):
        attempt("/accounts/login/", "edith", "wrong", address)
    delays = []
    for _ in range(4):
        row = LoginThrottle.objects.get(username="edith", address=address)
        assert row.locked_until is not None
        delays.append(round((row.locked_until - row.last_failure_at).total_seconds()))
        # The wait is over: the next wrong password is checked, and costs more.
        LoginThrottle.objects.filter(pk=row.pk).update(
            locked_until=timezone.now() - timedelta(seconds=1)
        )
        assert attempt("/accounts/login/", "edith", "wrong", address)[0].status_code == 200
    assert delays == [60, 120, 240, 480]
    row = LoginThrottle.objects.get(username="edith", address=address)
    assert row.locked_until is not None
    assert round((row.locked_until - row.last_failure_at).total_seconds()) == 900  # the ceiling


@pytest.mark.django_db
def test_a_refused_attempt_does_not_check_the_password_nor_lengthen_the_wait(editor):
    for _ in range(5):
        attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")
    before = LoginThrottle.objects.get(username="edith")
    for _ in range(3):
        assert attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")[0].status_code == 429
    after = LoginThrottle.objects.get(username="edith")
    assert (after.failures, after.locked_until) == (before.failures, before.locked_until)


@pytest.mark.django_db
def test_a_colleague_behind_the_same_address_still_logs_in(editor, moderator):
    for _ in range(8):
        attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")
    response, client = attempt("/accounts/login/", "moe", PASSWORD, "198.51.100.1")
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_an_address_spraying_many_accounts_is_slowed_after_the_documented_cap(
    editor, moderator, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6  # the default is 30: fewer password hashes here
    nat = "198.51.100.1"
    for number in range(6):
        response, _client = attempt("/accounts/login/", f"user{number}", "wrong", nat)
        assert response.status_code == 200
    response, client = attempt("/accounts/login/", "moe", PASSWORD, nat)
    assert response.status_code == 429 and not logged_in(client)
    # Only that address: the same account from elsewhere is not affected.
    response, client = attempt("/accounts/login/", "moe", PASSWORD, "192.0.2.9")
    assert response.status_code == 302 and logged_in(client)


def test_the_per_address_cap_leaves_room_for_a_newsroom(settings):
    assert settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS == 5
    assert settings.LOGIN_FAILURES_PER_ADDRESS == 30


@pytest.mark.django_db
def test_a_successful_login_clears_its_own_count_only(editor):
    for _ in range(4):
        attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")
    assert attempt("/accounts/login/", "edith", PASSWORD, "198.51.100.1")[0].status_code == 302
    assert not LoginThrottle.objects.filter(username="edith").exists()
    # The address keeps its count: spraying cannot be laundered by one good login.
    assert LoginThrottle.objects.get(username="", address="198.51.100.1").failures == 4


@pytest.mark.django_db
def test_locks_are_audited(editor):
    for _ in range(5):
        attempt("/admin/login/", "edith", "wrong", "198.51.100.1")
    event = AuditEvent.objects.get(action="login.lock")
    assert event.actor_label == "system"
    assert event.details == {
        "account": "edith",
        "address_hash": hash_identifier("198.51.100.1")[:16],
        "failures": 5,
        "seconds": 60,
    }
    row = LoginThrottle.objects.get(username="edith")
    assert (
        event.object_id == str(row.pk) and event.object_repr == f"login throttle #{row.pk} (edith)"
    )
    # The append-only log keeps no address in clear, as for readers.
    assert "198.51.100.1" not in str(event.details) + event.object_repr


@pytest.mark.django_db
def test_admins_see_the_lock_state_and_can_unlock_with_an_audit_row(editor, admin_client_):
    for _ in range(5):
        attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")
    page = admin_client_.get("/admin/outagedesk/loginthrottle/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "edith" in html and "198.51.100.1" in html
    assert "(every account from this address)" in html
    assert 'alt="True"' in html  # the "locked now" column of edith's row

    row = LoginThrottle.objects.get(username="edith")
    response = admin_client_.post(
        "/admin/outagedesk/loginthrottle/",
        {"action": "unlock", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(username="edith").exists()
    event = AuditEvent.objects.get(action="login.unlock")
    assert event.actor_label == "ada" and event.details["account"] == "edith"
    response, client = attempt("/accounts/login/", "edith", PASSWORD, "198.51.100.1")
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_other_staff_cannot_see_the_lock_state(role):
    client = Client()
    client.force_login(make_user(f"staff-{role}", role))
    assert client.get("/admin/outagedesk/loginthrottle/").status_code == 403


@pytest.mark.django_db
def test_the_throttle_message_is_translated(editor):
    for _ in range(5):
        attempt("/accounts/login/", "edith", "wrong", "198.51.100.1")
    client = Client(headers={"Accept-Language": "fr"})
    response = client.post(
        "/accounts/login/",
        {"username": "edith", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )
    assert response.status_code == 429
    assert "Trop de tentatives échouées. Réessayez dans 1\u00a0minute." in response.content.decode()
