"""Finding out, before a command's set-up work, that the port it will serve on is taken."""

from __future__ import annotations

import socket

from django.core.management.base import CommandError


def refuse_busy_port(host: str, port: int, *, hint: str = "Choose another with --port.") -> None:
    """Stop with a message when something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As a server binds: connections of a server just stopped do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"{host}:{port} is not free ({error.strerror}): another server is using it. {hint}"
            ) from None
