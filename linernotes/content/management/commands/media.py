from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import UnidentifiedImageError

from linernotes.console import counted_progress
from linernotes.content import media_library, renditions
from linernotes.content.media_models import MediaFile


@dataclass
class _Tally:
    images: int = 0
    made: int = 0
    files: int = 0
    failed: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "The media library: list uploads and where they are used, or (re)build the renditions "
        "of every uploaded, hero, social and avatar image."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "list", help="uploads with their size and the posts and pages using them"
        )
        build = actions.add_parser(
            "renditions", help="make the renditions that are missing (all of them with --force)"
        )
        build.add_argument(
            "--dry-run", action="store_true", help="say what would be made, and make nothing"
        )
        build.add_argument(
            "--force", action="store_true", help="make every rendition again, even those present"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
        else:
            self._renditions(dry_run=options["dry_run"], force=options["force"])

    def _list(self) -> None:
        files = list(MediaFile.objects.select_related("uploaded_by"))
        if not files:
            self.stdout.write("The media library is empty.")
            return
        for media in files:
            uses = [
                f"{type(use).__name__.lower()} {use.slug}" for use in media_library.uses_of(media)
            ]
            when = timezone.localtime(media.uploaded_at).strftime("%Y-%m-%d")
            self.stdout.write(
                f"{media.url}  {filesizeformat(media.size)}  {media.width}×{media.height}  "
                f"{when}  used in: {', '.join(uses) or 'nothing yet'}"
            )
        total = sum(media.size for media in files)
        self.stdout.write(f"{len(files)} files, {filesizeformat(total)}.")

    def _renditions(self, *, dry_run: bool, force: bool) -> None:
        names = media_library.stored_images()
        if not names:
            self.stdout.write("Nothing to do: no images have been uploaded.")
            return
        # Checked up front, so the progress bar counts only the images that need work.
        missing = names if force else [name for name in names if not renditions.is_complete(name)]
        if not missing:
            self.stdout.write(f"Nothing to do: all {len(names)} images have their renditions.")
            return
        if dry_run:
            self.stdout.write(f"Would make renditions of {len(missing)} of {len(names)} images:")
            for name in missing:
                self.stdout.write(f"  {name}")
            self.stdout.write("Nothing was changed (--dry-run).")
            return
        tally = self._build(missing, force=force)
        self._report(tally, total=len(names))

    def _build(self, names: list[str], *, force: bool) -> _Tally:
        tally = _Tally(images=len(names))
        with counted_progress(self.stdout, "Renditions", len(names)) as advance:
            for name in names:
                try:
                    tally.files += media_library.build_renditions(name, force=force)
                    tally.made += 1
                except (OSError, UnidentifiedImageError, ValueError) as problem:
                    tally.failed.append(f"{name}: {problem}")
                advance(name)
        return tally

    def _report(self, tally: _Tally, *, total: int) -> None:
        kept = total - tally.images
        self.stdout.write(
            f"Made renditions of {tally.made} images ({tally.files} files written); "
            f"{kept} already had theirs."
        )
        if tally.failed:
            self.stderr.write(f"{len(tally.failed)} images could not be read:")
            for failure in tally.failed:
                self.stderr.write(f"  {failure}")
