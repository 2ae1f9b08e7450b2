"""``linernotes backup``: the database and the media folder in one archive (manifest.py).

The database is copied first and the media folder listed after: a file is stored before its
row commits (content/uploads.py) or moments after (importers/staging.py), so the files the
copy refers to are there by the time the folder is listed. A file uploaded meanwhile is
archived without a row pointing at it, which costs nothing.

The archive is written beside its target under a temporary name and renamed once complete,
so a failed or interrupted backup never leaves half an archive where a whole one is expected.
It is created readable by its owner only: it holds password hashes and subscribers' addresses.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO

from django.db import connection

from linernotes.console import Progress
from linernotes.operations.databases import (
    copy_sqlite,
    database_settings,
    dump_postgres,
    sqlite_path,
)
from linernotes.operations.instance import MediaListing, list_media, media_in_folder, media_root
from linernotes.operations.manifest import (
    DATABASE_MEMBERS,
    MANIFEST_MEMBER,
    MEDIA_PREFIX,
    VENDOR_NAMES,
    ArchivedFile,
    BackupError,
    Manifest,
)

# Compresses nearly as well as the slowest level in a fraction of its time; images, most of
# the media folder, do not compress at all.
COMPRESS_LEVEL = 6


@dataclass(frozen=True)
class BackupResult:
    path: Path
    archive_bytes: int
    database_bytes: int
    media_files: int
    media_bytes: int
    skipped_links: list[Path] = field(default_factory=list)
    media_in_folder: bool = True


def default_archive_name(now: datetime) -> str:
    return f"linernotes-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def write_backup(target: Path, progress: Progress) -> BackupResult:
    """Write a backup archive of this instance to ``target``."""
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the name of the archive to write.")
    if not target.parent.is_dir():
        raise BackupError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    if target.resolve().is_relative_to(media_root().resolve()):
        raise BackupError(f"{target} is inside the media folder, which the archive holds.")
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as error:
        raise BackupError(f"Cannot write {target}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            result = _write_archive(out, target, progress)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def _write_archive(out: IO[bytes], target: Path, progress: Progress) -> BackupResult:
    created = datetime.now(UTC)
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backing up a {vendor} database is not supported.")
    with (
        tempfile.TemporaryDirectory(dir=target.parent, prefix=".linernotes-backup-") as scratch,
        # The name goes into the gzip header, which would otherwise carry the temporary one.
        tarfile.open(
            target.name, mode="w:gz", fileobj=out, compresslevel=COMPRESS_LEVEL
        ) as archive,
    ):
        stage = f"Copying the {VENDOR_NAMES[vendor]} database"
        progress(stage, 0, 1)
        copy = Path(scratch) / DATABASE_MEMBERS[vendor]
        if vendor == "sqlite":
            copy_sqlite(sqlite_path(database_settings()), copy)
        else:
            dump_postgres(database_settings(), copy)
        database = _add_file(archive, copy, copy.name, created.timestamp())
        progress(stage, 1, 1)

        root = media_root()
        listing = list_media(root) if media_in_folder() else MediaListing()
        media = []
        for done, (path, status) in enumerate(listing.files, start=1):
            member = MEDIA_PREFIX + path.relative_to(root).as_posix()
            media.append(_add_file(archive, path, member, status.st_mtime))
            progress("Archiving media files", done, len(listing.files))

        manifest = Manifest(
            linernotes_version=version("linernotes"),
            vendor=vendor,
            created_at=created.isoformat(timespec="seconds"),
            database=database,
            media=tuple(media),
        )
        _add_bytes(archive, MANIFEST_MEMBER, manifest.to_json(), created.timestamp())
    return BackupResult(
        path=target,
        archive_bytes=out.tell(),
        database_bytes=database.size,
        media_files=len(media),
        media_bytes=sum(entry.size for entry in media),
        skipped_links=listing.links,
        media_in_folder=media_in_folder(),
    )


class _HashingReader:
    """Hands tarfile a file's bytes and hashes exactly the bytes it took."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, member: str, mtime: float) -> ArchivedFile:
    try:
        with path.open("rb") as raw:
            info = _member_info(member, os.fstat(raw.fileno()).st_size, mtime)
            reader = _HashingReader(raw)
            archive.addfile(info, reader)
    except OSError as error:
        # Most likely a file replaced or cut short while it was read: a second run gets it.
        raise BackupError(f"Cannot archive {path}: {error.strerror or error}") from None
    return ArchivedFile(member=member, size=info.size, sha256=reader.digest.hexdigest())


def _add_bytes(archive: tarfile.TarFile, member: str, data: bytes, mtime: float) -> None:
    archive.addfile(_member_info(member, len(data), mtime), io.BytesIO(data))


def _member_info(member: str, size: int, mtime: float) -> tarfile.TarInfo:
    # Plain files with no owner: a restore sets its own owner and permissions.
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    return info
