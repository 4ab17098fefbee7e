"""A source cannot flood the inbox: each run stores at most GATHER_MAX_ITEMS_PER_RUN items (the
first ones the source lists, its newest), and the overflow is counted in the source's health."""

import pytest
from django.utils import translation

from incidents.gathering import gather_source
from incidents.models import Evidence
from tests.factories import make_source
from tests.gathering.test_bad_items import status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def mastodon_server(settings, hostile_server):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{hostile_server.port}"]
    return hostile_server


def test_the_default_cap_is_200_items_per_run(whatsapp, mastodon_server):
    mastodon_server.mastodon_statuses = [status(i, f"post {i}") for i in range(260)]
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")

    outcome = gather_source(source.pk, force=True)

    assert outcome.created == 200
    assert Evidence.objects.filter(source=source).count() == 200
    assert Evidence.objects.filter(source=source, text="post 0").exists()
    assert not Evidence.objects.filter(source=source, text="post 200").exists()
    source.refresh_from_db()
    assert source.health_summary == "200 stored, 60 skipped: over the 200 items per run"


def test_the_cap_is_a_setting(whatsapp, mastodon_server, settings):
    settings.GATHER_MAX_ITEMS_PER_RUN = 5
    mastodon_server.mastodon_statuses = [status(i, f"post {i}") for i in range(8)]
    mastodon_server.mastodon_statuses.insert(1, status(99, "bad \ud800"))
    source = make_source(whatsapp, "mastodon", f"{mastodon_server.url}/mastodon")

    assert gather_source(source.pk, force=True).created == 4
    source.refresh_from_db()
    assert source.last_skipped == {"invalid_text": 1, "over_cap": 4}
    assert source.health_summary == (
        "4 stored, 5 skipped: 1 invalid text, 4 over the 5 items per run"
    )
