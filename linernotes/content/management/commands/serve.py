from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the site with gunicorn, the production WSGI server (run collectstatic first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="Address:port (127.0.0.1:8000)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Worker processes (2).")

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "linernotes.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
        ]
        # No gunicorn access log: the site logs each request itself, with its timing and in
        # the configured format (LINERNOTES_LOG_FORMAT).
        os.execv(sys.executable, gunicorn)
