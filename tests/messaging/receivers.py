"""Real receivers for the outbox's channels, run inside the test: an HTTP server that checks the
webhook signature, and an SMTP server (aiosmtpd). Each records what arrived."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


@dataclass
class Webhook:
    """What the provider saw: every request, and the messages it delivered (once per key)."""

    url: str
    secret: str
    requests: list[dict] = field(default_factory=list)
    delivered: dict[str, dict] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    # Set to hold the first request open (as a slow provider would) until ``release`` is set.
    hold_first: bool = False
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    answer_status: int = 200
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def webhook_receiver(secret: str = "s3cret-of-the-company") -> Iterator[Webhook]:  # noqa: S107 - a test secret
    hook = Webhook(url="", secret=secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            timestamp = self.headers.get("X-Anju-Timestamp", "")
            expected = (
                "sha256="
                + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            )
            if not hmac.compare_digest(expected, self.headers.get("X-Anju-Signature", "")):
                hook.refused.append(self.headers.get("Idempotency-Key", ""))
                self._answer(401, b'{"error": "bad signature"}')
                return
            payload = json.loads(body)
            key = self.headers["Idempotency-Key"]
            assert payload["idempotency_key"] == key
            with hook.lock:
                first = not hook.requests
                hook.requests.append(payload)
                # The provider's own idempotency: a key it has seen is acknowledged, not sent again.
                hook.delivered.setdefault(key, payload)
            hook.arrived.set()
            if first and hook.hold_first:
                hook.release.wait(timeout=30)
            self._answer(hook.answer_status, b'{"ok": true}')

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        hook.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)


@contextmanager
def smtp_receiver() -> Iterator[Mailbox]:
    box = Mailbox(host="127.0.0.1", port=0)

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            box.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
            return "250 Message accepted for delivery"

    with socket.socket() as probe:  # a free port: the controller checks its own by connecting to it
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
