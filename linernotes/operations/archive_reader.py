"""Reading a backup archive safely into a staging folder, and checking it against its manifest.

Nothing in an archive is trusted until it has been checked: every member must be one of the
names a backup writes (manifest.py), a plain relative path (no leading ``/``, no ``..``) and a
regular file or folder (no links, devices or pipes). Files are written by this code, not by
tarfile, with this process's owner and permissions; a member that breaks a rule stops the
restore before anything outside the staging folder has changed.
"""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from linernotes.console import Progress
from linernotes.operations.manifest import (
    DATABASE_MEMBERS,
    MANIFEST_MAX_BYTES,
    MANIFEST_MEMBER,
    MEDIA_PREFIX,
    ArchivedFile,
    BackupError,
    Manifest,
)

CHUNK_BYTES = 1024 * 1024
READING = "Reading the backup (bytes)"


@dataclass(frozen=True)
class StagedBackup:
    """An archive's content, checked, in a staging folder: the database copy and the media."""

    manifest: Manifest
    database: Path
    media: Path

    def media_paths(self) -> list[str]:
        """Each media file's path under the media folder (and under ``media``)."""
        return [entry.member.removeprefix(MEDIA_PREFIX) for entry in self.manifest.media]


def stage_backup(archive: Path, staging: Path, progress: Progress) -> StagedBackup:
    """Unpack ``archive`` into the empty folder ``staging`` and check every file's checksum."""
    if not archive.is_file():
        raise BackupError(f"{archive}: there is no such file.")
    try:
        found, manifest_bytes = _unpack(archive, staging, progress)
    except BackupError as problem:
        raise BackupError(f"{archive} is refused: {problem}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        reason = getattr(error, "strerror", None) or error
        raise BackupError(
            f"{archive} is not a Liner Notes backup: it cannot be read as a .tar.gz "
            f"archive ({reason})."
        ) from None
    try:
        if manifest_bytes is None:
            raise BackupError(f"it has no {MANIFEST_MEMBER}")
        manifest = Manifest.from_json(manifest_bytes)
        _compare(found, manifest)
    except BackupError as problem:
        raise BackupError(f"{archive} is not a usable Liner Notes backup: {problem}.") from None
    return StagedBackup(
        manifest=manifest,
        database=staging / manifest.database.member,
        media=staging / MEDIA_PREFIX,
    )


def _unpack(
    archive: Path, staging: Path, progress: Progress
) -> tuple[dict[str, ArchivedFile], bytes | None]:
    found: dict[str, ArchivedFile] = {}
    manifest_bytes = None
    total = archive.stat().st_size
    # A stream ("r|gz"): one pass over the file, never seeking back.
    with archive.open("rb") as raw, tarfile.open(fileobj=raw, mode="r|gz") as tar:
        for member in tar:
            problem = member_problem(member)
            if problem:
                raise BackupError(f"member {member.name!r} {problem}")
            if member.isdir():
                continue
            if member.name in found or (
                member.name == MANIFEST_MEMBER and manifest_bytes is not None
            ):
                raise BackupError(f"member {member.name!r} appears twice")
            source = tar.extractfile(member)
            assert source is not None  # a regular file, checked above
            if member.name == MANIFEST_MEMBER:
                if member.size > MANIFEST_MAX_BYTES:
                    raise BackupError(f"member {member.name!r} is too large to be a manifest")
                manifest_bytes = source.read()
            else:
                found[member.name] = _write(source, staging, member.name)
            progress(READING, raw.tell(), total)
    return found, manifest_bytes


def member_problem(member: tarfile.TarInfo) -> str:
    """What makes ``member`` unacceptable in a backup archive, or "" when nothing does."""
    name = member.name
    if name.startswith("/") or PurePosixPath(name).is_absolute():
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "leads out of the folder it is restored to ('..')"
    if member.issym() or member.islnk():
        return f"is a link (to {member.linkname!r}); a backup holds only plain files"
    if not (member.isreg() or member.isdir()):
        return "is a device, pipe or other special file; a backup holds only plain files"
    if (name.rstrip("/") if member.isdir() else name) != str(PurePosixPath(name)):
        return "is not a plain relative path"
    media = MEDIA_PREFIX.rstrip("/")
    if member.isdir():
        return "" if name == media or name.startswith(MEDIA_PREFIX) else "is not a backup folder"
    if name in {MANIFEST_MEMBER, *DATABASE_MEMBERS.values()} or name.startswith(MEDIA_PREFIX):
        return ""
    return "is not part of a Liner Notes backup"


def _write(source: IO[bytes], staging: Path, name: str) -> ArchivedFile:
    target = staging / name
    # Checked above already; this keeps the rule where the file is written.
    if not target.resolve().is_relative_to(staging.resolve()):
        raise BackupError(f"member {name!r} leads out of the folder it is restored to")
    digest, size = hashlib.sha256(), 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("xb")
    except OSError as error:
        raise BackupError(f"member {name!r} cannot be unpacked: {error.strerror}") from None
    with out:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            try:
                out.write(chunk)
            except OSError as error:
                raise BackupError(
                    f"member {name!r} cannot be unpacked into {staging}: {error.strerror}"
                ) from None
    return ArchivedFile(member=name, size=size, sha256=digest.hexdigest())


def _compare(found: dict[str, ArchivedFile], manifest: Manifest) -> None:
    expected = manifest.files()
    if manifest.database.member != DATABASE_MEMBERS[manifest.vendor]:
        raise BackupError(
            f"its manifest names the database {manifest.database.member!r}, which is not "
            f"where a {manifest.vendor} backup keeps it"
        )
    for name, entry in expected.items():
        actual = found.get(name)
        if actual is None:
            raise BackupError(f"member {name!r} is in the manifest but not in the archive")
        if actual != entry:
            raise BackupError(
                f"member {name!r} does not match the manifest's size and sha256 checksum "
                "(the archive is damaged or was changed)"
            )
    unlisted = sorted(set(found) - set(expected))
    if unlisted:
        raise BackupError(f"member {unlisted[0]!r} is not listed in the manifest")
