"""One bad item never blinds a source: each item is checked on its own, a bad one is skipped and
counted in the source's health, and the good ones of the same run are stored."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from incidents.gathering import gather_source
from incidents.models import Evidence, Source
from tests.factories import make_source


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def mastodon_server(settings, hostile_server):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{hostile_server.port}"]
    return hostile_server


def status(index: int, content: str, **extra) -> dict:
    return {
        "id": str(index),
        "uri": f"https://social.example/statuses/{index}",
        "url": f"https://social.example/@reader/{index}",
        "created_at": "2025-10-14T16:00:00.000Z",
        "language": "en",
        "content": content,
        "account": {"acct": "reader@social.example"},
        **extra,
    }


def test_a_lone_surrogate_skips_that_item_only(whatsapp, mastodon_server):
    mastodon_server.mastodon_statuses = [
        status(1, "<p>WhatsApp down for me</p>"),
        status(2, "<p>Broken \ud800 text</p>"),
        status(3, "<p>WhatsApp messages not sending</p>"),
    ]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")

    outcome = gather_source(source.pk, force=True)

    assert outcome.status == "ok"
    assert outcome.created == 2
    stored = set(Evidence.objects.filter(source=source).values_list("text", flat=True))
    assert stored == {"WhatsApp down for me", "WhatsApp messages not sending"}
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.last_error == ""
    assert source.last_item_count == 2
    assert source.health_summary == "2 stored, 1 skipped: invalid text"


@pytest.mark.parametrize(
    "field",
    [
        {"spoiler_text": "warning \udfff"},
        {"account": {"acct": "\ud83d@social.example"}},
        {"url": "https://social.example/\udc80"},
        {"replies_count": "12\ud800"},
    ],
    ids=["title", "author", "url", "raw"],
)
def test_a_bad_text_in_any_field_skips_the_item(whatsapp, mastodon_server, field):
    mastodon_server.mastodon_statuses = [status(1, "fine"), status(2, "also fine", **field)]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")

    assert gather_source(source.pk, force=True).created == 1
    source.refresh_from_db()
    assert source.health_summary == "1 stored, 1 skipped: invalid text"


def test_the_source_keeps_working_on_the_next_poll(whatsapp, mastodon_server):
    bad = status(9, "\ud800")
    mastodon_server.mastodon_statuses = [status(1, "first"), bad]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")
    gather_source(source.pk, force=True)

    mastodon_server.mastodon_statuses = [status(2, "second"), status(1, "first"), bad]
    outcome = gather_source(source.pk, force=True)

    assert (outcome.status, outcome.created) == ("ok", 1)
    assert Evidence.objects.filter(source=source).count() == 2
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.health_summary == "1 stored, 1 skipped: invalid text"


def test_a_clean_run_says_only_what_was_stored(whatsapp, mastodon_server):
    mastodon_server.mastodon_statuses = [status(1, "one"), status(2, "two")]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")
    gather_source(source.pk, force=True)
    source.refresh_from_db()
    assert source.health_summary == "2 stored"


def test_the_summary_is_in_the_staff_language(whatsapp, mastodon_server):
    mastodon_server.mastodon_statuses = [status(1, "un"), status(2, "deux"), status(3, "\ud800")]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")
    gather_source(source.pk, force=True)
    source.refresh_from_db()
    with translation.override("fr"):
        assert source.health_summary == "2 enregistrés, 1 ignoré\u00a0: texte invalide"


def test_staff_see_the_skipped_items_in_the_source_health(whatsapp, mastodon_server, client):
    mastodon_server.mastodon_statuses = [status(1, "ok"), status(2, "bad \ud800")]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")
    gather_source(source.pk, force=True)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client.force_login(admin)

    listing = client.get("/admin/incidents/source/?kind=mastodon", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/admin/incidents/source/{source.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")

    assert "1 stored, 1 skipped: invalid text" in listing.content.decode()
    assert "1 stored, 1 skipped: invalid text" in page.content.decode()
    assert Source.objects.get(pk=source.pk).last_skipped == {"invalid_text": 1}
