"""The signal chart (server-rendered SVG) and the breakdown by component and region."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from incidents.models import SignalBucket
from incidents.selectors.public import public_updates
from incidents.selectors.signals import bucket_floor, chart_window
from incidents.selectors.translations import incident_versions
from newsroom.charts import signal_chart
from public.pages import incident_context


def add_buckets(service, start, counts, component="", region=""):
    for i, count in enumerate(counts):
        SignalBucket.objects.create(
            service=service,
            bucket_start=start + timedelta(minutes=5 * i),
            component=component,
            region=region,
            count=count,
        )


def test_chart_and_breakdown(editor_client, incident, seeded):
    now = timezone.now()
    start = bucket_floor(incident.started_at)
    add_buckets(seeded, start, [10, 40, 400, 900, 650])
    # The same hour last week: the usual level.
    add_buckets(seeded, start - timedelta(days=7), [12, 11, 13, 12, 10])
    add_buckets(seeded, start, [50], component="connection")
    add_buckets(seeded, start, [30], component="messages")
    add_buckets(seeded, start, [20], component="calls")
    add_buckets(seeded, start, [75], region="FR")
    add_buckets(seeded, start, [25], region="BE")

    chart = signal_chart(incident, now=now)
    assert chart.peak == 900
    assert chart.start_marker_x is not None

    html = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    svg = html.split('<svg class="signal-chart"')[1].split("</svg>")[0]
    volume = re.search(r'<polyline class="volume" points="([^"]+)"', svg).group(1)
    baseline = re.search(r'<polyline class="baseline" points="([^"]+)"', svg).group(1)
    assert len(volume.split()) == len(baseline.split()) >= 20
    assert "Peak of 900 signals" in svg
    assert "Connection 50%, Messages 30%, Voice and video calls 20%" in html
    assert "FR 75%, BE 25%" in html
    # Regions seen in the signals become inbox filters.
    assert "?region=FR" in html


def test_chart_numbers_are_not_localised(editor_client, incident, seeded):
    add_buckets(seeded, bucket_floor(incident.started_at), [3, 7])
    add_buckets(seeded, bucket_floor(incident.started_at), [5], component="connection")
    html = editor_client.get(
        reverse("newsroom:workspace", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    svg = html.split('<svg class="signal-chart"')[1].split("</svg>")[0]
    points = re.search(r'<polyline class="volume" points="([^"]+)"', svg).group(1)
    assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)+", points)
    assert re.search(r'y1="[\d.]+"', svg)
    assert "Connexion 100 %" in html  # French puts a space before the percent sign


def test_no_signal_yet(editor_client, incident):
    html = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "No signal in this period." in html
    assert "not enough signals" in html


def test_one_chart_window_for_the_newsroom_and_the_public_page(incident, seeded):
    """Editors and readers look at the same span of reports for an incident."""
    now = timezone.now()
    add_buckets(seeded, bucket_floor(incident.started_at), [10, 40, 400])
    incident.is_public = True
    incident.save()
    newsroom = signal_chart(incident, now=now)
    choice, updates = incident_versions(
        incident.language, incident=incident, updates=public_updates(incident)
    )
    public = incident_context(incident, choice, updates)["chart"]
    assert newsroom.start == public.start
    assert newsroom.start == bucket_floor(incident.started_at - timedelta(hours=2))
    assert newsroom.end == public.end


def test_the_chart_window_follows_the_incident(incident):
    now = timezone.now()
    started = incident.started_at
    assert chart_window(incident, now) == (started - timedelta(hours=2), now)
    # Over: two hours after the end show the return to normal, never past now.
    incident.resolved_at = started + timedelta(minutes=10)
    assert chart_window(incident, now) == (started - timedelta(hours=2), now)
    incident.started_at = now - timedelta(hours=10)
    incident.resolved_at = now - timedelta(hours=5)
    assert chart_window(incident, now) == (now - timedelta(hours=12), now - timedelta(hours=3))
    # A long incident shows its most recent day.
    incident.started_at, incident.resolved_at = now - timedelta(days=3), None
    assert chart_window(incident, now) == (now - timedelta(hours=24), now)
    # A start recorded ahead of the clock still gives a span after it.
    incident.started_at = now + timedelta(minutes=30)
    assert chart_window(incident, now) == (
        now + timedelta(minutes=30) - timedelta(hours=2),
        now + timedelta(minutes=30) + timedelta(hours=2),
    )
