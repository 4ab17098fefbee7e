"""Subscribing, confirming and leaving, for email and webhooks (double opt-in of the address)
and web push.

Reader actions are audited with actor None and the address hashed: the audit log is
append-only and must not keep an address after its owner left. Mails are owed through events
(notifications.events), which notifications.receivers hands to tasks.
"""

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from incidents.events import send_on_commit
from incidents.models import Incident, Service
from notifications.conf import conf
from notifications.events import confirmation_owed, owner_notice_owed
from notifications.models import Subscriber
from outagedesk.audit import audit_record
from outagedesk.ratelimit import hash_identifier

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def subscription_request_email(
    *, email: str, service: Service, incident: Incident | None, language: str
) -> Subscriber:
    """Start the double opt-in for `email`.

    Whatever the state of the address (new, waiting for confirmation, already subscribed), the
    same thing happens here and the requester is told the same: a mail goes to the address from
    a task, with a confirmation link, or saying it is already subscribed. So the form never
    reveals who is subscribed, and nothing but that mail is sent before a confirmation.
    """
    email = normalize_email(email)
    with transaction.atomic():
        subscriber = _existing_email_subscription(email, service, incident)
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        channel=Subscriber.Channel.EMAIL,
                        email=email,
                        service=service,
                        incident=incident,
                        language=language,
                    )
            except IntegrityError:  # a concurrent request for the same address won the insert
                subscriber = _existing_email_subscription(email, service, incident)
                assert subscriber is not None
        elif not subscriber.is_confirmed and subscriber.language != language:
            # Only an unconfirmed request may be changed by whoever knows the address.
            subscriber.language = language
            subscriber.save(update_fields=["language"])
        # Owed until a worker sent it: if the broker cannot take the task now, the sweep finds
        # the request through this and sends the mail once the broker is back.
        subscriber.confirmation_due_at = timezone.now()
        subscriber.save(update_fields=["confirmation_due_at"])
        audit_record(
            actor=None,
            action="subscriber.request",
            target=subscriber,
            details={"channel": "email", "address_hash": hash_identifier(email)[:16]},
        )
        send_on_commit(confirmation_owed, subscriber_id=subscriber.pk)
    return subscriber


def confirmation_settle(*, subscriber: Subscriber) -> bool:
    """The owed mail was sent (or given up): nothing more is owed for this request. Only if no
    newer request came meanwhile; that one's mail is still owed."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk, confirmation_due_at=subscriber.confirmation_due_at
        ).update(confirmation_due_at=None)
    )


def confirmations_overdue_claim(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Owed confirmation mails nobody sent within the grace period (the broker was down when
    the address asked, or the task was lost). Each is moved to now, so the next sweep waits a
    full grace period before handing it out again while its task is in the queue."""
    now = now or timezone.now()
    grace = timedelta(seconds=conf("NOTIFY_SWEEP_GRACE_SECONDS"))
    oldest = now - timedelta(seconds=conf("NOTIFY_CONFIRM_MAX_AGE"))
    ids = list(
        Subscriber.objects.filter(
            channel__in=(Subscriber.Channel.EMAIL, Subscriber.Channel.WEBHOOK),
            confirmation_due_at__lte=now - grace,
            confirmation_due_at__gte=oldest,
        )
        .order_by("confirmation_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        Subscriber.objects.filter(pk__in=ids).update(confirmation_due_at=now)
    return ids


def _existing_email_subscription(
    email: str, service: Service, incident: Incident | None
) -> Subscriber | None:
    base = Subscriber.objects.filter(channel=Subscriber.Channel.EMAIL, email=email, service=service)
    if incident is not None:
        # A confirmed service-wide subscription already covers every incident of the service.
        covering = base.filter(incident__isnull=True, confirmed_at__isnull=False).first()
        if covering is not None:
            return covering
        return base.filter(incident=incident).first()
    return base.filter(incident__isnull=True).first()


def subscription_confirm(*, key: str) -> Subscriber | None:
    """Confirm the subscription whose link key is `key`; None if it no longer exists.
    Confirming twice is harmless."""
    with transaction.atomic():
        subscriber = (
            # of=self: PostgreSQL cannot lock the nullable side (incident) of an outer join.
            Subscriber.objects.select_for_update(of=("self",))
            .select_related("service", "incident")
            .filter(key=key)
            .first()
        )
        if subscriber is None:
            return None
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
            audit_record(
                actor=None,
                action="subscriber.confirm",
                target=subscriber,
                details={"channel": subscriber.channel},
            )
            if subscriber.channel == Subscriber.Channel.EMAIL and subscriber.incident_id is None:
                # The service-wide subscription covers the incident ones: one mail per update.
                Subscriber.objects.filter(
                    channel=Subscriber.Channel.EMAIL,
                    email=subscriber.email,
                    service=subscriber.service,
                    incident__isnull=False,
                ).delete()
    return subscriber


def subscription_create_webhook(
    *,
    url: str,
    service: Service,
    incident: Incident | None,
    language: str,
    owner_email: str,
) -> tuple[Subscriber, str]:
    """Create a webhook subscription waiting for its owner; returns it with its signing
    secret, shown only once.

    Double opt-in, as for email: the owner address gets a confirmation link (a mail that
    carries none of the requester's text, not even the URL) and the webhook receives nothing
    until it is opened, so nobody can make this site mail a stranger, nor post to an address
    on behalf of someone who cannot be reached. The URL is checked for scheme here; private
    and loopback addresses are refused by safe_fetch at send time (where DNS is resolved, so
    a name pointing inside cannot slip by).
    """
    secret = secrets.token_hex(32)
    with transaction.atomic():
        subscriber = Subscriber.objects.create(
            channel=Subscriber.Channel.WEBHOOK,
            webhook_url=url,
            email=normalize_email(owner_email),
            secret=secret,
            service=service,
            incident=incident,
            language=language,
            # The owner's confirmation mail is owed, swept like an email subscription's.
            confirmation_due_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action="subscriber.create",
            target=subscriber,
            details={
                "channel": "webhook",
                "address_hash": hash_identifier(subscriber.email)[:16],
            },
        )
        send_on_commit(confirmation_owed, subscriber_id=subscriber.pk)
    return subscriber, secret


def subscription_save_push(
    *, subscription: dict[str, Any], service: Service, incident: Incident | None, language: str
) -> Subscriber:
    """Store a browser's push subscription (already checked by clean_subscription). The
    browser's permission prompt is the opt-in. Subscribing the same browser again updates it."""
    endpoint = subscription["endpoint"]
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(
                channel=Subscriber.Channel.PUSH,
                service=service,
                incident=incident,
                push_subscription__endpoint=endpoint,
            )
            .first()
        )
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                channel=Subscriber.Channel.PUSH,
                push_subscription=subscription,
                service=service,
                incident=incident,
                language=language,
                confirmed_at=timezone.now(),
            )
            audit_record(
                actor=None,
                action="subscriber.create",
                target=subscriber,
                details={"channel": "push"},
            )
        else:
            subscriber.push_subscription = subscription
            subscriber.language = language
            subscriber.is_active = True
            subscriber.save(update_fields=["push_subscription", "language", "is_active"])
    return subscriber


