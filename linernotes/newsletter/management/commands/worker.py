from __future__ import annotations

import logging
import os
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linernotes.config.logs import make_formatter
from linernotes.newsletter import sending
from linernotes.newsletter.background import DueWorkChecker, GracefulWorker, check_due_work

LOGGERS = ("django_tasks", "django_tasks_db", "linernotes.newsletter")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class Command(BaseCommand):
    help = (
        "Run background work until stopped (Ctrl+C or SIGTERM): newsletter emails, weekly "
        "digests, scheduled posts, and every other queued task. Run one or more alongside the "
        "web server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Do the work that is due now, then exit (for cron jobs and one-off runs).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks for new tasks when idle (1).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Comma-separated task queues to run, '*' for all (the default).",
        )
        parser.add_argument(
            "--exit-with-parent",
            type=int,
            metavar="PID",
            help="Stop when process PID, the one that started this one, exits (the demo uses "
            "this).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parent = options["exit_with_parent"]
        if parent is not None and os.getppid() != parent:
            # Started by a process that is already gone: there is no one to work for.
            raise CommandError(f"process {parent}, which started this worker, has exited")
        with self._logging(options["verbosity"]):
            self._work(options, parent)

    def _work(self, options: dict[str, Any], parent: int | None) -> None:
        sending.stop_requested.clear()
        worker = GracefulWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:6]}"[:64],
            excluded_queue_names=[],
        )
        if options["batch"]:
            check_due_work()
        else:
            DueWorkChecker(settings.LINERNOTES_NEWSLETTER_POLL_SECONDS, parent_pid=parent).start()
        previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        worker.configure_signals()
        try:
            worker.run()
        finally:
            # Put back what was there (matters when the command runs inside another program).
            for number, handler in previous.items():
                signal.signal(number, handler)

    @contextmanager
    def _logging(self, verbosity: int) -> Iterator[None]:
        """The worker's lines go to its output, in the configured format, while it runs."""
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(make_formatter(settings.LINERNOTES_LOG_FORMAT))
        loggers = [logging.getLogger(name) for name in LOGGERS]
        before = [(logger.level, logger.propagate) for logger in loggers]
        for logger in loggers:
            logger.setLevel(level)
            logger.addHandler(handler)
            logger.propagate = False
        try:
            yield
        finally:
            for logger, (old_level, old_propagate) in zip(loggers, before, strict=True):
                logger.removeHandler(handler)
                logger.setLevel(old_level)
                logger.propagate = old_propagate
