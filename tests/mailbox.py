"""A real SMTP server for tests: aiosmtpd on loopback, keeping each message it receives.

`refuse(address, reply)` makes it answer RCPT TO for that address with `reply` (a 5xx for a
mailbox that does not exist, a 4xx for "try again later"), as a real server would.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.mailbox.lock:
            refusal = self.mailbox.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.mailbox.lock:
            self.mailbox.messages.append(message)
        return "250 Message accepted"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refusals: dict[str, str] = {}
        self.lock = threading.Lock()
        self.port = _free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.refusals.clear()

    def refuse(self, address: str, reply: str) -> None:
        """Answer RCPT TO:<address> with `reply`, e.g. "550 5.1.1 No such user"."""
        with self.lock:
            self.refusals[address.lower()] = reply

    def accept(self, address: str) -> None:
        with self.lock:
            self.refusals.pop(address.lower(), None)

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages, once at least `count` have arrived (a worker may deliver them later)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} mail(s) within {timeout}s, got {len(self.messages)}"
        )

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
