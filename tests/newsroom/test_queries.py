"""The inbox and the dashboard run the same number of queries with 10 or 10,000 evidence items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Evidence, Source
from tests.factories import make_incident

HX = {"HTTP_HX_REQUEST": "true"}
STATES = ["unverified", "verified", "rejected"]


def add_evidence(incident, count: int, start: int = 0) -> None:
    sources = list(Source.objects.filter(service=incident.service))
    now = timezone.now()
    Evidence.objects.bulk_create(
        [
            Evidence(
                source=sources[i % len(sources)],
                service=incident.service,
                incident=incident if i % 2 else None,
                text=f"item {i}",
                observed_at=now - timedelta(seconds=i),
                dedup_key=f"bulk-{i}",
                state=STATES[i % 3],
                component_hints=["messages"] if i % 4 else ["calls"],
                region_hints=["FR"],
            )
            for i in range(start, start + count)
        ],
        batch_size=2000,
    )


def count_queries(http, url, **extra) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url, **extra)
    assert response.status_code in (200, 204), url
    return len(queries), response.status_code


@pytest.fixture
def pages(incident):
    pk = incident.pk
    return {
        "workspace": (reverse("newsroom:workspace", args=[pk]), {}),
        "inbox": (reverse("newsroom:inbox", args=[pk]), HX),
        "inbox filtered": (
            reverse("newsroom:inbox", args=[pk]) + "?tier=community&component=calls&state=verified",
            HX,
        ),
        "inbox region": (reverse("newsroom:inbox", args=[pk]) + "?region=FR", HX),
        "dashboard": (reverse("newsroom:dashboard"), {}),
    }


def test_constant_queries_with_10_or_10000_items(editor_client, incident, pages, seeded):
    add_evidence(incident, 10)
    make_incident(service=seeded, slug="second", title="Second", status="identified")
    small = {
        name: count_queries(editor_client, url, **extra)[0] for name, (url, extra) in pages.items()
    }
    newest = Evidence.objects.latest("id").pk
    small_poll = count_queries(
        editor_client, reverse("newsroom:inbox", args=[incident.pk]) + f"?after={newest}", **HX
    )

    add_evidence(incident, 9990, start=10)
    assert Evidence.objects.filter(service=incident.service).count() == 10000
    large = {
        name: count_queries(editor_client, url, **extra)[0] for name, (url, extra) in pages.items()
    }
    newest = Evidence.objects.latest("id").pk
    large_poll = count_queries(
        editor_client, reverse("newsroom:inbox", args=[incident.pk]) + f"?after={newest}", **HX
    )

    assert large == small
    assert large_poll == small_poll
    assert small_poll[1] == 204
    # The live poll is cheap: the session, the user, the roles, the incident and one query.
    # The live poll is cheap: the session, the user, the roles, the incident and one query.
    assert large_poll[0] <= 5
    print({name: large[name] for name in large}, "poll:", large_poll[0])


def test_dashboard_queries_do_not_grow_with_incidents(editor_client, seeded):
    def create(n, prefix):
        for i in range(n):
            make_incident(
                service=seeded, slug=f"{prefix}-{i}", title=f"{prefix} {i}", status="investigating"
            )

    url = reverse("newsroom:dashboard")
    create(2, "a")
    small = count_queries(editor_client, url)[0]
    create(30, "b")
    assert count_queries(editor_client, url)[0] == small
