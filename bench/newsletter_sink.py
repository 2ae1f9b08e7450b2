"""A local SMTP sink for the newsletter benchmark: accepts every message, keeps only a count.

    .venv/bin/python bench/newsletter_sink.py --port 2525 --count-file /tmp/count

It runs aiosmtpd in its own process (so it does not share the sender's interpreter), and
writes how many messages and recipients it accepted to ``--count-file`` when it is stopped
with SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path
from types import FrameType

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class CountingHandler:
    def __init__(self) -> None:
        self.messages = 0
        self.recipients: set[str] = set()
        self.bytes = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages += 1
        self.recipients.update(envelope.rcpt_tos)
        self.bytes += len(envelope.original_content or b"")
        return "250 2.0.0 Accepted"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", type=Path, required=True)
    options = parser.parse_args()

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=options.port)
    controller.start()
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("ready", flush=True)
    stopped.wait()
    controller.stop()
    counts = {
        "messages": handler.messages,
        "recipients": len(handler.recipients),
        "bytes": handler.bytes,
    }
    options.count_file.write_text(json.dumps(counts))


if __name__ == "__main__":
    main()
