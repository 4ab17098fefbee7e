"""The one login policy, for every login form (the site's and the admin's).

Failures are counted per (account, address) and per address, never per account alone: a
stranger who knows a username cannot lock its owner out, because a correct password from an
address that has not been failing is always accepted. Past a few free failures each new failure
costs a delay that doubles (first delay, then twice that, ... up to a ceiling); while the delay
runs, attempts are refused with 429 without the password being checked. A whole address (a
newsroom behind one NAT) is slowed only after many more failures, across all its accounts.
Counts are forgotten after a quiet period; a successful login clears its (account, address).

Why not django-axes: it counts one failure limit as the maximum over its lockout parameters, so
"5 per account and address, 30 per address" and doubling delays would mean overriding its
database handler's internals; its metadata also stops at Django 6.0.

Settings (environment variables of the same name): LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
LOGIN_FAILURES_PER_ADDRESS, LOGIN_FIRST_DELAY_SECONDS, LOGIN_MAX_DELAY_SECONDS,
LOGIN_FORGET_AFTER_SECONDS.
"""

import math
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from outagedesk.audit import audit_record
from outagedesk.models import LoginThrottle
from outagedesk.ratelimit import client_address, hash_identifier

EVERY_ACCOUNT = ""  # the username of the per-address row


def _normalize(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _address(request) -> str:
    return client_address(request)[:64]


def address_hash(address: str) -> str:
    """How the append-only audit log names an address (as it does readers' addresses)."""
    return hash_identifier(address)[:16]


def delay_after(failures: int, free_failures: int) -> int:
    """Seconds to wait after the `failures`-th failure: none while free, then doubling."""
    if failures < free_failures:
        return 0
    first = settings.LOGIN_FIRST_DELAY_SECONDS
    doublings = min(failures - free_failures, 30)
    return min(first * 2**doublings, settings.LOGIN_MAX_DELAY_SECONDS)


def _forget_after() -> timedelta:
    # Never shorter than the longest delay, or a lock would be forgotten before it ends.
    seconds = max(settings.LOGIN_FORGET_AFTER_SECONDS, settings.LOGIN_MAX_DELAY_SECONDS)
    return timedelta(seconds=seconds)


def _rows(username: str, address: str):
    return LoginThrottle.objects.filter(
        address=address, username__in={_normalize(username), EVERY_ACCOUNT}
    )


def wait_seconds(*, username: str, address: str) -> int:
    """How long this (account, address) must still wait before a password is checked."""
    now = timezone.now()
    waits = [
        math.ceil((row.locked_until - now).total_seconds())
        for row in _rows(username, address).filter(locked_until__gt=now)
    ]
    return max(waits, default=0)


def _count_failure(*, username: str, address: str, free_failures: int, now) -> None:
    row, created = LoginThrottle.objects.select_for_update().get_or_create(
        username=username,
        address=address,
        defaults={"first_failure_at": now, "last_failure_at": now},
    )
    if not created and row.last_failure_at < now - _forget_after():
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures, free_failures)
    if delay:
        row.locked_until = now + timedelta(seconds=delay)
    row.save()
    if delay:
        audit_record(
            actor=None,
            action="login.lock",
            target=row,
            details={
                "account": username or None,
                "address_hash": address_hash(address),
                "failures": row.failures,
                "seconds": delay,
            },
        )


def record_failure(*, username: str, address: str) -> None:
    """One wrong password (or unknown account) from `address`."""
    now = timezone.now()
    with transaction.atomic():
        LoginThrottle.objects.filter(last_failure_at__lt=now - _forget_after()).delete()
        _count_failure(
            username=_normalize(username),
            address=address,
            free_failures=settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
            now=now,
        )
        _count_failure(
            username=EVERY_ACCOUNT,
            address=address,
            free_failures=settings.LOGIN_FAILURES_PER_ADDRESS,
            now=now,
        )


def record_success(*, username: str, address: str) -> None:
    LoginThrottle.objects.filter(username=_normalize(username), address=address).delete()


def throttled_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# The mixin is only ever mixed into an AuthenticationForm: the type checker is told so.
if TYPE_CHECKING:
    _LoginForm = AuthenticationForm
else:
    _LoginForm = object


class ThrottledLoginMixin(_LoginForm):
    """Checks the policy before the password, and records what happened after."""

    request: HttpRequest  # the login views always pass it

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = _address(self.request)
        wait = wait_seconds(username=username, address=address)
        if wait:
            # Read by LoginThrottleMiddleware to answer 429 with Retry-After.
            # An attribute of this request only, not of HttpRequest.
            self.request.login_throttled_for = wait  # type: ignore[attr-defined]
            raise ValidationError(throttled_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self.cleaned_data.get("password"):
                record_failure(username=username, address=address)
            raise
        if username:
            record_success(username=username, address=address)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class LoginThrottleMiddleware:
    """A login form refused by the policy is re-shown with its message, as 429 + Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, "login_throttled_for", 0)
        if wait:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
