"""Real receivers on 127.0.0.1 for the notification tests and the bench: an SMTP server
(aiosmtpd) and an HTTP server for webhooks (checking signatures) and web push (decrypting the
payload and checking the VAPID authorisation).

Only what a receiver accepted (SMTP 250, HTTP 2xx) counts as delivered. A `Gate` can hold
arriving messages without accepting them: the worker-kill test closes it, kills the worker
while its sends wait there, then rejects them, which is what a receiver sees when a sender
dies before the end of a transaction.
"""

import asyncio
import base64
import email
import email.policy
import hashlib
import hmac
import json
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.services import free_port

# aiosmtpd logs every SMTP command at INFO: thousands of lines per test.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def _aiosmtpd_controller():
    """aiosmtpd does `from public import public` (the atpublic package), which this project's
    `public` app shadows. Load atpublic under that name just while aiosmtpd is imported."""
    import importlib.util
    import sys
    from importlib.metadata import distribution

    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"].Controller
    init = distribution("atpublic").locate_file("public/__init__.py")
    spec = importlib.util.spec_from_file_location(
        "public", str(init), submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None
    atpublic = importlib.util.module_from_spec(spec)
    project_public = sys.modules.get("public")
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        if project_public is not None:
            sys.modules["public"] = project_public
        else:
            sys.modules.pop("public", None)
    return Controller


class Gate:
    """open: accept. closed: hold arrivals. After `reject_waiting()`, held ones are refused
    (and not counted) and the gate opens again."""

    def __init__(self):
        self._lock = threading.Lock()
        self.state = "open"
        self.waiting = 0

    def close(self) -> None:
        self.state = "closed"

    def reject_waiting(self, timeout: float = 10) -> None:
        self.state = "draining"
        deadline = time.monotonic() + timeout
        while self.waiting and time.monotonic() < deadline:
            time.sleep(0.02)
        self.state = "open"

    def _enter(self) -> bool:
        with self._lock:
            if self.state == "open":
                return False
            self.waiting += 1
            return True

    def _leave(self) -> bool:
        accepted = self.state == "open"
        with self._lock:
            self.waiting -= 1
        return accepted

    def wait_sync(self) -> bool:
        if not self._enter():
            return True
        try:
            while self.state == "closed":
                time.sleep(0.02)
        finally:
            accepted = self._leave()
        return accepted

    async def wait_async(self) -> bool:
        if not self._enter():
            return True
        try:
            # Cancelled when the sender's connection drops (it was killed): still leave.
            while self.state == "closed":
                await asyncio.sleep(0.02)
        finally:
            accepted = self._leave()
        return accepted


class SmtpReceiver:
    def __init__(self, gate: Gate | None = None):
        self.gate = gate or Gate()
        self.port = free_port()
        self.messages: list[tuple[str, bytes]] = []
        # Scripted refusals per recipient, given in turn (e.g. "451 4.3.0 Try later").
        self.answers: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self.controller = _aiosmtpd_controller()(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if not await self.gate.wait_async():
            return "421 4.3.2 Service shutting down"
        with self._lock:
            for recipient in envelope.rcpt_tos:
                scripted = self.answers.get(recipient.lower())
                if scripted:
                    return scripted.pop(0)
        # Kept raw and parsed when a test reads it: parsing here would make this receiver,
        # not the sender, what the bench measures.
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient.lower(), envelope.content))
        return "250 OK"

    def start(self) -> "SmtpReceiver":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list:
        with self._lock:
            raw = [m for rcpt, m in self.messages if rcpt == address.lower()]
        return [email.message_from_bytes(m, policy=email.policy.default) for m in raw]

    def raw_to(self, address: str) -> list[bytes]:
        with self._lock:
            return [m for rcpt, m in self.messages if rcpt == address.lower()]

    def per_recipient(self) -> Counter:
        with self._lock:
            return Counter(rcpt for rcpt, _m in self.messages)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    payload: object = None


