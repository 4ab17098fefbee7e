"""The ordered auto-moderation checks and how their reasons become a decision.

Order: banned/suspect words, links, repeat posts, shouting, spam score, Akismet, the commenter's
recent rejections. The first check that rejects or marks spam decides the status; holds add up;
every check that fired leaves a reason {code, decision, detail} on the comment.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from comments.conf import setting
from comments.models import Comment, ModerationWord
from comments.moderation import akismet
from comments.moderation.spam import spam_score
from comments.moderation.text import capital_ratio, extract_links, link_host
from comments.moderation.words import current_matcher
from incidents.models import Incident

REJECT = "reject"
SPAM = "spam"
HOLD = "hold"
NOTE = "note"


@dataclass
class Submission:
    """What a reader sent, with what the request says about them (never stored in clear)."""

    incident: Incident
    name: str
    email: str
    text: str
    address_hash: str
    email_hash: str
    fingerprint: str
    language: str = ""
    fill_seconds: float | None = None
    raw_address: str = ""
    user_agent: str = ""
    referrer: str = ""
    # Set when the comment is already stored (checks run on the worker after the request):
    # repeats are then looked for among the comments stored before it, never itself.
    comment_id: int | None = None

    def earlier(self) -> Q:
        return Q(pk__lt=self.comment_id) if self.comment_id else Q()


@dataclass
class Decision:
    verdict: str = ""  # REJECT, SPAM, HOLD or "" (passes)
    rejection_reason: str = ""
    spam_score: float = 0.0
    reasons: list[dict] = field(default_factory=list)

    def add(self, code: str, decision: str, detail: object = "", rejection: str = "") -> None:
        self.reasons.append({"code": code, "decision": decision, "detail": str(detail)})
        if decision in (REJECT, SPAM) and self.verdict in ("", HOLD):
            self.verdict = decision
            self.rejection_reason = rejection or ("spam" if decision == SPAM else "other")
        elif decision == HOLD and not self.verdict:
            self.verdict = HOLD

    @property
    def terminal(self) -> bool:
        return self.verdict in (REJECT, SPAM)


def trusted_hosts(incident) -> frozenset[str]:
    """Links to the site itself and to the service's official pages are not suspicious."""
    service = incident.service
    urls = [settings.SITE_URL, service.help_url, service.official_account_url]
    urls.append(service.status_page_url)
    urls += [alt.get("url", "") for alt in service.alternatives or [] if isinstance(alt, dict)]
    hosts = {urlparse(u).hostname or "" for u in urls if u}
    return frozenset(h.removeprefix("www.") for h in hosts if h)


def check_words(sub: Submission, decision: Decision) -> None:
    hits = current_matcher().find(f"{sub.name}\n{sub.text}")
    for hit in hits:
        if hit.action == ModerationWord.Action.BANNED:
            decision.add("banned_word", REJECT, hit.word, rejection="offensive")
    for hit in hits:
        if hit.action == ModerationWord.Action.SUSPECT:
            decision.add("suspect_word", HOLD, hit.word)


def check_links(sub: Submission, decision: Decision, hosts: frozenset[str]) -> None:
    links = [link for link in extract_links(sub.text) if link_host(link) not in hosts]
    if len(links) > setting("COMMENT_MAX_LINKS"):
        decision.add("links", HOLD, len(links))


def check_repeat(sub: Submission, decision: Decision) -> None:
    now = timezone.now()
    by_author = Q(address_hash=sub.address_hash)
    if sub.email_hash:
        by_author |= Q(email_hash=sub.email_hash)
    since_author = now - timedelta(hours=setting("COMMENT_REPEAT_AUTHOR_HOURS"))
    if (
        Comment.objects.filter(
            by_author, sub.earlier(), fingerprint=sub.fingerprint, created_at__gte=since_author
        )
        .order_by()
        .exists()
    ):
        decision.add("repeat_author", SPAM, rejection="spam")
        return
    if len(sub.text) < setting("COMMENT_REPEAT_MIN_LENGTH"):
        return  # "Still down?" from many readers is not a campaign
    since_incident = now - timedelta(minutes=setting("COMMENT_REPEAT_INCIDENT_MINUTES"))
    copies = (
        Comment.objects.filter(
            sub.earlier(),
            incident=sub.incident,
            fingerprint=sub.fingerprint,
            created_at__gte=since_incident,
        )
        .order_by()
        .count()
    )
    if copies >= setting("COMMENT_REPEAT_INCIDENT_COPIES"):
        decision.add("repeat_incident", HOLD, copies + 1)


def check_shouting(sub: Submission, decision: Decision) -> None:
    letters, ratio = capital_ratio(sub.text)
    if letters >= setting("COMMENT_SHOUTING_MIN_LETTERS") and ratio >= setting(
        "COMMENT_SHOUTING_RATIO"
    ):
        decision.add("shouting", HOLD, round(ratio * 100))


def check_spam_score(sub: Submission, decision: Decision, hosts: frozenset[str]) -> None:
    result = spam_score(
        name=sub.name,
        text=sub.text,
        fill_seconds=sub.fill_seconds,
        min_fill_seconds=setting("COMMENT_MIN_FILL_SECONDS"),
        trusted_hosts=hosts,
    )
    decision.spam_score = result.score
    detail = f"{result.score:.2f} ({'; '.join(result.signals)})"
    if result.score >= setting("COMMENT_SPAM_SCORE"):
        decision.add("spam_score", SPAM, detail, rejection="spam")
    elif result.score >= setting("COMMENT_SPAM_HOLD_SCORE"):
        decision.add("spam_score", HOLD, detail)


def check_akismet(sub: Submission, decision: Decision) -> None:
    if not settings.AKISMET_API_KEY or decision.terminal:
        return
    verdict = akismet.akismet_check(
        user_ip=sub.raw_address,
        user_agent=sub.user_agent,
        referrer=sub.referrer,
        permalink=f"{settings.SITE_URL}{sub.incident.get_absolute_url()}",
        author=sub.name,
        author_email=sub.email,
        content=sub.text,
        language=sub.language,
    )
    if verdict.spam is None:
        decision.add("akismet_unavailable", NOTE, verdict.error)
    elif verdict.spam:
        decision.add("akismet", SPAM, "discard" if verdict.discard else "", rejection="spam")


def check_history(sub: Submission, decision: Decision) -> None:
    since = timezone.now() - timedelta(days=setting("COMMENT_HISTORY_DAYS"))
    by_author = Q(address_hash=sub.address_hash)
    if sub.email_hash:
        by_author |= Q(email_hash=sub.email_hash)
    rejected = (
        Comment.objects.filter(
            by_author,
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM],
            created_at__gte=since,
        )
        .order_by()
        .count()
    )
    if rejected >= setting("COMMENT_HISTORY_REJECTIONS"):
        decision.add("history", HOLD, rejected)


def moderate(sub: Submission) -> Decision:
    decision = Decision()
    hosts = trusted_hosts(sub.incident)
    check_words(sub, decision)
    check_links(sub, decision, hosts)
    check_repeat(sub, decision)
    check_shouting(sub, decision)
    check_spam_score(sub, decision, hosts)
    check_akismet(sub, decision)
    check_history(sub, decision)
    return decision
