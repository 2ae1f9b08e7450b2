"""Files an import brings along: checked like uploads, staged, and stored only on commit.

An import is one transaction. Its files are copied into a staging folder first and given the
storage names the new rows will hold; the rows commit, then the files move into storage. A
failed or dry-run import discards the staging folder, so it leaves no files behind either.

Body images join the media library (the same bytes already there are reused, so importing
twice stores nothing new); hero, social and avatar images are stored as their fields store
them. Remote images stay where they are unless ``download`` is set.
"""

from __future__ import annotations

import hashlib
import shutil
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from linernotes.content.media_library import queue_renditions
from linernotes.content.media_models import MediaFile
from linernotes.content.uploads import UploadRefused, check_upload, stored_name
from linernotes.importers.records import ImportedMedia
from linernotes.importers.report import ImportReport, Outcome

DOWNLOAD_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class StoredImage:
    name: str  # the storage name the row holds
    width: int
    height: int

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


class MediaStage:
    def __init__(self, report: ImportReport, *, download: bool, dry_run: bool) -> None:
        self.report, self.download, self.dry_run = report, download, dry_run
        self.folder = Path(settings.MEDIA_ROOT) / ".import-staging" / uuid.uuid4().hex
        self._staged: list[tuple[Path, str]] = []
        self._planned: set[str] = set()
        self._library: dict[str, MediaFile] = {}  # by content hash
        self._files: dict[tuple[str, str], StoredImage] = {}  # (folder, hash) -> stored
        self.new_library_files: list[MediaFile] = []

    # --- Reading and checking ---

    def _open(self, media: ImportedMedia, where: str) -> IO[bytes] | None:
        if media.path is not None:
            if not media.path.is_file():
                self.report.notice(where, f"image {media.reference} not found at {media.path}")
                return None
            return media.path.open("rb")
        if media.url and self.download:
            return self._fetch(media.url, where)
        return None

    def _fetch(self, url: str, where: str) -> IO[bytes] | None:
        if not url.startswith(("https://", "http://")):
            self.report.notice(where, f"not downloaded (not an http address): {url}")
            return None
        limit = settings.LINERNOTES_MAX_UPLOAD_BYTES
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as answer:
                data = answer.read(limit + 1)
        except (OSError, ValueError) as problem:
            self.report.notice(where, f"could not download {url}: {problem}")
            return None
        return BytesIO(data)

    def _checked(self, media: ImportedMedia, where: str) -> tuple[IO[bytes], str, int, int] | None:
        file = self._open(media, where)
        if file is None:
            return None
        try:
            checked = check_upload(file, name=media.reference)
        except UploadRefused as refused:
            file.close()
            self.report.notice(where, f"image {media.reference} not imported: {refused.message}")
            self.report.count("media", Outcome.SKIPPED)
            return None
        return file, checked.sha256, checked.width, checked.height

    # --- Body images: the media library ---

    def body_image(self, media: ImportedMedia, where: str) -> str | None:
        """The address the body should use for ``media``, or None to keep it as written."""
        found = self._checked(media, where)
        if found is None:
            return None
        file, sha256, width, height = found
        with file:
            known = self._library.get(sha256) or MediaFile.objects.filter(sha256=sha256).first()
            if known is not None:
                self._library[sha256] = known
                if known.pk is not None:
                    self.report.count("media", Outcome.UNCHANGED)
                return str(known.url)
            extension = PurePosixPath(media.name or media.reference).suffix.lower().lstrip(".")
            name = self._plan(media.name, f"media/{_month()}", media.reference, extension)
            row = MediaFile(
                alt=" ".join(media.alt.split())[:300],
                original_name=PurePosixPath(media.reference.split("?")[0]).name[-255:] or "image",
                size=_size(file),
                sha256=sha256,
                width=width,
                height=height,
            )
            row.file.name = name
            self._stage(file, name)
            self._library[sha256] = row
            self.new_library_files.append(row)
            self.report.count("media", Outcome.CREATED)
            return default_storage.url(name)

    # --- Hero, social and avatar images: files of a field ---

    def field_image(self, media: ImportedMedia, where: str, *, folder: str) -> StoredImage | None:
        found = self._checked(media, where)
        if found is None:
            if media.path is None and media.url and not self.download:
                self.report.notice(
                    where, f"{media.url} is elsewhere: use --download-media to bring it in"
                )
            return None
        file, sha256, width, height = found
        with file:
            cached = self._files.get((folder, sha256))
            if cached is not None:
                return cached
            extension = PurePosixPath(media.name or media.reference).suffix.lower().lstrip(".")
            if media.name and _stored_file_hash(media.name) == sha256:
                stored = StoredImage(media.name, width, height)  # already there, same bytes
                self.report.count("media", Outcome.UNCHANGED)
            else:
                name = self._plan(media.name, folder, media.reference, extension)
                self._stage(file, name)
                stored = StoredImage(name, width, height)
                self.report.count("media", Outcome.CREATED)
            self._files[(folder, sha256)] = stored
            return stored

    # --- Names, staging and commit ---

    def _plan(self, wanted: str, folder: str, reference: str, extension: str) -> str:
        """A free storage name: the one the source asked for if it can have it."""
        if wanted and not default_storage.exists(wanted) and wanted not in self._planned:
            name = wanted
        else:
            base = PurePosixPath(reference.split("?")[0]).name or "image"
            name = f"{folder}/{stored_name(base, extension or 'jpg')}"
            name = default_storage.get_available_name(name)
            stem = PurePosixPath(name)
            counter = 1
            while name in self._planned:
                counter += 1
                name = str(stem.with_name(f"{stem.stem}-{counter}{stem.suffix}"))
        self._planned.add(name)
        return name

    def _stage(self, file: IO[bytes], name: str) -> None:
        if self.dry_run:
            return
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        file.seek(0)
        with target.open("wb") as out:
            shutil.copyfileobj(file, out)
        self._staged.append((target, name))

    def save_library_files(self) -> None:
        """The media-library rows of the new body images (their files follow on commit)."""
        MediaFile.objects.bulk_create(self.new_library_files, batch_size=500)

    def store_on_commit(self, extra_renditions: list[str]) -> None:
        """Once the import commits: move the staged files into storage, then queue renditions."""
        transaction.on_commit(partial(self._store, extra_renditions))

    def _store(self, extra_renditions: list[str]) -> None:
        try:
            for staged, name in self._staged:
                with staged.open("rb") as file:
                    # The name was free when planned; storage may still pick another if
                    # something took it since, so the one it chose is checked.
                    saved = default_storage.save(name, File(file, name=name))
                if saved != name:
                    MediaFile.objects.filter(file=name).update(file=saved)
            for name in [
                *(str(row.file.name) for row in self.new_library_files),
                *extra_renditions,
            ]:
                queue_renditions(name)
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _month() -> str:
    now: datetime = timezone.localtime()
    return f"{now:%Y/%m}"


def _size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _stored_file_hash(name: str) -> str | None:
    if not default_storage.exists(name):
        return None
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
