"""'Test now' for a source being written: run its kind's collector once on values that are not
saved, through the same safe fetch wrapper and address checks as gathering, with a short
deadline, and report what it would store or exactly why it could not. Nothing is written: the
source is an unsaved copy and the collected items are only summarised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.collectors import COLLECTORS, CollectContext, CollectedItem, CollectorOff
from incidents.collectors import unavailable_reason as kind_unavailable_reason
from incidents.models import Service, Source
from outagedesk.lib.fetch import (
    FetchBadContent,
    FetchBlockedAddress,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
    FetchTooLarge,
)
from outagedesk.lib.sanitize import clean_text

# Connect and read limits of a trial: the overall deadline is connect + 2 × read = 8 s, short
# enough for an editor waiting in front of the form.
TRIAL_TIMEOUT = [2.0, 3.0]
TRIAL_MAX_BYTES = 2_000_000
SHOWN_ITEMS = 5

# The editor reads the kind of failure first, then the wrapper's own sentence.
FAILURES = {
    "refused": _("Address refused"),
    "timeout": _("No answer in time"),
    "http": _("The server answered with an error"),
    "too_large": _("The response is too large"),
    "bad_content": _("Not the expected format"),
    "fetch": _("Could not fetch"),
    "off": _("Cannot run as configured"),
}


@dataclass(frozen=True)
class TrialItem:
    title: str
    text: str
    url: str
    published_at: datetime | None
    signal: str


@dataclass
class TrialResult:
    count: int = 0
    items: list[TrialItem] = field(default_factory=list)
    failure: str = ""  # a key of FAILURES, '' when the run succeeded
    detail: str = ""
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return not self.failure

    @property
    def failure_label(self) -> str:
        return str(FAILURES.get(self.failure, ""))


def _signal(item: CollectedItem) -> str:
    parts = [str(item.signal_kind)]
    if item.status_text:
        parts.append(item.status_text)
    if item.signal_value is not None:
        parts.append(f"{item.signal_value:g}")
    return " · ".join(parts)


def _summary(item: CollectedItem) -> TrialItem:
    return TrialItem(
        title=clean_text(item.title, max_length=200, multiline=False),
        text=clean_text(item.text, max_length=300, multiline=False),
        url=clean_text(item.url, max_length=500, multiline=False),
        published_at=item.published_at,
        signal=_signal(item),
    )


def trial_source(*, service: Service, kind: str, url: str, config: dict, tier: str) -> Source:
    """An unsaved source with trial limits and no conditional-request state, so the run
    always reads a full body and cannot touch a stored source's ETag."""
    return Source(
        service=service,
        name="trial",
        kind=kind,
        url=url,
        tier=tier,
        config={**config, "timeout": TRIAL_TIMEOUT, "max_bytes": TRIAL_MAX_BYTES},
    )


def source_trial_run(
    *, service: Service, kind: str, url: str, config: dict, tier: str = Source.Tier.UNVERIFIED
) -> TrialResult:
    collector = COLLECTORS.get(kind)
    reason = kind_unavailable_reason(kind)
    if collector is None or reason:
        return TrialResult(failure="off", detail=reason)
    source = trial_source(service=service, kind=kind, url=url, config=config, tier=tier)
    context = CollectContext(source=source, now=timezone.now())
    try:
        collected = collector(context)
    except CollectorOff as exc:
        return TrialResult(failure="off", detail=str(exc))
    except FetchBlockedAddress as exc:
        return TrialResult(failure="refused", detail=str(exc))
    except FetchTimeout as exc:
        return TrialResult(failure="timeout", detail=str(exc))
    except FetchHTTPError as exc:
        return TrialResult(failure="http", detail=str(exc))
    except FetchTooLarge as exc:
        return TrialResult(failure="too_large", detail=str(exc))
    except FetchBadContent as exc:
        return TrialResult(failure="bad_content", detail=str(exc))
    except FetchError as exc:
        return TrialResult(failure="fetch", detail=str(exc))
    return TrialResult(
        count=len(collected),
        items=[_summary(item) for item in collected[:SHOWN_ITEMS]],
        not_modified=context.not_modified,
    )
