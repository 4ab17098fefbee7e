"""Crisis load: public responses come from the cache with an ETag, answer conditional requests
with 304, tell CDNs how long to keep them, and change as soon as something is published."""

import pytest
from django.core.cache import cache as django_cache
from django.utils.http import http_date

from public import cache as public_cache
from tests.factories import make_update
from tests.services import free_port

PAGE = "/en/incidents/whatsapp-down-europe/"
CACHED_URLS = [
    "/en/",
    PAGE,
    "/incidents/whatsapp-down-europe/state.json",
    "/incidents/whatsapp-down-europe/feed.atom",
    "/feeds/incidents.atom",
    "/feeds/incidents.rss",
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/components.json",
    "/api/v2/incidents.json",
    "/api/v2/incidents/unresolved.json",
    "/embed/banner.json?service=whatsapp",
    "/embed/banner.html?service=whatsapp",
    "/embed/banner.js",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", CACHED_URLS)
def test_etag_answers_304_and_cache_control_suits_a_cdn(client, active_incident, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"')
    control = first["Cache-Control"]
    assert control.startswith("public")
    if "state.json" in url:
        assert "no-cache" in control  # the poll always revalidates, and gets a 304
    else:
        assert "max-age=" in control and "stale-while-revalidate=" in control
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # What nginx sends after gzip: a weak validator still matches.
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.django_db
def test_if_modified_since_answers_304(client, active_incident):
    first = client.get(PAGE)
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    old = http_date(active_incident.started_at.timestamp())
    assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=old).status_code == 200


@pytest.mark.django_db
def test_banner_json_has_the_documented_headers(client, active_incident):
    response = client.get("/embed/banner.json?service=whatsapp")
    assert response["Cache-Control"] == (
        "public, max-age=30, stale-while-revalidate=300, stale-if-error=86400"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    not_modified = client.get(
        "/embed/banner.json?service=whatsapp", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_pages_are_served_from_the_cache_until_something_is_published(
    client, active_incident, publish, django_assert_max_num_queries
):
    first = client.get(PAGE)
    # Written behind the publishing service's back (no signal): readers keep the cached page.
    make_update(
        incident=active_incident,
        status="identified",
        title="Unannounced row",
        message="m",
        language="en",
        published_at=active_incident.started_at,
    )
    with django_assert_max_num_queries(0):
        cached = client.get(PAGE)
    assert cached.status_code == 200
    assert b"Unannounced row" not in cached.content
    state_before = client.get("/incidents/whatsapp-down-europe/state.json").json()

    publish(active_incident, title="Fix being rolled out", status="monitoring")
    fresh = client.get(PAGE)
    assert b"Fix being rolled out" in fresh.content
    assert fresh["ETag"] != first["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    state_after = client.get("/incidents/whatsapp-down-europe/state.json").json()
    assert state_after["version"] != state_before["version"]
    assert b"Fix being rolled out" in client.get("/embed/banner.json?service=whatsapp").content
    assert b"Fix being rolled out" in client.get("/feeds/incidents.atom").content
    assert b"Fix being rolled out" in client.get("/api/v2/summary.json").content


@pytest.mark.django_db
def test_resolving_removes_the_incident_from_banner_and_unresolved(client, active_incident, change):
    assert client.get("/embed/banner.json?service=whatsapp").json()["incidents"]
    assert client.get("/api/v2/incidents/unresolved.json").json()["incidents"]
    change(active_incident, status="resolved", resolved_at=active_incident.started_at)
    assert client.get("/embed/banner.json?service=whatsapp").json()["incidents"] == []
    assert client.get("/api/v2/incidents/unresolved.json").json()["incidents"] == []
    assert b"is working again" in client.get(PAGE).content


@pytest.mark.django_db
def test_unpublishing_takes_the_page_down_at_once(client, active_incident, change):
    assert client.get(PAGE).status_code == 200
    change(active_incident, is_public=False)
    assert client.get(PAGE).status_code == 404
    assert client.get("/incidents/whatsapp-down-europe/state.json").status_code == 404


@pytest.mark.django_db
def test_each_response_gets_its_own_csp_nonce_from_the_cached_body(client, active_incident):
    first, second = client.get(PAGE), client.get(PAGE)
    assert first["ETag"] == second["ETag"]
    nonces = set()
    for response in (first, second):
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"'.encode() in response.content
        assert public_cache.NONCE_PLACEHOLDER.encode() not in response.content
        nonces.add(nonce)
    assert len(nonces) == 2


@pytest.fixture
def cache_down(settings):
    """The production cache backend (outagedesk/cache.py) with its Redis gone: nothing listens
    at its address, every call is refused."""
    settings.CACHES = {
        "default": {
            "BACKEND": "outagedesk.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.mark.django_db
def test_pages_are_still_served_when_the_cache_is_down(client, active_incident, cache_down):
    for url in (PAGE, "/api/v2/summary.json", "/embed/banner.json?service=whatsapp"):
        response = client.get(url)
        assert response.status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_failing_render_serves_the_previous_body(client, active_incident, monkeypatch):
    first = client.get(PAGE)
    public_cache.invalidate_all()

    def database_down(slug):
        raise ConnectionError("database restarting")

    monkeypatch.setattr("public.pages.render_incident_page", database_down)
    stale = client.get(PAGE)
    assert stale.status_code == 200
    assert stale["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_only_one_reader_rerenders_a_stale_entry(client, active_incident, monkeypatch):
    client.get(PAGE)
    public_cache.invalidate_all()
    key = public_cache.make_key("page", "whatsapp-down-europe")
    django_cache.add(f"{key}:lock", 1, 10)  # another worker is re-rendering right now
    calls = []

    def render_fails(slug):
        calls.append(slug)
        return 1 / 0

    monkeypatch.setattr("public.pages.render_incident_page", render_fails)
    assert client.get(PAGE).status_code == 200
    assert calls == []


@pytest.mark.django_db
def test_publishing_rerenders_the_incident_page_banner_and_api_at_once(
    client, active_incident, publish, django_assert_max_num_queries
):
    client.get(PAGE)
    publish(active_incident, title="Rendered before anyone asks", status="monitoring")
    # Already rendered by the publish itself: readers (and nginx) get it without a render.
    for url in (
        PAGE,
        "/incidents/whatsapp-down-europe/state.json",
        "/embed/banner.json?service=whatsapp&lang=fr",
        "/embed/banner.json",
        "/api/v2/summary.json",
    ):
        with django_assert_max_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200
    assert b"Rendered before anyone asks" in client.get(PAGE).content


@pytest.mark.django_db
def test_a_failing_warm_up_never_breaks_publishing(client, active_incident, publish, monkeypatch):
    def broken(slug):
        raise RuntimeError("template error")

    monkeypatch.setattr("public.pages.render_incident_page", broken)
    update = publish(active_incident, title="Still published")
    assert update.pk
    monkeypatch.undo()
    assert b"Still published" in client.get(PAGE).content


@pytest.mark.django_db
def test_an_entry_of_a_shape_this_deploy_does_not_know_is_rendered_again(client, active_incident):
    """What another version of the code left in the cache (during a rolling deploy) is a miss,
    never an error for every reader until it expires."""
    key = public_cache.make_key("page", "whatsapp-down-europe")
    django_cache.set(key, {"body": b"an older shape", "etag": '"old"'}, 60)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert b"WhatsApp down in Europe" in response.content
    assert response["ETag"] != '"old"'