def subscriber_unsubscribe(*, key: str, update_id: int | None = None) -> bool:
    """Delete the subscription (and so the address) whose link key is `key`. Idempotent:
    False when it was already gone."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(key=key).first()
        if subscriber is None:
            return False
        audit_record(
            actor=None,
            action="subscriber.unsubscribe",
            target=subscriber,
            details={"channel": subscriber.channel, "from_update": update_id},
        )
        subscriber.delete()
    return True


def push_unsubscribe(*, endpoint: str) -> int:
    """Forget every subscription of one browser (the endpoint is its unguessable identity)."""
    with transaction.atomic():
        subscribers = list(
            Subscriber.objects.filter(
                channel=Subscriber.Channel.PUSH, push_subscription__endpoint=endpoint
            )
        )
        for subscriber in subscribers:
            audit_record(
                actor=None,
                action="subscriber.unsubscribe",
                target=subscriber,
                details={"channel": "push"},
            )
            subscriber.delete()
    return len(subscribers)


def subscriber_disable(*, subscriber_id: int, reason: str) -> bool:
    """Stop sending to a subscription (a webhook that answered 410 or kept failing) and tell
    its owner. Only the call that actually disables it audits and notifies."""
    with transaction.atomic():
        disabled = Subscriber.objects.filter(pk=subscriber_id, is_active=True).update(
            is_active=False, disabled_reason=reason[:200]
        )
        if not disabled:
            return False
        subscriber = Subscriber.objects.get(pk=subscriber_id)
        audit_record(
            actor=None,
            action="subscriber.disable",
            target=subscriber,
            details={"channel": subscriber.channel, "reason": reason[:200]},
        )
        # Only an owner who opened the confirmation link is ever written to.
        if subscriber.email and subscriber.is_confirmed:
            send_on_commit(owner_notice_owed, subscriber_id=subscriber.pk)
    logger.warning("notification subscriber %s disabled: %s", subscriber_id, reason)
    return True


def subscriber_remove_gone(*, subscriber_id: int, reason: str) -> bool:
    """Delete a push subscription its push service reported gone (404/410)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return False
        audit_record(
            actor=None,
            action="subscriber.remove",
            target=subscriber,
            details={"channel": subscriber.channel, "reason": reason[:200]},
        )
        subscriber.delete()
    return True


def subscribers_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete email subscriptions and webhooks whose confirmation link has expired unused."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf("NOTIFY_CONFIRM_MAX_AGE"))
    stale = Subscriber.objects.filter(
        Q(channel=Subscriber.Channel.EMAIL) | Q(channel=Subscriber.Channel.WEBHOOK),
        confirmed_at__isnull=True,
        created_at__lt=cutoff,
    )
    with transaction.atomic():
        deleted, _by_model = stale.delete()
        if deleted:
            audit_record(
                actor=None,
                action="subscriber.purge_unconfirmed",
                details={"deleted": deleted, "older_than": cutoff.isoformat()},
            )
    return deleted
