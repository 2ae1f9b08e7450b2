"""``linernotes logins``: who is locked out of signing in, and lifting a lockout early."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone


def locked_out() -> QuerySet[AccessAttempt]:
    """Username and address pairs that have reached the failure limit within the lockout."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


class Command(BaseCommand):
    help = "List sign-in lockouts, or lift them (after repeated wrong passwords)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("list", help="Usernames and addresses that are locked out now.")
        unlock = actions.add_parser("unlock", help="Lift lockouts and forget failed attempts.")
        unlock.add_argument("--username", help="Every lockout of this username.")
        unlock.add_argument("--ip", help="Every lockout of this client address.")
        unlock.add_argument("--all", action="store_true", help="Every lockout there is.")
        unlock.add_argument("--dry-run", action="store_true", help="Only say what would go.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self.list_lockouts()
        else:
            self.unlock(options["username"], options["ip"], options["all"], options["dry_run"])

    def list_lockouts(self) -> None:
        attempts = list(locked_out())
        if not attempts:
            self.stdout.write("Nobody is locked out.")
            return
        for attempt in attempts:
            until = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)
            self.stdout.write(
                f"{attempt.username or '(no username)'} from {attempt.ip_address}: "
                f"{attempt.failures_since_start} failures, locked until {until:%Y-%m-%d %H:%M}"
            )

    def unlock(self, username: str | None, ip: str | None, everyone: bool, dry_run: bool) -> None:
        if everyone == bool(username or ip):
            raise CommandError("Give --username and/or --ip, or --all.")
        attempts = AccessAttempt.objects.all()
        if username:
            attempts = attempts.filter(username=username)
        if ip:
            attempts = attempts.filter(ip_address=ip)
        if dry_run:
            self.stdout.write(f"Would forget {attempts.count()} record(s) of failed sign-ins.")
            return
        # With neither given (--all) axes forgets every record.
        removed = reset(username=username, ip=ip)
        self.stdout.write(f"Forgot {removed} record(s) of failed sign-ins; they may sign in now.")
