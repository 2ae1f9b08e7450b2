"""``linernotes content sync``: bring the database in line with the content folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linernotes.importers.content_scan import NotAContentFolder
from linernotes.importers.content_sync import SyncReport, sync_content
from linernotes.importers.records import Severity, UnreadableSource


class Command(BaseCommand):
    help = (
        "Work with the content folder: a folder in the layout `export markdown` writes, kept "
        "in git (docs/git-workflow.md)."
    )
    # Run after every commit or save of a file, so it starts as quickly as it can: the system
    # checks (which load every view and admin page) are `linernotes check`'s and the server's.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sync = actions.add_parser(
            "sync",
            help="create, update and unpublish posts and pages as the folder's files say; only "
            "files changed since the last sync are read; conflicts are reported and left alone",
        )
        sync.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="the content folder (default: LINERNOTES_CONTENT_DIR)",
        )
        sync.add_argument(
            "--dry-run", action="store_true", help="report what would change; change nothing"
        )
        sync.add_argument(
            "--use-file",
            action="append",
            default=[],
            metavar="PATH",
            help="settle the conflict of this file (its path in the folder) for the file: it "
            "overwrites the database's change; may be given more than once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or settings.LINERNOTES_CONTENT_DIR
        if not directory:
            raise CommandError("No content folder: give --dir DIR or set LINERNOTES_CONTENT_DIR.")
        try:
            report = sync_content(
                Path(directory),
                dry_run=options["dry_run"],
                progress=self._progress if options["verbosity"] > 1 else None,
                use_files=options["use_file"],
            )
        except NotAContentFolder as problem:
            raise CommandError(str(problem)) from None
        except UnreadableSource as problem:
            raise CommandError(f"Nothing was synced. {problem}") from None
        self._print(report)
        if report.conflicts:
            raise CommandError(
                f"{len(report.conflicts)} conflicts: each file and its post were left as they "
                "are (docs/git-workflow.md says how to settle them)."
            )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)

    def _print(self, report: SyncReport) -> None:
        first, *rest = report.lines()
        self.stdout.write(first)
        for line in rest:
            stripped = line.lstrip()
            to_stderr = stripped.startswith("conflict:") or stripped.startswith(
                f"{Severity.WARNING}:"
            )
            (self.stderr if to_stderr else self.stdout).write(line)
        if report.dry_run:
            self.stdout.write("Nothing was changed (dry run).")
