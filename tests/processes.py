"""Running Python in a process of its own, for what one test process cannot show: settings
read at start-up, output that must not depend on the process, commands as operators run them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def run_python(
    script: str,
    *,
    stdin: str = "",
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with this Python from the repository; ``env`` replaces the environment."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        env=None if env is None else dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any LINERNOTES_/DATABASE_/REDIS_ settings, plus
    ``variables``: a start-up as an operator with only those set would see it."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LINERNOTES_", "DJANGO_", "ANYMAIL_", "EMAIL_"))
        and name not in {"DATABASE_URL", "REDIS_URL", "DEFAULT_FROM_EMAIL"}
    }
    return {**kept, **variables}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
