"""Running collectors: which sources are due, leasing a source to one worker, recording its
evidence and its health, and backing off when it fails.

A run never lets one source's failure reach another: every error becomes the source's
`last_error` (a sentence an editor can read), its failure count and a later next poll. Network
calls happen outside any database transaction.

Leases: the dispatcher claims a due source by setting `lease_until` with a conditional UPDATE
and hands that value to the task as a token; the task swaps the token for its own lease, again
conditionally. A second dispatcher, or a stale task whose source was handed out again, loses the
swap and does nothing; the same task delivered again after its worker died takes over the lease
of its own dead run (see `_claim`).
"""

from __future__ import annotations

import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.collectors import COLLECTORS, POLLED_KINDS, unavailable_reason
from incidents.collectors.base import (
    SKIP_OVER_CAP,
    CollectContext,
    CollectedItem,
    CollectorOff,
    item_problem,
)
from incidents.models import Source
from incidents.services.evidence import evidence_record_items
from outagedesk.audit import audit_record
from outagedesk.lib.fetch import FetchError, FetchHTTPError

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
MAX_RETRY_AFTER = timedelta(hours=6)


@dataclass
class GatherOutcome:
    source_id: int
    status: str  # ok, not_modified, failed, off, skipped
    created: int = 0
    updated: int = 0
    error: str = ""


