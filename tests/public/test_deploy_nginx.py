"""The shipped front-server config: deploy/nginx.conf passes `nginx -t`, and nginx with the shipped
snippets in front of the app micro-caches the public responses (and nothing else), keys "/" by
language, and serves a published update without waiting for the cache to expire on its own."""

import datetime
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.factories import make_incident
from tests.services import free_port, wait_for_port
from tests.support.publishing import publish_update

DEPLOY = Path(settings.BASE_DIR) / "deploy"
pytestmark = pytest.mark.slow


def nginx_binary() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not path:
        pytest.skip("nginx not found: install Debian's nginx (apt-get install nginx)")
    return path


def self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "status.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_production_config_passes_nginx_check(tmp_path):
    binary = nginx_binary()
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "outagedesk").symlink_to(DEPLOY / "nginx")
    cert, key = self_signed(tmp_path)
    text = (DEPLOY / "nginx.conf").read_text()
    # Only the machine-specific paths change; every directive is checked as shipped.
    for old, new in {
        "/etc/letsencrypt/live/status.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/status.example.org/privkey.pem": str(key),
        "/var/cache/nginx/outagedesk": str(tmp_path / "cache"),
        "/run/nginx.pid": str(tmp_path / "nginx.pid"),
        "/var/log/nginx/": f"{tmp_path}/",
    }.items():
        assert old in text
        text = text.replace(old, new)
    if os.geteuid() != 0:
        text = text.replace("user www-data;", "")
    (conf / "nginx.conf").write_text(text)
    result = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(conf / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def front(live_server, tmp_path):
    """nginx with the shipped snippets, in front of the live server."""
    binary = nginx_binary()
    port = free_port()
    upstream = live_server.url.split("//", 1)[1]
    (tmp_path / "outagedesk").symlink_to(DEPLOY / "nginx")
    (tmp_path / "cache").mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    proxy_cache_path {tmp_path}/cache levels=1:2 keys_zone=outagedesk:4m use_temp_path=off;
    upstream outagedesk_app {{ server {upstream}; keepalive 8; }}
    include outagedesk/outagedesk-http.conf;
    server {{
        listen 127.0.0.1:{port};
        include outagedesk/outagedesk-locations.conf;
    }}
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


# Served from nginx's cache (fresh, or stale while a background refresh runs).
FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def live_incident(transactional_db, seeded):
    incident = make_incident(
        service=seeded,
        slug="whatsapp-down",
        title="WhatsApp down",
        language="en",
        status="identified",
        impact="critical",
        is_public=True,
        started_at=timezone.now(),
    )
    publish_update(incident, title="Messages are stuck", status="identified", is_confirmed=True)
    return incident


def test_public_responses_are_micro_cached(front, live_incident):
    page = f"{front}/en/incidents/whatsapp-down/"
    status, first, body = get(page)
    assert status == 200 and first["X-Cache-Status"] == "MISS"
    status, second, again = get(page)
    assert second["X-Cache-Status"] in FROM_CACHE and again == body
    assert second["Cache-Control"].startswith("public, max-age=10")
    # A cache-busting query string is served from the same entry.
    assert get(f"{page}?nocache=123")[1]["X-Cache-Status"] in FROM_CACHE
    for path in (
        "/api/v2/summary.json",
        "/embed/banner.json?service=whatsapp",
        "/feeds/incidents.atom",
    ):
        get(front + path)
        assert get(front + path)[1]["X-Cache-Status"] in FROM_CACHE


def test_banner_variants_are_cached_apart(front, live_incident):
    update = live_incident.updates.get()
    incident_title_translate(
        actor=None, incident=live_incident, language="fr", title="Panne de WhatsApp"
    )
    update_translation_add(
        actor=None,
        update=update,
        language="fr",
        text=TranslationText(title="Les messages restent bloqués", message="Panne en cours"),
    )
    english = get(f"{front}/embed/banner.json?service=whatsapp&lang=en")[2]
    french = get(f"{front}/embed/banner.json?service=whatsapp&lang=fr")[2]
    assert b"Close this alert" in english and b"Fermer cette alerte" in french


def test_home_page_is_cached_per_language(front, live_incident):
    english = get(f"{front}/", **{"Accept-Language": "en-GB,en;q=0.9"})[2]
    french = get(f"{front}/", **{"Accept-Language": "fr-FR,fr;q=0.9"})[2]
    assert b'<html lang="en">' in english and b'<html lang="fr">' in french
    cookie = get(f"{front}/", Cookie="django_language=fr", **{"Accept-Language": "en"})[2]
    assert b'<html lang="fr">' in cookie


def test_service_page_is_cached_per_language(front, live_incident):
    page = f"{front}/services/whatsapp/"
    english = get(page, **{"Accept-Language": "en-GB,en;q=0.9"})
    again = get(page, **{"Accept-Language": "en-GB,en;q=0.9"})
    assert again[1]["X-Cache-Status"] in FROM_CACHE and again[2] == english[2]
    french = get(page, **{"Accept-Language": "fr-FR,fr;q=0.9"})[2]
    assert b'<html lang="en">' in english[2] and b'<html lang="fr">' in french
    # Its report form goes to Django every time.
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{front}/services/whatsapp/report/")
    assert refused.value.code == 405 and "X-Cache-Status" not in refused.value.headers


def test_staff_pages_and_forms_are_never_cached(front, live_incident):
    status, headers, _ = get(f"{front}/accounts/login/")
    assert status == 200
    assert "X-Cache-Status" not in headers
    assert "csrftoken" in headers.get("Set-Cookie", "")


def test_published_update_is_served_by_nginx(front, live_incident):
    page = f"{front}/en/incidents/whatsapp-down/"
    get(page)
    get(page)
    publish_update(live_incident, title="A fix is rolling out", status="monitoring")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if b"A fix is rolling out" in get(page)[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("nginx kept serving the page without the published update")
