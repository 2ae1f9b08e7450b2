from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from linernotes.console import StageProgress
from linernotes.operations.backup import default_archive_name, write_backup
from linernotes.operations.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database and the media folder into one .tar.gz archive, consistent while "
        "the site and the worker go on writing. docs/operations.md describes what it holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="FILE",
            type=Path,
            help="the archive to write (default: linernotes-backup-YYYYMMDD-HHMMSS.tar.gz in "
            "the current folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["output"] or Path(default_archive_name(datetime.now()))
        try:
            with StageProgress(self.stdout) as progress:
                result = write_backup(target, progress)
        except BackupError as problem:
            raise CommandError(str(problem)) from None
        if not result.media_in_folder:
            self.stderr.write(
                "Uploads are kept in object storage, not in a folder: this archive holds the "
                "database only. Back the bucket up with its provider's tools."
            )
        for link in result.skipped_links:
            self.stderr.write(f"Not archived: {link} is a link; copy what it points at apart.")
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {result.path.resolve()}")
            + f" ({filesizeformat(result.archive_bytes)}): the database "
            f"({filesizeformat(result.database_bytes)}) and {result.media_files} media files "
            f"({filesizeformat(result.media_bytes)})."
        )
