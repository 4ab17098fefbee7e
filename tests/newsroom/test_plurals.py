"""Counts in the newsroom read right in both languages: "1 signal", "1 report", never
"1 reports" (French has three plural forms in Django's catalogues: fill all of them)."""

from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from incidents.collectors.base import CollectedItem
from incidents.services.counters import CounterReading, _summary
from newsroom.charts import Chart

AT = datetime(2026, 11, 30, 15, 40, tzinfo=UTC)


def chart(peak: float) -> Chart:
    return Chart(
        width=600, height=160, volume_points="", baseline_points="", area_points="", top=peak,
        peak=peak, peak_at=AT, baseline_at_peak=1.0, start=AT, end=AT, start_marker_x=None,
        axis_y=150.0, total=peak,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "peak", "expected"),
    [
        ("en", 1, "Peak of 1 signal at"),
        ("en", 12, "Peak of 12 signals at"),
        ("fr", 1, "Pic de 1 signal à"),
        ("fr", 12, "Pic de 12 signaux à"),
    ],
)
def test_the_chart_peak_has_its_plural(language, peak, expected, db):
    with translation.override(language):
        html = render_to_string(
            "newsroom/panels/signals.html#signals", {"chart": chart(peak), "shares": []}
        )
    assert expected in html


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "Report counter high: 1 report at 15:40 UTC (usual: 0)"),
        ("en", 285, "Report counter high: 285 reports at 15:40 UTC (usual: 0)"),
        ("fr", 1, "Compteur de signalements très élevé\u00a0: 1 signalement à 15:40 UTC"),
        ("fr", 285, "Compteur de signalements très élevé\u00a0: 285 signalements à 15:40 UTC"),
    ],
)
def test_the_report_counter_item_has_its_plural(language, count, expected):
    reading = CounterReading(level="high", count=float(count), usual=0.0, at=AT, ratio=50.0)
    point = CollectedItem(dedup_key="p", title="", published_at=AT)
    with translation.override(language):
        assert _summary(reading, [point]).title.startswith(expected)
