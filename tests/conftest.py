"""Shared test fixtures: staff users per role, the local replay server of recorded source
responses, real Redis/PostgreSQL servers, and Chromium through Playwright.

OUTAGEDESK_REQUIRE_SERVICES=1 (set by .ci/run) turns every skip into a failure, so CI cannot
pass by skipping what it was meant to test."""

import os
import shutil

import pytest
from django.test import Client

from outagedesk.lib.replay_server import ReplayServer
from tests.factories import make_user
from tests.services import REQUIRE_SERVICES, PostgresServer, RedisServer, free_port
from tests.support.hostile_server import HostileServer


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped, but OUTAGEDESK_REQUIRE_SERVICES=1 forbids skips: {reason}"


@pytest.fixture
def editor(db):
    return make_user("edith", "editor")


@pytest.fixture
def moderator(db):
    return make_user("moe", "moderator")


@pytest.fixture
def admin_user(db):
    return make_user("ada", "admin")


@pytest.fixture
def reader_user(db):
    """A logged-in account with no staff role: must be refused everywhere staff-only."""
    return make_user("rita")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def moderator_client(moderator):
    return _client_for(moderator)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def reader_client(reader_user):
    return _client_for(reader_user)


@pytest.fixture
def csrf_client_factory():
    """Clients that enforce CSRF like a browser, to prove state changes require the token."""

    def factory(user=None) -> Client:
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        return client

    return factory


@pytest.fixture(scope="session")
def replay_server():
    """The recorded source responses of ../shared/fixtures/sources served on 127.0.0.1."""
    from django.conf import settings

    with ReplayServer(settings.FIXTURE_SOURCES_DIR) as server:
        yield server


@pytest.fixture(scope="session")
def _hostile_server_session():
    """A local HTTP server whose routes misbehave on purpose (tests/support/hostile_server.py)."""
    server = HostileServer(redirect_target_port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def hostile_server(_hostile_server_session):
    server = _hostile_server_session
    server.posts.clear()
    server.requests.clear()
    server.x_response = {}
    server.mastodon_statuses = []
    server.probe_status = 200
    return server


@pytest.fixture
def allow_loopback_fetch(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def seeded(db):
    from demo.seeding import seed_demo

    seed_demo(replay_url="")
    from incidents.models import Service

    return Service.objects.get(slug="whatsapp")


@pytest.fixture
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def postgres_server(tmp_path_factory):
    server = PostgresServer(tmp_path_factory.mktemp("pg")).start()
    yield server
    server.stop()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from async contexts
    # unless told this is a test process.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
