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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from linernotes.content.services import publish_due_posts
from linernotes.newsletter import mailings, sending

logger = logging.getLogger(__name__)
PARENT_CHECK_SECONDS = 1.0


class GracefulWorker(Worker):
    """Asked to stop, it lets a running sender finish the message in hand, not the whole send."""

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        sending.stop_requested.set()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Runs the task, then logs one line for it: what ran, how it ended, how long it took."""
        started = time.perf_counter()
        try:
            super().run_task(db_task_result)
        finally:
            milliseconds = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "task %s %s %s ms",
                db_task_result.task_path,
                db_task_result.status,
                milliseconds,
                extra={
                    "event": "task",
                    "task": db_task_result.task_path,
                    "task_id": str(db_task_result.id),
                    "state": db_task_result.status,
                    "duration_ms": milliseconds,
                },
            )


class DueWorkChecker(threading.Thread):
    def __init__(self, interval: float, *, parent_pid: int | None = None) -> None:
        super().__init__(name="newsletter-due-work", daemon=True)
        self.interval = interval
        self.parent_pid = parent_pid

    def run(self) -> None:
        while not self._parent_gone():
            close_old_connections()
            check_due_work()
            # This thread's own connection; the next check opens a fresh one.
            connection.close()
            # The parent is looked for every second, not only at each check, so a worker left
            # behind stops within a second rather than a poll interval.
            deadline = time.monotonic() + self.interval
            while (remaining := deadline - time.monotonic()) > 0:
                if sending.stop_requested.wait(min(remaining, PARENT_CHECK_SECONDS)):
                    return
                if self._parent_gone():
                    break
        # The process that started us is gone (the demo server): stop like on Ctrl+C.
        os.kill(os.getpid(), signal.SIGTERM)

    def _parent_gone(self) -> bool:
        return self.parent_pid is not None and os.getppid() != self.parent_pid


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
    # The parent names itself: a child reading its parent's id after the parent died would
    # see whoever adopted it instead, and never notice it was left behind.
    command = [
        sys.executable,
        "-m",
        "linernotes.cli",
        "worker",
        f"--exit-with-parent={os.getpid()}",
    ]
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
