"""Writes of the notifications app. Subscriptions (readers and tools subscribing, confirming,
leaving) and deliveries (claiming, sending and recording each one)."""

from notifications.services.deliveries import deliveries_send
from notifications.services.subscriptions import (
    confirmation_settle,
    confirmations_overdue_claim,
    push_unsubscribe,
    subscriber_disable,
    subscriber_remove_gone,
    subscriber_unsubscribe,
    subscribers_purge_unconfirmed,
    subscription_confirm,
    subscription_create_webhook,
    subscription_request_email,
    subscription_save_push,
)

__all__ = [
    "confirmation_settle",
    "confirmations_overdue_claim",
    "deliveries_send",
    "push_unsubscribe",
    "subscriber_disable",
    "subscriber_remove_gone",
    "subscriber_unsubscribe",
    "subscribers_purge_unconfirmed",
    "subscription_confirm",
    "subscription_create_webhook",
    "subscription_request_email",
    "subscription_save_push",
]
