from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linernotes.console import counted_progress
from linernotes.importers.export_json import export_json, total_records
from linernotes.importers.export_markdown import ExportRefused, MarkdownExport, prepare_target


class Command(BaseCommand):
    help = (
        "Export the whole site: as a folder of Markdown files with YAML front matter and its "
        "media (markdown DIR), or as one JSON document (json FILE, or - for standard output). "
        "docs/exporting.md describes both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True)
        markdown = formats.add_parser(
            "markdown", help="posts, pages and authors as Markdown files, with their media"
        )
        markdown.add_argument("directory", metavar="DIR", type=Path, help="an empty folder")
        markdown.add_argument(
            "--force",
            action="store_true",
            help="export into a folder that is not empty, replacing what an earlier export "
            "wrote there (other files, such as .git, are kept)",
        )
        document = formats.add_parser("json", help="everything as one JSON document")
        document.add_argument("file", metavar="FILE", help="the file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "markdown":
            self._markdown(options["directory"], force=options["force"])
        else:
            self._json(options["file"])

    def _markdown(self, target: Path, *, force: bool) -> None:
        try:
            prepare_target(target, replace=force)
            export = MarkdownExport(target)
            with counted_progress(self.stdout, "Exporting", export.total()) as advance:
                counts = export.write(advance)
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from None
        except OSError as problem:
            raise CommandError(f"Cannot write the export to {target}: {problem}") from None
        self.stdout.write(
            f"Exported {counts.posts} posts, {counts.pages} pages, {counts.authors} authors, "
            f"{counts.categories} categories, {counts.redirects} redirects and "
            f"{counts.media} media files to {target}."
        )

    def _json(self, file: str) -> None:
        if file == "-":
            # The document is the output: nothing else may be written to stdout.
            export_json(sys.stdout)
            return
        target = Path(file)
        if target.is_dir():
            raise CommandError(f"{target} is a folder; give the name of the file to write")
        try:
            # Written beside the target and renamed at the end, so a failed export never
            # leaves half a document where a whole one was.
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".part"
            )
        except OSError as problem:
            raise CommandError(f"Cannot write the export to {target}: {problem}") from None
        try:
            with (
                os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out,
                counted_progress(self.stdout, "Exporting", total_records()) as advance,
            ):
                counts = export_json(out, advance=advance)
            os.replace(temporary, target)
        except OSError as problem:
            raise CommandError(f"Cannot write the export to {target}: {problem}") from None
        finally:
            Path(temporary).unlink(missing_ok=True)
        self.stdout.write(
            f"Exported {counts.posts} posts, {counts.pages} pages, {counts.authors} authors, "
            f"{counts.categories} categories, {counts.redirects} redirects and "
            f"{counts.media} media files to {target}."
        )
