"""Email through Django's configured backend (SMTP in production, a file in the embedded mode).

Every message is plain text with an HTML alternative, in the subscriber's language, and carries
List-Unsubscribe + List-Unsubscribe-Post (RFC 8058) so mail clients offer a one-click leave.
"""

import email.policy
import smtplib
from email.headerregistry import HeaderRegistry, UnstructuredHeader

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from notifications.channels.base import PermanentError, RetryableError
from notifications.messages import UpdateMessage, render_email_parts, site_domain
from notifications.tokens import absolute, confirm_url, unsubscribe_url


class _UrlHeader(UnstructuredHeader):
    """List-Unsubscribe holds a long URL with no space to fold at; the standard folding would
    turn it into RFC 2047 encoded words, which mail clients do not decode in this header (and
    so would not offer to unsubscribe). Written on one line instead: under the 998-character
    limit, and the value is our own URL (Django refuses line breaks in header values)."""

    def fold(self, *, policy):
        # `name` is set by BaseHeader.__new__; typeshed does not declare it on the class.
        return f"{self.name}: {self}{policy.linesep}"  # type: ignore[attr-defined]


# Python's email policies share this registry; only this header's folding changes.
_registry = email.policy.default.header_factory
assert isinstance(_registry, HeaderRegistry)  # typeshed types it as any header callable
# The registry mixes BaseHeader into the class it is given; typeshed expects it done already.
_registry.map_to_type("list-unsubscribe", _UrlHeader)  # type: ignore[arg-type]


def open_connection() -> BaseEmailBackend:
    """One backend connection, reused for a whole batch (SMTP keeps its session open)."""
    return mailers.default


def _message(subscriber, template: str, context: dict, *, unsubscribe: str, extra_headers=None):
    # The update's email is in the language its content is shown in (messages.UpdateMessage).
    language = context.get("language") or subscriber.language
    subject, text, html = render_email_parts(template, context, language)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # Tells vacation responders and ticket systems not to answer.
        "Auto-Submitted": "auto-generated",
        **(extra_headers or {}),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def update_email(content: UpdateMessage, subscriber, delivery_id: int) -> EmailMultiAlternatives:
    context = content.email_context(subscriber, delivery_id)
    domain = site_domain()
    incident = content.incident
    return _message(
        subscriber,
        "update",
        context,
        unsubscribe=context["unsubscribe_url"],
        extra_headers={
            # Stable per delivery: if a send is ever repeated, clients see the same message.
            "Message-ID": f"<delivery-{delivery_id}@{domain}>",
            # Updates of one incident thread together in mail clients.
            "References": f"<incident-{incident.pk}@{domain}>",
            "List-Id": f"{content.service.name} <{content.service.slug}.updates.{domain}>",
        },
    )


def confirmation_email(subscriber, *, already_confirmed: bool) -> EmailMultiAlternatives:
    context = {
        "subscriber": subscriber,
        "service": subscriber.service,
        "incident": subscriber.incident,
        "confirm_url": "" if already_confirmed else confirm_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "already_confirmed": already_confirmed,
        # A webhook's confirmation names neither its URL nor anything else the requester typed:
        # until confirmed, the address belongs to someone who asked for nothing.
        "is_webhook": subscriber.channel == subscriber.Channel.WEBHOOK,
        "SITE_NAME": settings.SITE_NAME,
    }
    return _message(subscriber, "confirm", context, unsubscribe=context["unsubscribe_url"])


def owner_notice_email(subscriber, *, reason: str) -> EmailMultiAlternatives:
    """For a confirmed owner only (subscriber_disable sends it to no one else): the URL in it
    is then the owner's own words."""
    context = {
        "subscriber": subscriber,
        "service": subscriber.service,
        "incident": subscriber.incident,
        "reason": reason,
        "webhook_url": subscriber.webhook_url,
        "subscribe_url": absolute(
            f"{reverse('notifications:subscribe')}?service={subscriber.service.slug}"
        ),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "SITE_NAME": settings.SITE_NAME,
    }
    return _message(subscriber, "webhook_disabled", context, unsubscribe=context["unsubscribe_url"])


def send(connection: BaseEmailBackend, message: EmailMultiAlternatives) -> None:
    """Send one message on an open connection; raise a DeliveryError when it was not accepted."""
    try:
        sent = connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        error = f"recipient refused: {codes}"
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentError(error) from exc
        raise RetryableError(error) from exc
    except smtplib.SMTPResponseException as exc:
        error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500]
        if 500 <= exc.smtp_code < 600:
            raise PermanentError(error, status=exc.smtp_code) from exc
        raise RetryableError(error, status=exc.smtp_code) from exc
    except ValueError as exc:  # an address the backend cannot encode
        raise PermanentError(f"invalid address: {exc}"[:500]) from exc
    except (smtplib.SMTPException, OSError) as exc:
        # The session is unusable after a transport error; the next send opens a new one.
        _close_quietly(connection)
        raise RetryableError(f"{type(exc).__name__}: {exc}"[:500]) from exc
    if not sent:
        raise RetryableError("the mail backend did not send the message")


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        connection.connection = None
