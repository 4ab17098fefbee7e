"""The state of one tracked service in words and colour, the same on the home page and on the
service's own page, so the two never disagree.

A plain helper of the public renderers (imports render.py's status line, nothing that renders a
document). The words come from what the newsroom published: the most severe live public incident
decides them. Without one, the readers' own reports may still say something is wrong, the way
"is it down" sites do: when the last hour holds clearly more reports than usual, the state says
problems are reported and not confirmed. That rests on public figures (the chart beside it), not
on the detector's private verdict, which stays in the newsroom.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from incidents.detection.stats import BUCKET
from incidents.models import Incident, IncidentUpdate, Service
from incidents.selectors.signals import SignalPoint, bucket_floor, signal_series
from public.render import StatusLine, status_line

REPORTS_WINDOW = timedelta(hours=1)
# "Clearly more than usual": three times the usual level and at least this many in an hour, so
# a handful of reports on a service nobody reports about never turns a page orange.
RAISED_RATIO = 3.0
RAISED_MINIMUM = 10.0
# How bad each tone is, to list the services in trouble first.
TONE_RANK = {"ok": 0, "warn": 1, "bad": 2, "critical": 3}


@dataclass(frozen=True)
class ReportLevel:
    """Reports counted in the last hour against the usual level for that hour."""

    last_hour: float
    usual: float

    @property
    def last_hour_count(self) -> int:
        """The last hour as a whole number of reports, for plural forms ("1 report")."""
        return int(round(self.last_hour))

    @property
    def raised(self) -> bool:
        return self.last_hour >= max(RAISED_MINIMUM, RAISED_RATIO * self.usual)


def report_level(points: list[SignalPoint]) -> ReportLevel:
    """The level of the last hour of a series (5-minute points, oldest first)."""
    recent = points[-int(REPORTS_WINDOW / BUCKET) :]
    return ReportLevel(
        last_hour=sum(p.count for p in recent), usual=sum(p.baseline for p in recent)
    )


def recent_report_level(service: Service, now: datetime) -> ReportLevel:
    # Up to the end of the current 5-minute bucket: a report made a minute ago counts already.
    end = bucket_floor(now) + BUCKET
    return report_level(signal_series(service=service, start=end - REPORTS_WINDOW, end=end))


@dataclass(frozen=True)
class ServiceState:
    service: Service
    status: StatusLine
    incident: Incident | None  # the live public incident that decides the words, if any
    latest: IncidentUpdate | None  # its latest published update
    reports: ReportLevel
    others: tuple[Incident, ...] = ()  # further live incidents of the service, less severe

    @property
    def icon(self) -> str:
        return "✓" if self.status.tone == "ok" else "!"


def service_state(
    *,
    service: Service,
    active: list[Incident],
    updates: dict[int, list[IncidentUpdate]],
    reports: ReportLevel,
) -> ServiceState:
    """`active`: the service's live public incidents, the most severe first (as
    incidents.selectors.public.active_public_incidents orders them); `updates`: their published
    updates by incident id, newest first. Words in the active language."""
    if active:
        incident = active[0]
        published = updates.get(incident.pk, [])
        return ServiceState(
            service=service,
            status=status_line(incident, published, editor_title=False, service=service),
            incident=incident,
            latest=published[0] if published else None,
            reports=reports,
            others=tuple(active[1:]),
        )
    if reports.raised:
        line = StatusLine(
            _("Problems reported on %(service)s, not confirmed yet") % {"service": service.name},
            "warn",
            _("More reports than usual in the last hour"),
        )
    else:
        line = StatusLine(
            _("%(service)s: no known problem") % {"service": service.name},
            "ok",
            _("No incident under way"),
        )
    return ServiceState(service=service, status=line, incident=None, latest=None, reports=reports)
