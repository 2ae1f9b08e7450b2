from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from linernotes.console import StageProgress
from linernotes.content.services import rerender_all


class Command(BaseCommand):
    help = "Render the Markdown of every post and page again, e.g. after a pipeline change."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with StageProgress(self.stdout) as progress:
            changed = rerender_all(dry_run=options["dry_run"], progress=progress)
        if options["dry_run"]:
            self.stdout.write(f"{changed} posts and pages would change.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Rendered every post and page; {changed} changed.")
            )
