"""Report counts from a Downdetector-style monitor: a JSON endpoint with a time series of
problem reports. Such monitors publish no common API, so the field paths come from the source
config:

    series_path     dotted path to the list of points            ("time_series")
    time_field      the point's time                             ("date")
    value_field     the point's report count                     ("reports_value")
    baseline_field  the monitor's usual count for that time      ("baseline_value", optional)
    problems_path   list of {name, percentage}                   ("most_reported_problems")
    problem_map     {"Messaging": "messages", …} problem name → component slug
    timezone        zone of naive times                          ("UTC")
    point_minutes   span of one point; guessed from the spacing when absent

Every point is one item keyed on its time. The last point of a series often covers a window
still filling up, so a point seen again with a higher count updates the stored value and only
the difference is counted.
"""

from __future__ import annotations

import statistics
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    dict_in,
    expect_dict,
    number_of,
    parse_time,
    short_key,
    text_of,
)
from incidents.models import Evidence
from outagedesk.lib.fetch import FetchBadContent

MAX_POINTS = 500
SPIKE_RATIO = 2.0


def resolve_path(data: Any, path: str) -> Any:
    current = data
    for part in [p for p in path.split(".") if p]:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _problems(data: Any, config: dict) -> tuple[str, list[str]]:
    """("Messaging 61%, Server Connection 27%", [component slugs])"""
    problems = resolve_path(data, text_of(config.get("problems_path")) or "most_reported_problems")
    if not isinstance(problems, list):
        return "", []
    mapping = dict_in(config, "problem_map")
    parts, slugs = [], []
    for problem in problems[:10]:
        if not isinstance(problem, dict):
            continue
        name = text_of(problem.get("name"))
        share = number_of(problem.get("percentage"))
        if not name:
            continue
        parts.append(f"{name} {share:g}%" if share is not None else name)
        slug = mapping.get(name)
        if isinstance(slug, str) and slug not in slugs:
            slugs.append(slug)
    return ", ".join(parts), slugs


def _point_minutes(config: dict, times: list) -> int:
    configured = config.get("point_minutes")
    if isinstance(configured, int) and 1 <= configured <= 60:
        return configured
    gaps = [(b - a).total_seconds() / 60 for a, b in zip(times, times[1:], strict=False)]
    gaps = [g for g in gaps if g > 0]
    if not gaps:
        return 5
    return int(min(max(round(statistics.median(gaps)), 5), 60))


def collect(ctx: CollectContext) -> list[CollectedItem]:
    response = ctx.fetch()
    if response is None:
        return []
    config = ctx.config
    data = response.json()
    series_path = text_of(config.get("series_path")) or "time_series"
    series = resolve_path(data, series_path)
    if not isinstance(series, list):
        expect_dict(data, "a JSON object")
        raise FetchBadContent(f"unexpected response: no list of points at '{series_path}'")
    time_field = text_of(config.get("time_field")) or "date"
    value_field = text_of(config.get("value_field")) or "reports_value"
    baseline_field = text_of(config.get("baseline_field"))
    zone = text_of(config.get("timezone")) or "UTC"

    points = []
    for point in series[-MAX_POINTS:]:
        if not isinstance(point, dict):
            continue
        moment = parse_time(point.get(time_field), tz=zone)
        value = number_of(point.get(value_field))
        if moment is None or value is None or value < 0 or value > 1e9:
            continue
        baseline = number_of(point.get(baseline_field)) if baseline_field else None
        points.append((moment, value, baseline))
    if series and not points:
        raise FetchBadContent(
            f"unexpected response: no point has both '{time_field}' and '{value_field}'"
        )
    points.sort(key=lambda p: p[0])
    minutes = _point_minutes(config, [p[0] for p in points])
    problems_text, problem_slugs = _problems(data, config)

    items = []
    for moment, value, baseline in points:
        is_spike = baseline is not None and value >= SPIKE_RATIO * max(baseline, 1)
        if baseline is not None:
            title = ngettext(
                "%(count)s report at %(time)s UTC (usual: %(baseline)s)",
                "%(count)s reports at %(time)s UTC (usual: %(baseline)s)",
                round(value),
            ) % {
                "count": f"{value:,.0f}",
                "time": f"{moment:%H:%M}",
                "baseline": f"{baseline:,.0f}",
            }
        else:
            title = ngettext(
                "%(count)s report at %(time)s UTC",
                "%(count)s reports at %(time)s UTC",
                round(value),
            ) % {
                "count": f"{value:,.0f}",
                "time": f"{moment:%H:%M}",
            }
        items.append(
            CollectedItem(
                dedup_key=short_key("point", moment.isoformat()),
                signal_kind=Evidence.SignalKind.REPORTS,
                url=text_of(config.get("public_url")),
                title=title,
                text=(_("Most reported problems: %s") % problems_text)
                if is_spike and problems_text
                else "",
                published_at=moment,
                signal_value=value,
                component_hints=problem_slugs if is_spike else [],
                raw={"baseline": baseline, "minutes": minutes},
                signal_count=value,
                signal_minutes=minutes,
                updatable=True,
            )
        )
    return items
