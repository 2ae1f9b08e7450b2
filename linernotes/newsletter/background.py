"""The background worker: django-tasks-db's worker plus a periodic check for due work.

The check runs in a thread every few seconds. It publishes scheduled posts whose time has come
(``publish_due_posts``, which announces them as any publication does), then
(``mailings.run_due_work``) queues weekly digests that are due and posts whose announcement was
missed, and starts a sender when deliveries wait: retries, or those a crashed sender left
behind once their claims lapse.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from linernotes.content.services import publish_due_posts
from linernotes.newsletter import mailings, sending

logger = logging.getLogger(__name__)


class GracefulWorker(Worker):
    """Asked to stop, it lets a running sender finish the message in hand, not the whole send."""

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        sending.stop_requested.set()
        super().shutdown(signum, frame)


class DueWorkChecker(threading.Thread):
    def __init__(self, interval: float, *, parent_pid: int | None = None) -> None:
        super().__init__(name="newsletter-due-work", daemon=True)
        self.interval = interval
        self.parent_pid = parent_pid

    def run(self) -> None:
        while True:
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                # The process that started us is gone (the demo server): stop like on Ctrl+C.
                os.kill(os.getpid(), signal.SIGTERM)
                return
            close_old_connections()
            check_due_work()
            # This thread's own connection; the next check opens a fresh one.
            connection.close()
            sending.stop_requested.wait(self.interval)
            if sending.stop_requested.is_set():
                return


def check_due_work() -> None:
    try:
        for post in publish_due_posts():
            logger.info("Published scheduled post %s (%s)", post.pk, post.slug)
    except Exception:
        logger.exception("Publishing scheduled posts failed")
    try:
        work = mailings.run_due_work()
    except Exception:
        # Logged, and tried again at the next check: one failure (SQLite busy with the
        # worker's own writes, a database restart) must not end the checks for good.
        logger.exception("Checking for due newsletter work failed")
        return
    if work.mailings or work.digests or work.sending_started:
        logger.info("Due work: %s", work)


@contextmanager
def worker_process(*, verbosity: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """``linernotes worker`` as a child process for as long as the ``with`` block runs."""
    command = [sys.executable, "-m", "linernotes.cli", "worker", "--exit-with-parent"]
    # A session of its own: Ctrl+C reaches only the parent, which then stops the worker once,
    # gracefully, instead of the terminal interrupting both at the same time.
    process = subprocess.Popen([*command, f"--verbosity={verbosity}"], start_new_session=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
