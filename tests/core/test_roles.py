"""Roles: groups from the data migration, the staff-user command, and the role check every staff
view uses (walked over the URL resolver, so a new staff view cannot escape it)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver

from outagedesk.models import AuditEvent
from outagedesk.roles import has_role


@pytest.mark.django_db
def test_roles_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {"editor", "moderator", "admin"}


@pytest.mark.django_db
def test_create_staff_user_gives_the_role_and_is_audited():
    call_command("create_staff_user", "nadia", "--role", "editor", "--password", "s3cure-pass!")
    user = get_user_model().objects.get(username="nadia")
    assert user.check_password("s3cure-pass!")
    assert user.is_staff and not user.is_superuser
    assert has_role(user, "editor") and not has_role(user, "moderator")
    event = AuditEvent.objects.get(action="user.created")
    assert event.object_repr == "nadia" and event.details == {"role": "editor"}


@pytest.mark.django_db
def test_create_staff_user_refuses_a_short_password():
    with pytest.raises(CommandError, match="at least 8"):
        call_command("create_staff_user", "bob", "--role", "moderator", "--password", "short")


@pytest.mark.django_db
def test_admin_role_passes_every_role_check():
    call_command("create_staff_user", "root2", "--role", "admin", "--password", "s3cure-pass!")
    user = get_user_model().objects.get(username="root2")
    assert has_role(user, "editor") and has_role(user, "moderator") and user.is_superuser


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin has its own staff check, tested separately
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def staff_patterns():
    found = []
    for route, pattern in _walk(get_resolver()):
        roles = getattr(pattern.callback, "required_roles", None)
        if roles:
            found.append((route, pattern, roles))
    return found


def _sample_path(route: str) -> str:
    """Fill converters with values that resolve; the role check runs before any lookup."""
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<slug:[^>]+>|<str:[^>]+>|<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_staff_view_is_protected_by_a_role():
    """Views under /newsroom/ and /moderation/ must all carry role_required."""
    for route, pattern, _roles in [(r, p, None) for r, p in _walk(get_resolver())]:
        if route.startswith(("newsroom/", "moderation/")):
            assert getattr(pattern.callback, "required_roles", None), f"/{route} has no role check"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_url_denies_anonymous_and_role_less_users(client, reader_client, method):
    for route, _pattern, _roles in staff_patterns():
        path = _sample_path(route)
        response = getattr(client, method)(path)
        assert response.status_code in (302, 405), f"{method} {path} anonymous"
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
        response = getattr(reader_client, method)(path)
        assert response.status_code in (403, 405), f"{method} {path} reader"


@pytest.mark.django_db
def test_admin_denies_users_without_staff_status(client, reader_client):
    assert client.get("/admin/").status_code == 302
    assert reader_client.get("/admin/").status_code == 302
