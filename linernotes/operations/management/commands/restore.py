from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from linernotes.console import StageProgress
from linernotes.operations.manifest import BackupError
from linernotes.operations.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive (from linernotes backup) into this instance: its database "
        "and media folder. Refuses an instance that already holds content unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="FILE", type=Path, help="the .tar.gz to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over the content this instance holds (its database is replaced; "
            "media files of the same name are overwritten, others are kept)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with StageProgress(self.stdout) as progress:
                result = restore_backup(
                    options["archive"], force=options["force"], progress=progress
                )
        except BackupError as problem:
            raise CommandError(str(problem)) from None
        manifest = result.manifest
        counts = ", ".join(f"{label}: {count}" for label, count in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup of {manifest.created_at}")
            + f" (Liner Notes {manifest.linernotes_version}). {counts}; "
            f"media files: {result.media_files} ({filesizeformat(result.media_bytes)})."
        )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The restored database lacks {result.pending_migrations} of this "
                    "version's migrations: run `linernotes migrate` before serving it."
                )
            )
