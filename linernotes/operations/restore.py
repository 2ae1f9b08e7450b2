"""``linernotes restore``: a backup archive into an empty instance.

The order keeps a refused or failed restore from changing anything that matters: the
instance is checked for content first (cheap), then the whole archive is unpacked into a
staging folder and checked against its manifest (archive_reader.py); only then are the media
files moved into place and, last, the database written, in one step that either completes or
leaves the old database as it was. A failure after the media step leaves only files that no
row refers to.

Media files already in the folder are never deleted: with ``--force`` the archive's files
replace those of the same name and any others stay where they are.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from linernotes.console import Progress
from linernotes.operations.archive_reader import StagedBackup, stage_backup
from linernotes.operations.databases import (
    database_settings,
    restore_postgres,
    restore_sqlite,
    sqlite_path,
)
from linernotes.operations.instance import (
    content_counts,
    list_media,
    media_root,
    pending_migrations,
)
from linernotes.operations.manifest import VENDOR_NAMES, BackupError, Manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    counts: dict[str, int]
    media_files: int
    media_bytes: int
    pending_migrations: int


def restore_backup(archive: Path, *, force: bool, progress: Progress) -> RestoreResult:
    if not force:
        refuse_unless_empty()
    root = media_root()
    # Staged beside the media folder, so files move into it by renaming, not copying.
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent, prefix=".linernotes-restore-") as staging:
        staged = stage_backup(archive, Path(staging), progress)
        _refuse_other_vendor(archive, staged.manifest)
        sqlite_target = sqlite_path(database_settings()) if connection.vendor == "sqlite" else None
        _move_media_into_place(staged, root, progress)
        _restore_database(staged, sqlite_target, progress)
    return RestoreResult(
        manifest=staged.manifest,
        counts=content_counts(),
        media_files=len(staged.manifest.media),
        media_bytes=sum(entry.size for entry in staged.manifest.media),
        pending_migrations=pending_migrations(),
    )


def _restore_database(staged: StagedBackup, sqlite_target: Path | None, progress: Progress) -> None:
    progress("Restoring the database", 0, 1)
    # Django's own connection must not hold the database open while it is replaced, and
    # must not go on using what it knew of the old one afterwards.
    connection.close()
    try:
        if sqlite_target is not None:
            restore_sqlite(staged.database, sqlite_target)
        else:
            restore_postgres(database_settings(), staged.database)
    except BackupError as problem:
        raise BackupError(
            f"{problem}\nThe media files were restored; the database was not changed."
        ) from None
    finally:
        connection.close()
    progress("Restoring the database", 1, 1)


def refuse_unless_empty() -> None:
    """BackupError when the database has content or the media folder has files."""
    held = {label: count for label, count in content_counts().items() if count}
    if held:
        listed = ", ".join(f"{label}: {count}" for label, count in held.items())
        raise BackupError(
            f"The database already holds content ({listed}). A restore replaces it: back it "
            "up first if it matters, then run restore again with --force."
        )
    files = list_media(media_root()).files
    if files:
        raise BackupError(
            f"The media folder {media_root()} already holds {len(files)} files. A restore "
            "writes over files of the same name: run restore again with --force to do that."
        )


def _refuse_other_vendor(archive: Path, manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"{archive} holds a {VENDOR_NAMES[manifest.vendor]} database and this instance "
            f"uses {VENDOR_NAMES.get(connection.vendor, connection.vendor)}: restore it into "
            "an instance of the same kind (DATABASE_URL decides which)."
        )


def _move_media_into_place(staged: StagedBackup, root: Path, progress: Progress) -> None:
    paths = staged.media_paths()
    for done, relative in enumerate(paths, start=1):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(staged.media / relative, target)
        progress("Restoring media files", done, len(paths))


def _replace(source: Path, target: Path) -> None:
    """Move ``source`` to ``target`` at once, also from another file system (a mounted
    media folder): there the bytes are copied beside the target first."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise BackupError(f"Cannot write {target}: {error.strerror}") from None
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        except OSError as copy_error:
            Path(temporary).unlink(missing_ok=True)
            raise BackupError(f"Cannot write {target}: {copy_error.strerror}") from None
