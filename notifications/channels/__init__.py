"""Senders, one per channel. Each raises a DeliveryError subclass when a send did not succeed,
saying whether to retry, give up, or treat the endpoint as gone."""
