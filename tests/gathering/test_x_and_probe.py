"""The X/Twitter collector (off without a bearer token) and the HTTP + DNS probe."""

from datetime import UTC, datetime, timedelta

import pytest

from incidents.gathering import gather_source
from incidents.models import Evidence
from tests.factories import make_source

pytestmark = pytest.mark.usefixtures("allow_loopback_fetch")

# The shape of GET /2/tweets/search/recent with expansions=author_id (X API v2 docs).
X_RESPONSE = {
    "data": [
        {
            "id": "1978142033000000001",
            "text": "WhatsApp est en panne chez moi à Lyon, les messages ne partent pas #WhatsappDown",
            "created_at": "2025-10-14T15:55:02.000Z",
            "author_id": "2244994945",
            "lang": "fr",
            "edit_history_tweet_ids": ["1978142033000000001"],
            "public_metrics": {"retweet_count": 4, "reply_count": 1, "like_count": 9,
                               "quote_count": 0},
        },
        {
            "id": "1978142033000000002",
            "text": "Calls failing in London too #WhatsappDown",
            "created_at": "2025-10-14T15:56:40.000Z",
            "author_id": "783214",
            "lang": "en",
            "edit_history_tweet_ids": ["1978142033000000002"],
        },
    ],
    "includes": {
        "users": [
            {"id": "2244994945", "name": "Camille", "username": "camille_lyon"},
            {"id": "783214", "name": "Sam", "username": "sam_ldn"},
        ]
    },
    "meta": {"newest_id": "1978142033000000002", "oldest_id": "1978142033000000001",
             "result_count": 2},
}  # fmt: skip


def test_x_is_off_without_a_bearer_token(whatsapp, settings, hostile_server):
    settings.X_BEARER_TOKEN = ""
    source = make_source(whatsapp, "x", f"{hostile_server.url}/x-search", query="#WhatsappDown")
    outcome = gather_source(source.pk, force=True)
    assert outcome.status == "off"
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and not source.is_failing
    assert "X_BEARER_TOKEN" in source.last_error
    assert hostile_server.requests == []  # nothing was even asked
    assert not Evidence.objects.filter(source=source).exists()


def test_x_recent_search_with_a_token(whatsapp, settings, hostile_server):
    settings.X_BEARER_TOKEN = "test-bearer"
    hostile_server.x_response = X_RESPONSE
    source = make_source(whatsapp, "x", f"{hostile_server.url}/x-search", query="#WhatsappDown")
    assert gather_source(source.pk, force=True).created == 2
    request = hostile_server.requests[-1]
    assert request["headers"]["Authorization"] == "Bearer test-bearer"
    assert "query=%23WhatsappDown" in request["path"] and "expansions=author_id" in request["path"]
    lyon = Evidence.objects.get(source=source, dedup_key="tweet:1978142033000000001")
    assert lyon.url == "https://x.com/camille_lyon/status/1978142033000000001"
    assert lyon.author == "camille_lyon" and lyon.language == "fr"
    assert lyon.region_hints == ["FR"] and lyon.component_hints == ["messages"]
    assert lyon.published_at == datetime(2025, 10, 14, 15, 55, 2, tzinfo=UTC)
    assert lyon.raw["likes"] == 9
    london = Evidence.objects.get(source=source, dedup_key="tweet:1978142033000000002")
    assert london.region_hints == ["GB"] and london.component_hints == ["calls"]
    assert gather_source(source.pk, force=True).created == 0


def test_x_error_answer_marks_the_source_failing(whatsapp, settings, hostile_server):
    settings.X_BEARER_TOKEN = "test-bearer"
    hostile_server.x_response = {"errors": [{"title": "Invalid Request", "detail": "bad query"}]}
    source = make_source(whatsapp, "x", f"{hostile_server.url}/x-search", query="(")
    assert gather_source(source.pk, force=True).status == "failed"
    source.refresh_from_db()
    assert source.last_error == "the X API answered with an error: bad query"


def test_probe_checks_http_and_dns(whatsapp, hostile_server):
    source = make_source(
        whatsapp, "probe", f"{hostile_server.url}/ok", tier="monitor", hosts=["localhost"]
    )
    outcome = gather_source(source.pk, force=True)
    assert (outcome.status, outcome.created) == ("ok", 2)
    http = Evidence.objects.get(source=source, raw__check="http")
    assert http.signal_kind == Evidence.SignalKind.PROBE
    assert http.status_text == "up" and http.raw["status"] == 200
    assert http.title == f"127.0.0.1:{hostile_server.port} is reachable"
    assert http.signal_value is not None and http.signal_value >= 0  # latency in ms
    dns = Evidence.objects.get(source=source, raw__check="dns")
    assert dns.title == "localhost resolves" and dns.status_text == "up"
    assert "127.0.0.1" in dns.raw["addresses"]


def test_probe_stores_healthy_results_once_an_hour_and_every_failure(whatsapp, hostile_server):
    source = make_source(whatsapp, "probe", f"{hostile_server.url}/probe", tier="monitor")
    now = datetime(2025, 10, 14, 15, 0, tzinfo=UTC)
    assert gather_source(source.pk, force=True, now=now).created == 1
    assert gather_source(source.pk, force=True, now=now + timedelta(minutes=1)).created == 0
    hostile_server.probe_status = 500
    for minute in (2, 3):
        outcome = gather_source(source.pk, force=True, now=now + timedelta(minutes=minute))
        assert outcome.created == 1
    down = Evidence.objects.filter(source=source, status_text="down").first()
    assert down.raw["status"] == 500 and "HTTP 500" in down.text
    assert down.title == f"127.0.0.1:{hostile_server.port} does not answer correctly"
    source.refresh_from_db()
    assert source.consecutive_failures == 0  # the target is down, the probe works
    hostile_server.probe_status = 200
    recovered = gather_source(source.pk, force=True, now=now + timedelta(minutes=4))
    assert recovered.created == 1  # back up: stored at once
    later = gather_source(source.pk, force=True, now=now + timedelta(minutes=66))
    assert later.created == 1  # hourly heartbeat


def test_probe_reports_a_name_that_does_not_resolve(whatsapp):
    source = make_source(
        whatsapp, "probe", "", tier="monitor", hosts=["does-not-exist.invalid"], dns_timeout=1
    )
    assert gather_source(source.pk, force=True).created == 1
    item = Evidence.objects.get(source=source)
    assert item.title == "does-not-exist.invalid does not resolve" and item.status_text == "down"


def test_probe_of_a_refused_address_is_a_source_failure(whatsapp, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    source = make_source(whatsapp, "probe", "http://169.254.169.254/", tier="monitor")
    assert gather_source(source.pk, force=True).status == "failed"
    source.refresh_from_db()
    assert "169.254.169.254" in source.last_error and source.consecutive_failures == 1
