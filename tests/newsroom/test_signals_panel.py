"""The signal chart (server-rendered SVG) and the breakdown by component and region."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from incidents.models import SignalBucket
from incidents.selectors.signals import bucket_floor
from newsroom.charts import signal_chart


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