@dataclass
class PushKeys:
    """A browser's side of a push subscription."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    endpoint: str

    def subscription(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            encoding=serialization.Encoding.X962,
            format=serialization.PublicFormat.UncompressedPoint,
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def verify_vapid(authorization: str, public_key_b64: str) -> dict:
    """Check a `vapid t=<jwt>,k=<key>` header (RFC 8292) and return the JWT claims."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key_b64
    header_b64, claims_b64, signature_b64 = fields["t"].split(".")
    signature = b64url_decode(signature_b64)
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), b64url_decode(public_key_b64)
    )
    public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    return json.loads(b64url_decode(claims_b64))


class HttpReceiver:
    """Webhooks at /hook/<name> (signature checked with `secrets[name]`) and push endpoints at
    /push/<name> (payload decrypted with `push_keys[name]`). `statuses[name]` is a list of
    answers to give in turn (the last one repeats); 200 by default."""

    def __init__(self, gate: Gate | None = None):
        self.gate = gate or Gate()
        self.secrets: dict[str, str] = {}
        self.default_secret = ""  # for hooks not in `secrets` (the bench gives all one secret)
        self.push_keys: dict[str, PushKeys] = {}
        self.vapid_public_key = ""
        self.statuses: dict[str, list[int]] = {}
        self.accepted: list[Received] = []
        self.refused: list[Received] = []
        self.bad_signatures = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                receiver._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hook_url(self, name: str) -> str:
        return f"{self.url}/hook/{name}"

    def push_endpoint(self, name: str) -> str:
        return f"{self.url}/push/{name}"

    def new_push_keys(self, name: str) -> PushKeys:
        keys = PushKeys(
            ec.generate_private_key(ec.SECP256R1()), os.urandom(16), self.push_endpoint(name)
        )
        self.push_keys[name] = keys
        return keys

    def start(self) -> "HttpReceiver":
        # Created here, not in __init__: the bench builds receivers, then starts them in a
        # forked process (Python 3.13 refuses to start a thread object made before a fork).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next_status(self, name: str) -> int:
        with self._lock:
            answers = self.statuses.get(name)
            if not answers:
                return 200
            return answers.pop(0) if len(answers) > 1 else answers[0]

    def _answer(self, handler, status: int) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _handle(self, handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if not self.gate.wait_sync():
            self._answer(handler, 503)
            return
        kind, _slash, name = handler.path.strip("/").partition("/")
        record = Received(handler.path, headers, body)
        try:
            record.payload = self._read(kind, name, headers, body)
        except _BadSignature:
            with self._lock:
                self.bad_signatures += 1
            self._answer(handler, 401)
            return
        status = self._next_status(name)
        with self._lock:
            (self.accepted if 200 <= status < 300 else self.refused).append(record)
        self._answer(handler, status)

    def _read(self, kind: str, name: str, headers: dict, body: bytes):
        if kind == "hook":
            secret = self.secrets.get(name, self.default_secret)
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            if not secret or not hmac.compare_digest(
                expected, headers.get("x-outagedesk-signature", "")
            ):
                raise _BadSignature
            return json.loads(body)
        if kind == "push":
            keys = self.push_keys[name]
            claims = verify_vapid(headers["authorization"], self.vapid_public_key)
            plain = http_ece.decrypt(
                body,
                private_key=keys.private_key,
                auth_secret=keys.auth_secret,
                version=headers.get("content-encoding", "aes128gcm"),
            )
            return {"claims": claims, "data": json.loads(plain), "ttl": headers.get("ttl")}
        return None

    def accepted_for(self, name: str) -> list[Received]:
        with self._lock:
            return [r for r in self.accepted if r.path.rstrip("/").endswith(f"/{name}")]

    def per_path(self) -> Counter:
        with self._lock:
            return Counter(r.path for r in self.accepted)

    def count(self) -> int:
        with self._lock:
            return len(self.accepted)


class _BadSignature(Exception):
    pass


@dataclass
class Receivers:
    smtp: SmtpReceiver
    http: HttpReceiver
    gate: Gate = field(default_factory=Gate)