@dataclass
class CycleReport:
    outcomes: list[GatherOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def created(self) -> int:
        return sum(o.created for o in self.outcomes)


def _due_filter(now: datetime) -> Q:
    # An archived service is no longer tracked: its sources rest (and keep their settings)
    # until it is tracked again.
    return (
        Q(is_enabled=True, kind__in=POLLED_KINDS, service__is_active=True)
        & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def sources_claim_due(*, now: datetime | None = None, limit: int = 500) -> list[tuple[int, str]]:
    """Lease every due source; returns (source id, lease token) pairs for the tasks."""
    now = now or timezone.now()
    claimed = []
    candidates = Source.objects.filter(_due_filter(now)).values_list("pk", "lease_until")[:limit]
    for pk, lease_until in candidates:
        token = now + LEASE
        won = (
            Source.objects.filter(_due_filter(now))
            .filter(pk=pk, lease_until=lease_until)
            .update(lease_until=token)
        )
        if won:
            claimed.append((pk, token.isoformat()))
    return claimed


def _claim(source_id: int, *, now: datetime, token: str | None, force: bool) -> bool:
    run_lease = now + LEASE
    if token:
        expected = datetime.fromisoformat(token)
        # The lease is the dispatch's token, or the run lease a delivery of this same task took
        # before the token expired: a run started at t < token leases until t + LEASE, inside
        # (token, token + LEASE), while anyone who took the source after the token expired
        # leases beyond token + LEASE. So a task delivered again because its worker was killed
        # mid-run (acks_late, reject_on_worker_lost) takes over its own dead run's lease, not
        # someone else's, and runs now instead of after the lease expires. A duplicate while
        # the first run is still alive would run twice, storing nothing twice (dedup keys).
        mine = Q(lease_until=expected) | Q(
            lease_until__gt=expected, lease_until__lt=expected + LEASE
        )
        return bool(Source.objects.filter(mine, pk=source_id).update(lease_until=run_lease))
    query = Source.objects.filter(pk=source_id, is_enabled=True).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    if not force:
        query = query.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    return bool(query.update(lease_until=run_lease))


def backoff_delay(source: Source, failures: int, retry_after: float | None) -> timedelta:
    """Twice the interval per consecutive failure, at most an hour (with 10% jitter so failing
    sources do not all come back at once); a Retry-After is honoured, up to six hours."""
    interval = timedelta(seconds=source.poll_interval_seconds)
    delay = min(interval * (2 ** min(failures, 12)), MAX_BACKOFF)
    delay *= 1 + random.random() * 0.1
    if retry_after is not None:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    return delay


def items_admit(items: list[CollectedItem], *, cap: int) -> tuple[list[CollectedItem], dict]:
    """The items of one run worth storing, and how many were skipped for which reason: at most
    `cap` of them (the first a source lists are its newest), each storable on its own."""
    skipped: dict[str, int] = {}
    if len(items) > cap:
        skipped[SKIP_OVER_CAP] = len(items) - cap
        items = items[:cap]
    admitted = []
    for item in items:
        if problem := item_problem(item):
            skipped[problem] = skipped.get(problem, 0) + 1
        else:
            admitted.append(item)
    return admitted, skipped


def source_record_success(
    *,
    source: Source,
    now: datetime,
    items: int,
    etag: str,
    last_modified: str,
    skipped: dict | None = None,
) -> None:
    was_failing = source.consecutive_failures > 0
    fields = {
        "last_run_at": now,
        "last_success_at": now,
        "consecutive_failures": 0,
        "last_item_count": items,
        "last_skipped": skipped or {},
        "next_poll_at": now + timedelta(seconds=source.poll_interval_seconds),
        "lease_until": None,
        "last_error": "",
    }
    if etag or last_modified:
        fields.update(etag=etag, last_modified=last_modified)
    Source.objects.filter(pk=source.pk).update(**fields)
    if was_failing:
        audit_record(
            actor=None,
            action="source.recovered",
            target=source,
            details={"after_failures": source.consecutive_failures},
        )


def source_record_failure(
    *, source: Source, now: datetime, error: str, retry_after: float | None = None
) -> None:
    failures = source.consecutive_failures + 1
    Source.objects.filter(pk=source.pk).update(
        last_run_at=now,
        last_error_at=now,
        last_error=error[:500],
        consecutive_failures=failures,
        last_item_count=0,
        last_skipped={},
        next_poll_at=now + backoff_delay(source, failures, retry_after),
        lease_until=None,
    )
    if failures == 1:
        audit_record(actor=None, action="source.failing", target=source, details={"error": error})


def source_record_off(*, source: Source, now: datetime, reason: str) -> None:
    """A source that cannot run as configured: not failing, just not polled until next time."""
    Source.objects.filter(pk=source.pk).update(
        last_run_at=now,
        last_error=reason[:500],
        last_item_count=0,
        last_skipped={},
        next_poll_at=now + timedelta(seconds=source.poll_interval_seconds),
        lease_until=None,
    )


def gather_source(
    source_id: int, *, token: str | None = None, now: datetime | None = None, force: bool = False
) -> GatherOutcome:
    """Run one source's collector and store what it found. `force` polls a source that is not
    due yet (a staff "poll now"); a source leased by another worker is never run twice."""
    now = now or timezone.now()
    if not _claim(source_id, now=now, token=token, force=force):
        return GatherOutcome(source_id, "skipped")
    source = Source.objects.select_related("service").get(pk=source_id)
    if not source.is_enabled or source.kind not in COLLECTORS:
        Source.objects.filter(pk=source.pk).update(lease_until=None)
        return GatherOutcome(source_id, "skipped")
    if reason := unavailable_reason(source.kind):
        source_record_off(source=source, now=now, reason=reason)
        return GatherOutcome(source_id, "off", error=reason)

    context = CollectContext(source=source, now=now)
    try:
        items = COLLECTORS[source.kind](context)
    except CollectorOff as exc:
        source_record_off(source=source, now=now, reason=str(exc))
        return GatherOutcome(source_id, "off", error=str(exc))
    except FetchError as exc:
        retry_after = exc.retry_after if isinstance(exc, FetchHTTPError) else None
        source_record_failure(source=source, now=now, error=str(exc), retry_after=retry_after)
        return GatherOutcome(source_id, "failed", error=str(exc))
    except Exception as exc:  # a parser meeting data it did not expect: the source fails, not us
        logger.exception("collector %s failed on source %s", source.kind, source.pk)
        error = _("unexpected response (%(error)s)") % {"error": type(exc).__name__}
        source_record_failure(source=source, now=now, error=error)
        return GatherOutcome(source_id, "failed", error=error)

    items, skipped = items_admit(list(items), cap=settings.GATHER_MAX_ITEMS_PER_RUN)
    if skipped:
        logger.warning("source %s: items skipped %s", source.pk, skipped)
    try:
        outcome = evidence_record_items(source=source, items=items, now=now)
        # Not in the evidence transaction: if we die between the two, the lease expires, the
        # source runs again and its items are recognised as already stored.
        source_record_success(
            source=source,
            now=now,
            items=outcome.created_count,
            etag=context.etag,
            last_modified=context.last_modified,
            skipped=skipped,
        )
    except Exception as exc:
        logger.exception("storing evidence of source %s failed", source.pk)
        error = _("could not store the evidence (%(error)s)") % {"error": type(exc).__name__}
        source_record_failure(source=source, now=now, error=error)
        return GatherOutcome(source_id, "failed", error=error)
    status = "not_modified" if context.not_modified else "ok"
    return GatherOutcome(source_id, status, outcome.created_count, outcome.updated)


def _gather_in_thread(source_id: int, token: str, now: datetime) -> GatherOutcome:
    close_old_connections()
    try:
        return gather_source(source_id, token=token, now=now)
    except Exception as exc:  # even recording the failure failed (database down): next cycle
        logger.exception("gathering source %s failed", source_id)
        return GatherOutcome(source_id, "failed", error=type(exc).__name__)
    finally:
        connection.close()


def gather_cycle(*, now: datetime | None = None, max_workers: int = 16) -> CycleReport:
    """Gather every due source now, concurrently, in this process: sources spend their time
    waiting on the network, so threads overlap those waits. (Workers normally get one task per
    source from `incidents.due_sources_task`; this runs the same code without a broker.)"""
    now = now or timezone.now()
    claims = sources_claim_due(now=now)
    report = CycleReport()
    if not claims:
        return report
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(claims)))) as pool:
        futures = [pool.submit(_gather_in_thread, pk, token, now) for pk, token in claims]
        report.outcomes = [future.result() for future in futures]
    return report
