"""Every public URL is open to everyone, the same for everyone, and read-only."""

import pytest

PUBLIC_URLS = [
    "/en/",
    "/en/incidents/whatsapp-down-europe/",
    "/incidents/whatsapp-down-europe/state.json",
    "/incidents/whatsapp-down-europe/feed.atom",
    "/feeds/incidents.atom",
    "/feeds/incidents.rss",
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/components.json",
    "/api/v2/incidents.json",
    "/api/v2/incidents/unresolved.json",
    "/embed/banner.js",
    "/embed/banner.json?service=whatsapp",
    "/embed/banner.html?service=whatsapp",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_anonymous_reader_and_every_role_get_the_same_response(
    client, reader_client, moderator_client, editor_client, admin_client_, active_incident, url
):
    etags = set()
    for each in (client, reader_client, moderator_client, editor_client, admin_client_):
        response = each.get(url)
        assert response.status_code == 200
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies
        etags.add(response["ETag"])
    assert len(etags) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_refuse_writes(client, reader_client, editor_client, active_incident, url):
    for each in (client, reader_client, editor_client):
        assert each.post(url).status_code == 405
        assert each.delete(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_head_answers_like_get_without_a_body(client, active_incident, url):
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == client.get(url)["ETag"]
