"""Export files uploaded in the admin, kept privately between the dry run and the import.

An upload is kept under ``VAR_DIR/imports/<token>/`` (never under MEDIA_ROOT, which is
public) until the user confirms it, at most a day. The token reaching the browser is signed
with the user's id, so nobody else can confirm it. A Markdown site arrives as a .zip archive and
is unpacked with limits: no absolute or parent paths, no links, a cap on files and bytes.
"""

from __future__ import annotations

import shutil
import stat
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core import signing

from linernotes.importers.records import UnreadableSource

KEPT_SECONDS = 24 * 3600
MAX_ARCHIVE_FILES = 50_000
_SALT = "linernotes.importers.upload"


@dataclass(frozen=True)
class KeptUpload:
    token: str
    path: Path  # the file, or the unpacked folder of a .zip


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def keep_upload(file: IO[bytes], name: str, *, user_id: int, unpack: bool) -> KeptUpload:
    """Store an uploaded export until it is confirmed; ``unpack`` a .zip of a site folder."""
    _forget_old_uploads()
    key = uuid.uuid4().hex
    folder = uploads_dir() / key
    folder.mkdir(parents=True)
    safe_name = PurePosixPath(name.replace("\\", "/")).name or "upload"
    target = folder / safe_name
    with target.open("wb") as out:
        shutil.copyfileobj(file, out)
    path = target
    if unpack:
        path = folder / "site"
        try:
            unpack_site(target, path)
        except UnreadableSource:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        target.unlink()
    token = signing.dumps({"k": key, "u": user_id, "p": str(path.relative_to(folder))}, salt=_SALT)
    return KeptUpload(token, path)


def kept_upload(token: str, *, user_id: int) -> KeptUpload | None:
    """The upload a token names, if it is this user's, recent, and still there."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=KEPT_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("u") != user_id or not str(data.get("k", "")).isalnum():
        return None
    folder = uploads_dir() / data["k"]
    path = (folder / data["p"]).resolve()
    if folder.resolve() not in path.parents or not path.exists():
        return None
    return KeptUpload(token, path)


def forget_upload(upload: KeptUpload) -> None:
    folder = uploads_dir().resolve()
    for parent in upload.path.resolve().parents:
        if parent.parent == folder:
            shutil.rmtree(parent, ignore_errors=True)
            return


def _forget_old_uploads() -> None:
    root = uploads_dir()
    if not root.is_dir():
        return
    cutoff = time.time() - KEPT_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def unpack_site(archive: Path, target: Path) -> None:
    """Unpack a .zip of a site folder into ``target``, refusing what could escape it."""
    limit = settings.LINERNOTES_MAX_IMPORT_BYTES * 4
    try:
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
            if len(members) > MAX_ARCHIVE_FILES:
                raise UnreadableSource(archive.name, f"more than {MAX_ARCHIVE_FILES:,} files")
            if sum(member.file_size for member in members) > limit:
                raise UnreadableSource(archive.name, f"unpacks to more than {limit:,} bytes")
            for member in members:
                _unpack_member(opened, member, target, archive.name)
    except zipfile.BadZipFile:
        raise UnreadableSource(archive.name, "not a .zip archive") from None
    _strip_single_folder(target)


def _unpack_member(
    opened: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, name: str
) -> None:
    parts = PurePosixPath(member.filename.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts:
        raise UnreadableSource(name, f"{member.filename}: a path outside the archive's folder")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UnreadableSource(name, f"{member.filename}: links are not unpacked")
    destination = target.joinpath(*parts.parts)
    if member.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    # zipfile stops at the size the archive states (checked above) and checks the CRC, so an
    # entry that lies about its size fails here as a bad archive.
    with opened.open(member) as source, destination.open("wb") as out:
        shutil.copyfileobj(source, out, length=1 << 20)


def _strip_single_folder(target: Path) -> None:
    """An archive of "blog/..." is read as the folder "blog" itself."""
    entries = [entry for entry in target.iterdir() if entry.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        for child in inner.iterdir():
            child.rename(target / child.name)
        inner.rmdir()
