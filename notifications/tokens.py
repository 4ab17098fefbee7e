"""Signed links: confirmation (expires) and unsubscribe (does not: it is in every old email).

Both carry the subscriber's random `key`, never its id or address, and each has its own salt so a
token of one kind is refused as the other.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from notifications.conf import conf

CONFIRM_SALT = "notifications.confirm"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def confirm_token(subscriber) -> str:
    return signing.dumps({"k": subscriber.key}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> str:
    """The subscriber key, or TokenExpired / TokenInvalid."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=conf("NOTIFY_CONFIRM_MAX_AGE"))
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenInvalid from None
    return _key(data)


def unsubscribe_token(subscriber, update_id: int | None = None) -> str:
    data = {"k": subscriber.key}
    if update_id:
        data["u"] = update_id  # which update's email was used to leave, for the audit log
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, int | None]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise TokenInvalid from None
    update_id = data.get("u") if isinstance(data, dict) else None
    return _key(data), update_id if isinstance(update_id, int) else None


def _key(data) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        raise TokenInvalid
    return data["k"]


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(subscriber) -> str:
    with translation.override(subscriber.language):  # the reader's pages are under /<lang>/
        return absolute(reverse("notifications:confirm", args=[confirm_token(subscriber)]))


def unsubscribe_url(subscriber, update_id: int | None = None) -> str:
    token = unsubscribe_token(subscriber, update_id)
    with translation.override(subscriber.language):  # the reader's pages are under /<lang>/
        return absolute(reverse("notifications:unsubscribe", args=[token]))
