from __future__ import annotations

import os
import signal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from linernotes.demo.loader import load_demo
from linernotes.demo.staff import ensure_demo_staff
from linernotes.newsletter.background import worker_process
from linernotes.ports import refuse_busy_port

DEMO_USERNAME = "admin"
DEMO_PASSWORD_VARIABLE = "LINERNOTES_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "Set up and serve the demo site: apply migrations, load the demo content (safe to run "
        "again), create an 'admin' account, and serve on http://127.0.0.1:8000 with a background "
        "worker that sends the newsletter (to the console unless EMAIL_HOST is set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the demo without starting a server."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"]:
            # Before the set-up work, so a busy port costs a second, not a minute.
            refuse_busy_port(
                options["host"],
                options["port"],
                hint="Choose another port with --port (make demo PORT=8001).",
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        summary = load_demo()
        password = self._ensure_admin()
        staff = ensure_demo_staff(self._password())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {summary.posts} posts, {summary.categories} categories, "
                f"{summary.authors} authors, {summary.pages} pages."
            )
        )
        self.stdout.write(f"Admin: /admin/ as '{DEMO_USERNAME}'{password}")
        for username, role, author in staff:
            self.stdout.write(f"       or as '{username}' ({role}, writing as {author})")
        if not options["no_serve"]:
            address = f"{options['host']}:{options['port']}"
            # SIGTERM stops the server like Ctrl+C does, so the worker is stopped with it.
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            with worker_process():
                call_command("runserver", address, use_reloader=False, use_threading=True)

    def _ensure_admin(self) -> str:
        """Create the demo's staff account once; its password comes from the environment."""
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            return " (existing account)."
        password = self._password()
        user_model.objects.create_superuser(DEMO_USERNAME, "admin@example.com", password)
        return f" with password '{password}' (set {DEMO_PASSWORD_VARIABLE} to choose another)."

    def _password(self) -> str:
        return os.environ.get(DEMO_PASSWORD_VARIABLE, "") or "liner-notes-demo"
