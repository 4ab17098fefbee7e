"""Fixtures of the gathering tests: a seeded service whose sources point at the local replay of
recorded responses (the misbehaving `hostile_server` is a fixture of tests/conftest.py, the
newsroom's source tests use it too)."""

import pytest
from django.core.cache import cache

from incidents.models import Service


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and alert marks live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def _seed(replay_url: str) -> Service:
    from demo.seeding import seed_demo

    seed_demo(replay_url=replay_url)
    return Service.objects.get(slug="whatsapp")


@pytest.fixture
def whatsapp(db, replay_server):
    """The demo service, its components and its sources pointing at the local replay."""
    return _seed(replay_server.url)


@pytest.fixture
def whatsapp_committed(transactional_db, replay_server):
    """The same, committed, for tests where other threads or processes read the database."""
    return _seed(replay_server.url)
