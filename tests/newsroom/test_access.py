"""Every newsroom action: anonymous users go to the login page, moderators and readers are
refused, editors get in, and every change needs the CSRF token."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from incidents.models import Evidence
from outagedesk.models import AuditEvent
from outagedesk.roles import EDITOR
from tests.factories import make_evidence, make_update


@pytest.fixture
def targets(incident, downdetector):
    evidence = make_evidence(downdetector)
    update = make_update(
        incident=incident,
        status="investigating",
        title="Reports",
        message="Users report trouble",
        language="fr",
        published_at=incident.started_at,
    )
    from incidents.services.faq import faq_prefill

    faq_prefill(actor=None, incident=incident)
    entry = incident.faq_entries.first()
    pk = incident.pk
    gets = [
        reverse("newsroom:dashboard"),
        reverse("newsroom:incident_new"),
        reverse("newsroom:workspace", args=[pk]),
        reverse("newsroom:inbox", args=[pk]),
        reverse("newsroom:composer", args=[pk]),
    ]
    posts = [
        (reverse("newsroom:incident_new"), {"title": "x"}),
        (reverse("newsroom:incident_state", args=[pk]), {"version": 1, "title": "Changed"}),
        (reverse("newsroom:incident_dismiss", args=[pk]), {}),
        (reverse("newsroom:evidence_verify", args=[pk, evidence.pk]), {}),
        (reverse("newsroom:evidence_reject", args=[pk, evidence.pk]), {}),
        (reverse("newsroom:preview", args=[pk]), {"title": "x"}),
        (
            reverse("newsroom:publish", args=[pk]),
            {
                "title": "t",
                "message": "m",
                "status": "investigating",
                "language": "fr",
                "confirmation": "report",
                "seen_update": update.pk,
            },
        ),
        (reverse("newsroom:faq_prefill", args=[pk]), {}),
        (reverse("newsroom:faq_add", args=[pk]), {"faqnew-question": "Why?"}),
        (reverse("newsroom:faq_save", args=[pk, entry.pk]), {}),
    ]
    return {"gets": gets, "posts": posts, "evidence": evidence}


def test_every_newsroom_view_requires_the_editor_role():
    patterns = [
        p
        for p in get_resolver().url_patterns
        if getattr(p, "pattern", None) and str(p.pattern) == "newsroom/"
    ]
    assert patterns, "newsroom/ is included in the root URLconf"
    views = [p.callback for p in patterns[0].url_patterns if isinstance(p, URLPattern)]
    assert len(views) == 23
    for view in views:
        assert getattr(view, "required_roles", None) == (EDITOR,), view.__name__


def test_anonymous_users_are_sent_to_login(client, targets):
    for url in targets["gets"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    for url, data in targets["posts"]:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("who", ["moderator_client", "reader_client"])
def test_moderators_and_readers_are_refused(request, who, targets, incident):
    http = request.getfixturevalue(who)
    for url in targets["gets"]:
        assert http.get(url).status_code == 403, url
    for url, data in targets["posts"]:
        assert http.post(url, data).status_code == 403, url
    incident.refresh_from_db()
    assert incident.status == "suspected" and incident.title == "WhatsApp: possible outage"
    assert not AuditEvent.objects.filter(action__startswith="incident.").exists()
    assert Evidence.objects.get(pk=targets["evidence"].pk).state == "unverified"


def test_editors_and_admins_get_in(editor_client, admin_client_, targets):
    for http in (editor_client, admin_client_):
        for url in targets["gets"]:
            response = http.get(url, HTTP_HX_REQUEST="true")
            assert response.status_code in (200, 204), url


def test_changes_need_the_csrf_token(csrf_client_factory, editor, targets, incident):
    http = csrf_client_factory(editor)
    for url, data in targets["posts"]:
        assert http.post(url, data).status_code == 403, url
    incident.refresh_from_db()
    assert incident.status == "suspected"
    assert incident.updates.count() == 1
    assert Evidence.objects.get(pk=targets["evidence"].pk).state == "unverified"


def test_changes_refuse_get(editor_client, targets):
    for url, _data in targets["posts"]:
        if url.endswith("/incidents/new/"):
            continue  # the form page itself
        assert editor_client.get(url).status_code == 405, url
