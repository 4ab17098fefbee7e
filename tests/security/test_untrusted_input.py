"""The guard at the edge: NUL and lone surrogates are refused with a plain 400 wherever a client
can put them (PostgreSQL refuses NUL in text, which made these 500s there), and bodies larger
than the shipped nginx accepts are refused with 413, uploads included. Run on SQLite and on
PostgreSQL (`/work/bin/t --pg ...`): the answers must be the same."""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from incidents.models import Evidence
from notifications.models import Subscriber
from tests.support.access import push_subscription

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
REFUSED = "character that is not allowed"
REFUSED_FR = "caractère qui n’est pas autorisé"


@pytest.fixture
def client_():
    return Client(headers={"Origin": "http://testserver"})


def test_a_nul_in_a_query_parameter_is_refused_plainly(seeded, client_):
    response = client_.get("/subscribe/?service=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert REFUSED in response.content.decode()
    # The same page without the NUL works.
    assert client_.get("/en/subscribe/?service=whatsapp").status_code == 200


def test_the_refusal_is_in_the_page_language(seeded, client_):
    response = client_.get("/subscribe/?service=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert REFUSED_FR in response.content.decode()


def test_a_nul_in_a_reader_report_is_refused_and_nothing_is_counted(seeded, client_):
    response = client_.post(
        "/services/whatsapp/report/", {"component": "\x00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert REFUSED in response.json()["error"]
    assert not Evidence.objects.filter(signal_kind=Evidence.SignalKind.READER).exists()
    ok = client_.post(
        "/services/whatsapp/report/", {"component": "calls"}, HTTP_ACCEPT="application/json"
    )
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        '{"endpoint": "https://push.example.net/send/abc\\u0000"}',
        '{"endpoint": "https://push.example.net/send/\\ud800"}',
        '{"endpoint": "https://push.example.net/x", "extra": [{"\\u0000key": 1}]}',
    ],
    ids=["nul", "lone-surrogate", "nested-key"],
)
def test_a_json_body_string_with_nul_or_a_lone_surrogate_is_refused(world, client_, body):
    response = client_.post("/subscribe/push/remove/", body, content_type="application/json")
    assert response.status_code == 400
    assert REFUSED in response.json()["error"]
    assert Subscriber.objects.filter(channel="push").count() == 1


def test_a_clean_json_body_still_works(world, client_):
    body = json.dumps({"endpoint": push_subscription()["endpoint"]})
    response = client_.post("/subscribe/push/remove/", body, content_type="application/json")
    assert response.status_code == 200
    assert not Subscriber.objects.filter(channel="push").exists()


def test_a_nul_in_a_multipart_form_field_is_refused(seeded, client_):
    response = client_.post(
        "/subscribe/", {"email": "reader@example.org\x00", "service": "whatsapp"}
    )  # the test client sends multipart by default
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_nul_in_a_header_is_refused(seeded, client_):
    response = client_.get("/subscribe/?service=whatsapp", HTTP_USER_AGENT="Mozilla\x00/5.0")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_nul_in_a_login_form_is_refused(db, client_, path):
    response = client_.post(path, {"username": "edith\x00", "password": "x"})
    assert response.status_code == 400


def _nginx_body_limit() -> int:
    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    number, unit = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", conf).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def test_the_request_cap_is_the_shipped_nginx_limit():
    assert settings.REQUEST_MAX_BYTES == _nginx_body_limit() == 64 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_BYTES


def test_a_10_mb_multipart_upload_to_subscribe_is_refused_with_413(seeded, client_, tmp_path):
    upload = tmp_path / "big.bin"
    upload.write_bytes(b"x" * (10 * 1024 * 1024))
    with upload.open("rb") as handle:
        response = client_.post(
            "/subscribe/",
            {"email": "reader@example.org", "service": "whatsapp", "file": handle},
        )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/subscribe/",
        "/subscribe/push/",
        "/subscribe/push/remove/",
        "/services/whatsapp/report/",
        "/accounts/login/",
    ],
)
def test_every_reader_endpoint_refuses_a_body_over_the_cap(seeded, client_, path):
    body = json.dumps({"endpoint": "x" * (settings.REQUEST_MAX_BYTES + 1)})
    response = client_.post(path, body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_a_form_just_under_the_cap_is_not_refused_for_its_size(seeded, client_):
    response = client_.post(
        "/subscribe/",
        urlencode({"email": "reader@example.org", "service": "whatsapp", "pad": "x" * 60_000}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code != 413
