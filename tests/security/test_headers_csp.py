"""Security headers on every public page and a sample of staff pages: a Content-Security-Policy
whose nonce every inline script and style carries (nothing a browser would block), no inline
event handlers or style attributes, nosniff, a referrer policy, no framing except the banner's
iframe variant; and with production settings (HTTPS), HSTS and secure cookies."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.security.routes import PUBLIC, all_routes
from tests.support.comments import comment_data

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_ROUTES = [r for r in all_routes() if r.access is PUBLIC]
FRAMEABLE = {"public:banner-frame"}  # the iframe variant of the banner, for blogs
FORM_ENDPOINTS = {"logout", "set_language"}  # POST targets: GET answers 405 or a redirect
REDIRECTS = {"favicon"}  # /favicon.ico: a permanent redirect to the static icon


class _Audit(HTMLParser):
    """Everything in a page that a strict CSP would block or that escapes it."""

    def __init__(self, nonce: str):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self.inline_elements = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:120]}>"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}: {where}")
            if name == "style":
                self.problems.append(f"style attribute: {where}")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL: {where}")
        if tag in ("script", "style"):
            src = values.get("src")
            if src is None:
                self.inline_elements += 1
                if values.get("nonce") != self.nonce:
                    self.problems.append(f"inline <{tag}> without the response's nonce: {where}")
            elif not src.startswith("/") or src.startswith("//"):
                self.problems.append(f"script from another origin: {where}")
        if tag == "link" and "stylesheet" in (values.get("rel") or ""):
            href = values.get("href") or ""
            if not href.startswith("/") or href.startswith("//"):
                self.problems.append(f"stylesheet from another origin: {where}")

    handle_startendtag = handle_starttag


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def nonce_of(response) -> str:
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return found.group(1) if found else ""


def audit_page(response) -> list[str]:
    """Header and markup problems of one HTML response."""
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        return ["no Content-Security-Policy header"]
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"):
        if forbidden in csp:
            problems.append(f"CSP allows {forbidden}: {csp}")
    directives = csp_of(response)
    for directive in ("script-src", "style-src"):
        sources = directives.get(directive, directives.get("default-src", []))
        loose = [s for s in sources if s in ("*", "data:", "http:", "https:", "blob:")]
        if loose:
            problems.append(f"{directive} allows {loose}")
    html = response.content.decode()
    for syntax in ("{#", "#}", "{%", "%}"):
        if syntax in html:  # e.g. a {# #} comment written over two lines: printed as text
            problems.append(f"template syntax in the output: {syntax}")
    audit = _Audit(nonce_of(response))
    audit.feed(html)
    audit.close()
    if audit.inline_elements and not audit.nonce:
        problems.append("inline scripts or styles but no nonce in the CSP")
    return problems + audit.problems


def assert_common_headers(response, name: str, frameable: bool = False):
    assert response["X-Content-Type-Options"] == "nosniff", name
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
    csp = csp_of(response)
    assert csp.get("object-src", csp["default-src"]) == ["'none'"], name
    assert csp["base-uri"] in (["'self'"], ["'none'"]), name
    if frameable:
        assert "X-Frame-Options" not in response, f"{name} must be frameable by blogs"
        assert csp["frame-ancestors"] == ["*"], name
    else:
        assert response["X-Frame-Options"] == "DENY", name
        assert csp["frame-ancestors"] == ["'none'"], name


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_public_pages_send_a_strict_policy_and_obey_it(route, world, client):
    response = client.get(route.path(world))
    assert_common_headers(response, route.name, frameable=route.name in FRAMEABLE)
    if route.origin_checked or route.name in FORM_ENDPOINTS:
        assert response.status_code in (200, 302, 405), route.name
    elif route.name in REDIRECTS:
        assert response.status_code == 301, route.name
    else:
        assert response.status_code == 200, route.name
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert audit_page(response) == [], route.name


def test_cached_public_pages_get_a_fresh_nonce_each_time(world, client):
    """The page cache keeps one body for every reader; the nonce must not be frozen in it."""
    nonces = set()
    for _ in range(3):
        response = client.get(f"/en/incidents/{world['public'].slug}/")
        nonce = nonce_of(response)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 3


def staff_pages(world) -> list[tuple[str, str]]:
    draft = world["draft"].pk
    return [
        ("editor", "/newsroom/"),
        ("editor", f"/newsroom/incidents/{draft}/"),
        ("editor", "/newsroom/incidents/new/"),
        ("editor", "/newsroom/services/"),
        ("editor", f"/newsroom/services/{world['service'].pk}/"),
        ("editor", f"/newsroom/services/{world['service'].pk}/sources/new/?kind=reports"),
        ("moderator", "/moderation/"),
        ("moderator", "/moderation/replies/"),
        ("admin", "/admin/"),
        ("admin", "/admin/incidents/incident/"),
        ("admin", f"/admin/incidents/incident/{draft}/change/"),
        ("anonymous", "/accounts/login/"),
    ]


def test_staff_pages_send_a_strict_policy_and_obey_it(world, clients):
    failures = {}
    for role, url in staff_pages(world):
        response = clients[role].get(url)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        problems = audit_page(response)
        if problems:
            failures[url] = problems
    assert not failures, json.dumps(failures, indent=1)


def test_htmx_fragments_carry_the_headers_too(world, editor_client):
    response = editor_client.get(
        f"/newsroom/incidents/{world['draft'].pk}/inbox/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert_common_headers(response, "inbox fragment")
    assert audit_page(response) == []


# --- Production settings ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def production_security_settings(tmp_path_factory) -> dict:
    """The security settings outagedesk/settings.py computes for an HTTPS deployment, read in
    a separate process so this test follows the real environment-driven code."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        " 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    keep = {"PATH", "HOME", "LANG"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="outagedesk.settings",
        OUTAGEDESK_VAR_DIR=str(tmp_path_factory.mktemp("prod")),
        SECRET_KEY="p" * 20 + "Zq8!" + "w" * 40,
        SITE_URL="https://status.news.example.org",
        ALLOWED_HOSTS="status.news.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security_settings):
    for name, value in production_security_settings.items():
        setattr(settings, name, value)
    return production_security_settings


def test_https_deployment_sends_hsts_and_redirects_plain_http(production, world, client):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    response = client.get("/en/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        f"max-age={production['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    plain = client.get("/en/incidents/whatsapp-down-europe/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/en/incidents/whatsapp-down-europe/"
    # Behind the reverse proxy, which terminates TLS and says so.
    proxied = client.get("/en/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200 and "Strict-Transport-Security" in proxied


def test_https_deployment_cookies_are_secure(production, editor, csrf_client_factory):
    client = csrf_client_factory()
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": editor.username, "password": PASSWORD},
        headers={"X-CSRFToken": csrf.value, "Referer": "https://testserver/accounts/login/"},
        secure=True,
    )
    assert response.status_code == 302 and response["Location"] == "/newsroom/"
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_https_deployment_reader_cookie_is_secure(production, world, client):
    """The signed cookie that lets a reader see their own comments awaiting moderation."""
    response = client.post(
        f"/incidents/{world['public'].slug}/comments/",
        comment_data(),
        headers={"Origin": "https://testserver"},
        secure=True,
    )
    assert response.status_code == 303
    (cookie,) = response.cookies.values()
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_without_https_there_is_no_hsts(world, client):
    """The embedded default on plain HTTP: HSTS there would lock browsers out of the site."""
    response = client.get("/")
    assert "Strict-Transport-Security" not in response


def test_error_pages_carry_the_headers_too(world, client, reader_client, csrf_client_factory):
    """What readers and staff meet when something is refused or missing."""
    anonymous = csrf_client_factory()
    responses = {
        "not found": client.get("/en/incidents/no-such-incident/"),
        "role refused": reader_client.get("/newsroom/"),
        "csrf refused": anonymous.post("/accounts/login/", {"username": "x", "password": "y"}),
        "origin refused": client.post("/subscribe/", headers={"Origin": "https://evil.example"}),
    }
    expected = {"not found": 404, "role refused": 403, "csrf refused": 403, "origin refused": 403}
    for label, response in responses.items():
        assert response.status_code == expected[label], label
        assert_common_headers(response, label)
        if response["Content-Type"].startswith("text/html"):
            assert audit_page(response) == [], label


def test_no_template_comment_spans_two_lines():
    """Django prints a {# #} comment that spans lines as text: in a page, an email, a feed."""
    found = []
    for path in [*ROOT.glob("templates/**/*"), *ROOT.glob("*/templates/**/*")]:
        if path.is_file() and ".venv" not in path.parts:
            text = path.read_text()
            for match in re.finditer(r"\{#(.*?)#\}", text, flags=re.S):
                if "\n" in match.group(1):
                    found.append(
                        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
                    )
    assert not found, found
