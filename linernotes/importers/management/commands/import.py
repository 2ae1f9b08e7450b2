"""``linernotes import wordpress|ghost|markdown``: bring a blog's archive in."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from linernotes.console import StageProgress
from linernotes.importers.records import Severity, UnreadableSource
from linernotes.importers.report import ImportReport
from linernotes.importers.sources import read_source

LAYOUTS = ("auto", "jekyll", "hugo", "zola")


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR), a Ghost export (JSON) or a folder of Markdown files. "
        "Everything lands in one transaction or nothing does; running it again changes only "
        "what changed in the source."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        wordpress = sources.add_parser("wordpress", help="a WordPress export file (.xml)")
        wordpress.add_argument("path", type=Path, metavar="FILE")
        wordpress.add_argument(
            "--tags",
            choices=("categories", "skip"),
            default="categories",
            help="what WordPress tags become (default: categories)",
        )
        ghost = sources.add_parser("ghost", help="a Ghost export file (.json)")
        ghost.add_argument("path", type=Path, metavar="FILE")
        ghost.add_argument(
            "--site-url",
            default="",
            help="the Ghost site's address, for its images (exports do not say it)",
        )
        markdown = sources.add_parser("markdown", help="a Jekyll, Hugo or Zola site folder")
        markdown.add_argument("path", type=Path, metavar="DIR")
        markdown.add_argument("--layout", choices=LAYOUTS, default="auto")
        for parser_ in (wordpress, ghost, markdown):
            parser_.add_argument(
                "--dry-run", action="store_true", help="report what would change; change nothing"
            )
            parser_.add_argument(
                "--download-media",
                action="store_true",
                help="fetch remote images into the media library (they stay remote otherwise)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        from linernotes.importers.service import import_records

        source, path = options["source"], options["path"]
        extra = {
            "wordpress": {"tags": options.get("tags")},
            "ghost": {"site_url": options.get("site_url")},
            "markdown": {"layout": options.get("layout")},
        }[source]
        try:
            site = read_source(source, path, **extra)
        except UnreadableSource as problem:
            raise CommandError(f"Nothing was imported. {problem}") from None
        with StageProgress(self.stdout) as progress:
            report = import_records(
                site,
                dry_run=options["dry_run"],
                download_media=options["download_media"],
                progress=progress,
            )
        self._print(report)

    def _print(self, report: ImportReport) -> None:
        for line in report.lines():
            warning = line.lstrip().startswith(f"{Severity.WARNING}:")
            (self.stderr if warning else self.stdout).write(line)
        if report.dry_run:
            self.stdout.write("Nothing was changed (dry run).")
