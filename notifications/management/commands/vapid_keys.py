"""Print a new VAPID key pair for Web Push, as the environment lines settings.py reads."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Command(BaseCommand):
    help = "Generate a VAPID key pair (set both variables once; changing them breaks every push subscription)."

    def handle(self, *args, **options):
        private_key = ec.generate_private_key(ec.SECP256R1())
        private = private_key.private_numbers().private_value.to_bytes(32, "big")
        public = private_key.public_key().public_bytes(
            encoding=serialization.Encoding.X962,
            format=serialization.PublicFormat.UncompressedPoint,
        )
        self.stdout.write(f"VAPID_PUBLIC_KEY={_b64url(public)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={_b64url(private)}")
