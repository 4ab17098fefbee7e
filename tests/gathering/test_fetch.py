"""The safe fetch wrapper: what it refuses, what it caps, and how it reports it."""

import socket

import pytest

from outagedesk.lib.fetch import (
    FetchBadContent,
    FetchBlockedAddress,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
    FetchTooLarge,
    address_is_public,
    parse_retry_after,
    safe_fetch,
)


@pytest.fixture
def only_hostile_allowed(settings, hostile_server):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{hostile_server.port}"]
    return hostile_server


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://[::1]:9/",
        "http://10.0.0.8/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_private_loopback_and_metadata_addresses_are_refused(settings, url):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = []
    with pytest.raises(FetchBlockedAddress, match="private or reserved address"):
        safe_fetch(url)


def test_metadata_host_name_is_refused_before_any_lookup(settings):
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchBlockedAddress, match="metadata"):
        safe_fetch("http://metadata.google.internal/computeMetadata/v1/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "gopher://x/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchBlockedAddress, match="only http and https"):
        safe_fetch(url)


def test_public_address_classification():
    assert address_is_public("93.184.216.34")
    assert address_is_public("2606:2800:220:1:248:1893:25c8:1946")
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "169.254.169.254", "fd00:ec2::254",
                    "::1", "fe80::1", "224.0.0.1", "100.64.0.1", "::ffff:10.0.0.1"):  # fmt: skip
        assert not address_is_public(address), address


def test_a_name_with_one_private_address_among_public_ones_is_refused(settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = False
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "mixed.example":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchBlockedAddress, match="mixed.example resolves to 127.0.0.1"):
        safe_fetch("http://mixed.example/")


def test_the_connection_goes_to_the_address_that_was_checked(settings, monkeypatch, replay_server):
    """DNS rebinding: the name is resolved once, checked, and that very address is dialled."""
    port = int(replay_server.url.rsplit(":", 1)[1].strip("/"))
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [f"rebind.example:{port}"]
    answers = iter(["127.0.0.1"])
    real = socket.getaddrinfo

    def fake(host, port_, *args, **kwargs):
        if host == "rebind.example":
            # A second lookup would get a different answer; there must not be one.
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port_))]
        return real(host, port_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    result = safe_fetch(f"http://rebind.example:{port}/statuspage_summary.json")
    assert result.json()["page"]["name"] == "Discord"


def test_allowed_host_port_passes_and_nothing_else_on_that_host(only_hostile_allowed):
    server = only_hostile_allowed
    assert safe_fetch(f"{server.url}/ok").status == 200
    with pytest.raises(FetchBlockedAddress):
        safe_fetch(f"http://127.0.0.1:{server.redirect_target_port}/")


def test_redirect_to_loopback_is_refused_on_the_hop(only_hostile_allowed):
    with pytest.raises(FetchBlockedAddress, match="127.0.0.1, a private or reserved address"):
        safe_fetch(f"{only_hostile_allowed.url}/redirect-loopback")


def test_redirect_to_cloud_metadata_is_refused(only_hostile_allowed):
    with pytest.raises(FetchBlockedAddress, match="169.254.169.254"):
        safe_fetch(f"{only_hostile_allowed.url}/redirect-metadata")


def test_redirects_are_capped(only_hostile_allowed):
    with pytest.raises(FetchHTTPError, match="more than 3 redirects") as caught:
        safe_fetch(f"{only_hostile_allowed.url}/redirect-loop")
    assert caught.value.status == 302
    assert len(only_hostile_allowed.requests) == 4  # the first request and 3 redirects


def test_read_timeout(only_hostile_allowed):
    with pytest.raises(FetchTimeout, match="did not answer"):
        safe_fetch(f"{only_hostile_allowed.url}/slow", timeout=(1, 0.3))


def test_http_error_status(only_hostile_allowed):
    with pytest.raises(FetchHTTPError, match="HTTP 500") as caught:
        safe_fetch(f"{only_hostile_allowed.url}/error")
    assert caught.value.status == 500
    assert caught.value.retry_after is None


def test_429_reports_retry_after(only_hostile_allowed):
    with pytest.raises(FetchHTTPError, match="retry after 120s") as caught:
        safe_fetch(f"{only_hostile_allowed.url}/limited")
    assert caught.value.status == 429
    assert caught.value.retry_after == 120


def test_retry_after_as_an_http_date():
    from datetime import UTC, datetime

    now = datetime(2025, 10, 14, 16, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 14 Oct 2025 16:02:00 GMT", now=now) == 120
    assert parse_retry_after("soon", now=now) is None


def test_declared_50_megabytes_are_refused_before_reading(only_hostile_allowed):
    with pytest.raises(FetchTooLarge, match="52,428,800 bytes"):
        safe_fetch(f"{only_hostile_allowed.url}/huge")


def test_undeclared_50_megabytes_stop_at_the_cap(only_hostile_allowed):
    with pytest.raises(FetchTooLarge, match="larger than the 5,000,000 bytes"):
        safe_fetch(f"{only_hostile_allowed.url}/huge-stream")


def test_gzip_bomb_stops_at_the_cap_of_decompressed_bytes(only_hostile_allowed):
    with pytest.raises(FetchTooLarge, match="decompresses to more than 5,000,000 bytes"):
        safe_fetch(f"{only_hostile_allowed.url}/bomb")


def test_gzip_body_is_decompressed(only_hostile_allowed):
    result = safe_fetch(f"{only_hostile_allowed.url}/gzip-ok")
    assert result.json()[0]["content"] == "gzip ok"


def test_invalid_utf8_is_bad_content(only_hostile_allowed):
    result = safe_fetch(f"{only_hostile_allowed.url}/bad-utf8")
    with pytest.raises(FetchBadContent, match="not valid UTF-8"):
        result.json()


def test_html_where_json_was_expected_is_bad_content(only_hostile_allowed):
    result = safe_fetch(f"{only_hostile_allowed.url}/html")
    with pytest.raises(FetchBadContent, match="expected JSON, got text/html"):
        result.json()


def test_malformed_json_is_bad_content(only_hostile_allowed):
    with pytest.raises(FetchBadContent, match="malformed JSON"):
        safe_fetch(f"{only_hostile_allowed.url}/malformed").json()


def test_conditional_request_gets_304(allow_loopback_fetch, replay_server):
    first = safe_fetch(replay_server.url + "mastodon_tag_timeline.json")
    assert first.etag and not first.not_modified
    again = safe_fetch(replay_server.url + "mastodon_tag_timeline.json", etag=first.etag)
    assert again.status == 304 and again.not_modified and again.content == b""


def test_post_json_for_webhooks(only_hostile_allowed):
    safe_fetch(f"{only_hostile_allowed.url}/webhook", method="POST", json={"event": "test"})
    assert only_hostile_allowed.posts == [{"event": "test"}]


def test_connection_refused_is_a_readable_fetch_error(allow_loopback_fetch):
    from tests.services import free_port

    with pytest.raises(FetchError, match="could not reach 127.0.0.1"):
        safe_fetch(f"http://127.0.0.1:{free_port()}/")
