"""Every moderation view and action: anonymous → login, no role or editor only → 403, nothing
changed; moderators and admins allowed. Staff POSTs need the CSRF token."""

import pytest
from django.test import Client

from comments.models import CannedReply, Comment, ModerationAction, OfficialReply
from incidents.models import FAQEntry
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(incident):
    return make_comment(
        incident=incident,
        name="Camille",
        text="Est-ce que mes messages ont été perdus ?",
        address_hash="a" * 64,
        language="fr",
    )


@pytest.fixture
def answered(incident):
    comment = make_comment(
        incident=incident,
        name="Léa",
        text="Quand est-ce que ça revient ?",
        address_hash="b" * 64,
        status=Comment.Status.APPROVED,
        needs_review=False,
        language="fr",
    )
    OfficialReply.objects.create(comment=comment, text="On ne sait pas encore.")
    return comment


def _canned():
    return CannedReply.objects.get(category="messages-lost", language="fr")


# (name, method, url, data, effect) — effect(comment, answered) says whether the action happened.
def actions(waiting, answered):
    canned = _canned()
    return [
        ("queue", "get", "/moderation/", None, None),
        ("counts", "get", "/moderation/counts/", None, None),
        ("canned list", "get", "/moderation/replies/", None, None),
        ("canned new form", "get", "/moderation/replies/new/", None, None),
        ("canned edit form", "get", f"/moderation/replies/{canned.pk}/", None, None),
        ("reply form", "get", f"/moderation/comments/{waiting.pk}/reply/", None, None),
        (
            "approve",
            "post",
            f"/moderation/comments/{waiting.pk}/approve/",
            {},
            lambda: Comment.objects.get(pk=waiting.pk).status == "approved",
        ),
        (
            "reject",
            "post",
            f"/moderation/comments/{waiting.pk}/reject/",
            {"reason": "off-topic"},
            lambda: Comment.objects.get(pk=waiting.pk).status == "rejected",
        ),
        (
            "spam",
            "post",
            f"/moderation/comments/{waiting.pk}/spam/",
            {},
            lambda: Comment.objects.get(pk=waiting.pk).status == "spam",
        ),
        (
            "ban",
            "post",
            f"/moderation/comments/{waiting.pk}/ban/",
            {"reason": "offensive"},
            lambda: Comment.objects.get(pk=waiting.pk).status == "rejected",
        ),
        (
            "reply",
            "post",
            f"/moderation/comments/{waiting.pk}/reply/",
            {"canned_reply": canned.pk},
            lambda: OfficialReply.objects.filter(comment=waiting).exists(),
        ),
        (
            "promote",
            "post",
            f"/moderation/comments/{answered.pk}/promote/",
            {"question": "Quand est-ce que ça revient ?", "answer": "On ne sait pas encore."},
            lambda: (
                FAQEntry.objects.filter(incident=answered.incident, is_published=True)
                .filter(question="Quand est-ce que ça revient ?")
                .exists()
            ),
        ),
        (
            "bulk",
            "post",
            "/moderation/bulk/",
            {"action": "spam", "ids": [waiting.pk]},
            lambda: Comment.objects.get(pk=waiting.pk).status == "spam",
        ),
        (
            "canned create",
            "post",
            "/moderation/replies/new/",
            {"category": "x", "language": "en", "question": "q?", "text": "t", "is_active": "on"},
            lambda: CannedReply.objects.filter(category="x").exists(),
        ),
        (
            "canned edit",
            "post",
            f"/moderation/replies/{canned.pk}/",
            {"category": "edited", "language": "fr", "question": "q?", "text": "t"},
            lambda: CannedReply.objects.filter(category="edited").exists(),
        ),
    ]


@pytest.fixture
def all_actions(waiting, answered):
    return actions(waiting, answered)


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data or {})


ACTION_NAMES = [
    "queue", "counts", "canned list", "canned new form", "canned edit form", "reply form", "approve",
    "reject", "spam", "ban", "reply", "promote", "bulk", "canned create", "canned edit",
]  # fmt: skip


def _find(all_actions, name):
    return next(a for a in all_actions if a[0] == name)


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_anonymous_is_sent_to_login_and_nothing_changes(client, all_actions, name):
    _, method, url, data, effect = _find(all_actions, name)
    response = _call(client, method, url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert effect is None or not effect()


@pytest.mark.parametrize("who", ["reader", "editor"])
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_users_without_the_moderator_role_are_refused(
    who, name, all_actions, reader_client, editor_client
):
    client = reader_client if who == "reader" else editor_client
    _, method, url, data, effect = _find(all_actions, name)
    response = _call(client, method, url, data)
    assert response.status_code == 403
    assert effect is None or not effect()


@pytest.mark.parametrize("who", ["moderator", "admin"])
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_moderators_and_admins_may(who, name, all_actions, moderator_client, admin_client_):
    client = moderator_client if who == "moderator" else admin_client_
    _, method, url, data, effect = _find(all_actions, name)
    response = _call(client, method, url, data)
    assert response.status_code in (200, 302, 303)
    if response.status_code != 200:
        assert not response["Location"].startswith("/accounts/login/")
    assert effect is None or effect()


def test_undo_is_for_moderators_only(client, reader_client, editor_client, moderator, waiting):
    moderator_client = Client()
    moderator_client.force_login(moderator)
    moderator_client.post(f"/moderation/comments/{waiting.pk}/approve/")

    assert client.post("/moderation/undo/").status_code == 302
    assert reader_client.post("/moderation/undo/").status_code == 403
    assert editor_client.post("/moderation/undo/").status_code == 403
    assert Comment.objects.get(pk=waiting.pk).status == "approved"

    assert moderator_client.post("/moderation/undo/").status_code == 302
    assert Comment.objects.get(pk=waiting.pk).status == "pending"


def test_staff_posts_need_the_csrf_token(csrf_client_factory, moderator, waiting):
    client = csrf_client_factory(moderator)

    refused = client.post(f"/moderation/comments/{waiting.pk}/approve/")
    assert refused.status_code == 403
    assert Comment.objects.get(pk=waiting.pk).status == "pending"
    assert not ModerationAction.objects.exists()

    client.get("/moderation/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"/moderation/comments/{waiting.pk}/approve/", {"csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Comment.objects.get(pk=waiting.pk).status == "approved"


def test_htmx_posts_carry_the_token_in_a_header(csrf_client_factory, moderator, waiting):
    client = csrf_client_factory(moderator)
    client.get("/moderation/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        f"/moderation/comments/{waiting.pk}/spam/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200
    assert Comment.objects.get(pk=waiting.pk).status == "spam"


def test_get_is_not_allowed_on_actions(moderator_client, waiting):
    for action in ("approve", "reject", "spam", "ban", "promote"):
        assert (
            moderator_client.get(f"/moderation/comments/{waiting.pk}/{action}/").status_code == 405
        )
    assert Comment.objects.get(pk=waiting.pk).status == "pending"


def test_every_moderation_url_is_role_protected():
    from django.urls import get_resolver

    # Slow mode calms an incident's crowd: its editors may switch it too.
    wider: dict[str | None, tuple[str, ...]] = {"slow_mode": ("editor", "moderator")}
    resolver = get_resolver("comments.urls")
    for pattern in resolver.url_patterns:
        expected = wider.get(pattern.name, ("moderator",))
        assert getattr(pattern.callback, "required_roles", None) == expected, pattern.name
