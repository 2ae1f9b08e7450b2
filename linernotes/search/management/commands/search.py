from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from linernotes.console import StageProgress
from linernotes.search.backends import get_backend
from linernotes.search.indexer import index_status, rebuild_index


class Command(BaseCommand):
    help = "Look after the search index: 'rebuild' it from the posts, or show its 'status'."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = actions.add_parser(
            "rebuild",
            help="Index every published post again and drop everything else.",
            description="Index every published post again and drop everything else.",
        )
        rebuild.add_argument(
            "--dry-run", action="store_true", help="Count what would be indexed; change nothing."
        )
        actions.add_parser(
            "status",
            help="Which backend answers searches and how many posts it holds.",
            description="Which backend answers searches and how many posts it holds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
            return
        with StageProgress(self.stdout) as progress:
            summary = rebuild_index(dry_run=options["dry_run"], progress=progress)
        counts = f"{summary.visible} public now, {summary.indexed - summary.visible} not yet"
        if summary.scheduled:
            counts += f"; {summary.scheduled} scheduled, indexed as they go live"
        if options["dry_run"]:
            self.stdout.write(
                f"Would index {summary.indexed} posts ({counts}) "
                f"and remove {summary.removed} stale entries."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Indexed {summary.indexed} posts ({counts}); "
                    f"removed {summary.removed} stale entries."
                )
            )

    def _status(self) -> None:
        status = index_status()
        self.stdout.write(f"Backend: {get_backend().name}")
        self.stdout.write(f"Indexed posts: {status.indexed} of {status.indexable} published")
        if status.missing or status.stale:
            self.stdout.write(
                self.style.WARNING(
                    f"{status.missing} published posts are missing and {status.stale} entries "
                    "are stale: run 'linernotes search rebuild'."
                )
            )
