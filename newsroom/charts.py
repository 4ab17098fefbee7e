"""The signal chart of the workspace, drawn on the server as SVG coordinates (no chart library).

The template draws two polylines (volume and baseline) in a fixed viewBox; CSS colours them.
"""

from dataclasses import dataclass
from datetime import datetime

from incidents.models import Component, Incident
from incidents.selectors.signals import (
    SignalPoint,
    chart_window,
    signal_breakdown,
    signal_series,
)

WIDTH, HEIGHT = 600, 170
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 8, 8, 10, 22


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    volume_points: str
    baseline_points: str
    area_points: str
    top: float
    peak: float
    peak_at: datetime | None
    baseline_at_peak: float
    start: datetime
    end: datetime
    start_marker_x: float | None
    axis_y: float
    total: float

    @property
    def peak_count(self) -> int:
        """The peak as a whole number, for the plural of "signals"."""
        return round(self.peak)


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: float
    percent: int


def _scale(points: list[SignalPoint], top: float):
    span_x = WIDTH - PAD_LEFT - PAD_RIGHT
    span_y = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = span_x / max(1, len(points) - 1)

    def x(index: int) -> float:
        return round(PAD_LEFT + index * step, 1)

    def y(value: float) -> float:
        return round(PAD_TOP + span_y - (value / top) * span_y, 1)

    return x, y


def signal_chart(incident: Incident, now: datetime | None = None) -> Chart | None:
    start, end = chart_window(incident, now)
    points = signal_series(service=incident.service, start=start, end=end)
    if len(points) < 2:
        return None
    top = max(max(p.count for p in points), max(p.baseline for p in points), 1.0)
    x, y = _scale(points, top * 1.1)
    volume = " ".join(f"{x(i)},{y(p.count)}" for i, p in enumerate(points))
    baseline = " ".join(f"{x(i)},{y(p.baseline)}" for i, p in enumerate(points))
    axis_y = y(0)
    area = f"{x(0)},{axis_y} {volume} {x(len(points) - 1)},{axis_y}"
    peak_point = max(points, key=lambda p: p.count)
    marker = None
    if incident.started_at and start <= incident.started_at <= end:
        fraction = (incident.started_at - start) / (end - start)
        marker = round(PAD_LEFT + fraction * (WIDTH - PAD_LEFT - PAD_RIGHT), 1)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        volume_points=volume,
        baseline_points=baseline,
        area_points=area,
        top=top,
        peak=peak_point.count,
        peak_at=peak_point.bucket_start if peak_point.count else None,
        baseline_at_peak=peak_point.baseline,
        start=points[0].bucket_start,
        end=points[-1].bucket_start,
        start_marker_x=marker,
        axis_y=axis_y,
        total=sum(p.count for p in points),
    )


def breakdown(incident: Incident, by: str, now: datetime | None = None) -> list[Share]:
    """ "Connexion 50 %, Messages 30 %, Appels 20 %": shares of the chart window's signals."""
    start, end = chart_window(incident, now)
    rows = signal_breakdown(service=incident.service, start=start, end=end, by=by)
    names: dict[str, str] = {}
    if by == "component":
        components: list[Component] = list(incident.service.components.all())
        names = {c.slug: c.name for c in components}
    return [
        Share(key=key, label=names.get(key, key), count=count, percent=round(share * 100))
        for key, count, share in rows
    ]
