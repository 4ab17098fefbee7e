"""The live report chart: reader and monitor reports per 5 minutes against the usual level,
drawn server-side as SVG so it shows without JavaScript and loads nothing from elsewhere.
A plain helper of the incident page's renderer (imports nothing from public/)."""

from dataclasses import dataclass
from datetime import datetime

from incidents.models import Service

# The one chart window of an incident (shared with the newsroom), used by the incident page.
from incidents.selectors.signals import (
    SignalPoint,
    chart_window,  # noqa: F401
    signal_series,
)

WIDTH = 288
HEIGHT = 90
TOP_PAD = 6


@dataclass(frozen=True)
class Chart:
    start: datetime
    end: datetime
    reports_points: str
    baseline_points: str
    area_points: str
    peak: float
    peak_at: datetime | None
    usual: float
    total: float
    scale_max: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def peak_count(self) -> int:
        """The peak as a whole number of reports, for plural forms ("1 report", "2 reports")."""
        return int(round(self.peak))


def _polyline(values: list[float], scale_max: float) -> str:
    if len(values) == 1:
        values = values * 2
    step = WIDTH / (len(values) - 1)
    usable = HEIGHT - TOP_PAD
    return " ".join(
        f"{index * step:.1f},{HEIGHT - value / scale_max * usable:.1f}"
        for index, value in enumerate(values)
    )


def build_chart(*, service: Service, start: datetime, end: datetime) -> Chart | None:
    return chart_from_points(signal_series(service=service, start=start, end=end))


def chart_from_points(points: list[SignalPoint]) -> Chart | None:
    """The chart of a series the caller already has (the service page also reads its last
    hour), so the series is queried once."""
    if not points:
        return None
    counts = [p.count for p in points]
    baselines = [p.baseline for p in points]
    scale_max = max([*counts, *baselines, 1.0])
    peak_point = max(points, key=lambda p: p.count)
    line = _polyline(counts, scale_max)
    return Chart(
        start=points[0].bucket_start,
        end=points[-1].bucket_start,
        reports_points=line,
        baseline_points=_polyline(baselines, scale_max),
        area_points=f"0,{HEIGHT} {line} {WIDTH},{HEIGHT}",
        peak=peak_point.count,
        peak_at=peak_point.bucket_start if peak_point.count else None,
        usual=sorted(baselines)[len(baselines) // 2],
        total=sum(counts),
        scale_max=scale_max,
    )
