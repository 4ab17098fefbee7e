"""The two-source rule: when an update may state a confirmed outage.

An update states "confirmed" only with CONFIRMATION_MIN_SOURCES verified items from independent
owners, or one verified item from an official source. An admin may override the rule with a
written reason (the publication audits it). The rule is read in two places, the composer (to
explain why "confirmed" is blocked) and the publication (to enforce it), and lives only here.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from incidents.models import Evidence, Incident, Source
from incidents.selectors.sources import source_is_official_for
from incidents.services.wording import sources_in_tier_order
from outagedesk.audit import Actor
from outagedesk.roles import ADMIN, has_role


@dataclass(frozen=True)
class VerifiedBasis:
    """What an update rests on: the distinct sources of the incident's verified evidence
    (best tier first), and how many verified items there are. Loaded in one query whatever the
    number of items, so the composer stays fast on a big incident."""

    sources: tuple[Source, ...] = ()
    verified_count: int = 0


def verified_basis(incident: Incident) -> VerifiedBasis:
    sources = list(
        Source.objects.filter(evidence__incident=incident, evidence__state=Evidence.State.VERIFIED)
        .select_related("service")
        .annotate(verified_items=Count("evidence"))
    )
    return basis_from_sources(sources, sum(s.verified_items for s in sources))


def basis_from_evidence(evidence: Iterable[Evidence]) -> VerifiedBasis:
    """The same basis computed from evidence already in memory (unverified items ignored)."""
    sources: dict[int, Source] = {}
    count = 0
    for item in evidence:
        if item.state == Evidence.State.VERIFIED:
            sources.setdefault(item.source_id, item.source)
            count += 1
    return basis_from_sources(list(sources.values()), count)


def basis_from_sources(sources: Sequence[Source], verified_count: int) -> VerifiedBasis:
    ordered = sources_in_tier_order(sources)
    return VerifiedBasis(sources=tuple(ordered), verified_count=verified_count)


def _owner_key(source: Source) -> str:
    # Sources with no recorded owner all count as one unknown owner: independence must be
    # shown, not assumed.
    return (source.owner or "").strip().lower()


@dataclass(frozen=True)
class ConfirmationCheck:
    """Whether the verified evidence lets an update state a confirmed outage, and why not."""

    required: int
    independent_sources: tuple[str, ...] = ()  # one source name per independent owner
    official_sources: tuple[str, ...] = ()
    verified_count: int = 0

    @property
    def independent_count(self) -> int:
        return len(self.independent_sources)

    @property
    def has_official(self) -> bool:
        return bool(self.official_sources)

    @property
    def ok(self) -> bool:
        return self.has_official or self.independent_count >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.independent_count)


def confirmation_check(*, basis: VerifiedBasis) -> ConfirmationCheck:
    """Two items are independent only when both their Source and its owner differ: counting
    distinct owners among the verified sources gives exactly that."""
    owners: dict[str, str] = {}
    official: list[str] = []
    for source in basis.sources:
        owners.setdefault(_owner_key(source), source.name)
        if source_is_official_for(source, source.service) and source.name not in official:
            official.append(source.name)
    return ConfirmationCheck(
        required=settings.CONFIRMATION_MIN_SOURCES,
        independent_sources=tuple(owners.values()),
        official_sources=tuple(official),
        verified_count=basis.verified_count,
    )


@dataclass(frozen=True)
class ConfirmationRuling:
    """The rule applied to one publication."""

    allowed: bool
    overridden: bool = False  # allowed only thanks to an admin's written reason
    reason_missing: bool = False  # an admin asked to override without writing why


def confirmation_ruling(
    *, actor: Actor, check: ConfirmationCheck, confirmed: bool, override_reason: str
) -> ConfirmationRuling:
    """A report (not confirmed) is always allowed; "confirmed" needs the check to pass, or an
    admin who wrote why they override it. `override_reason` is expected already cleaned."""
    if not confirmed or check.ok:
        return ConfirmationRuling(allowed=True)
    is_admin = has_role(actor, ADMIN)
    if is_admin and override_reason:
        return ConfirmationRuling(allowed=True, overridden=True)
    return ConfirmationRuling(allowed=False, reason_missing=is_admin)
