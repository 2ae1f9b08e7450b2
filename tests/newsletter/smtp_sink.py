"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it accepts, for tests.

It can refuse chosen recipients, and it can "go down" after N messages: from then on it
answers every new message with 421 (closing), like a server that is shutting down. Or it can
crash after N messages: the next one finds the connection cut and the server gone.
"""

from __future__ import annotations

import email
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.processes import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class RecordingHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.refusals: dict[str, str] = {}
        self.accept_limit: int | None = None
        self.crash_limit: int | None = None
        self.on_crash: Callable[[], None] = lambda: None

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        with self.lock:
            full = self.accept_limit is not None and len(self.received) >= self.accept_limit
            crash = self.crash_limit is not None and len(self.received) >= self.crash_limit
        if crash:
            # No reply at all: the connection drops and the server stops, as when it is killed.
            server.transport.close()
            threading.Thread(target=self.on_crash).start()
            return "421 4.3.2 Gone"
        if full:
            return "421 4.3.2 Service shutting down"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = self.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 2.0.0 Accepted"


class SmtpSink:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None
        self.crashed = threading.Event()
        self.handler.on_crash = self._crash

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.recipients]

    def refuse(self, address: str, reply: str) -> None:
        self.handler.refusals[address.lower()] = reply

    def go_down_after(self, count: int | None) -> None:
        self.handler.accept_limit = count

    def crash_after(self, count: int | None) -> None:
        self.handler.crash_limit = count
        self.crashed.clear()

    def _crash(self) -> None:
        self.stop()
        self.crashed.set()

    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_TIMEOUT": 10,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
