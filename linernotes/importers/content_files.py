"""Admin saves written back to the content folder (LINERNOTES_CONTENT_DIR), and committed.

``content.signals.saved_in_admin`` is sent after an admin save, status change or restore has
committed; ``write_back`` answers it. The file is written as ``export markdown`` writes it,
so a save shows in git as the lines it changed, and its ``ContentFile`` row is brought up to
date, so the next sync finds nothing to do. A file changed on disk since the last sync or
write is never overwritten: the editor is told instead (the receiver's answer becomes an
admin warning), and the database keeps the change. Nothing here raises into the request.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from linernotes.content.models import Page, Post
from linernotes.importers.content_git import commit_files, is_work_tree
from linernotes.importers.content_scan import NotAContentFolder, content_root, file_of, sha256_of
from linernotes.importers.models import ContentFile

logger = logging.getLogger(__name__)


def write_back(
    sender: type[Any],
    instance: Any,
    by: AbstractBaseUser | AnonymousUser | None = None,
    **kwargs: Any,
) -> str | None:
    """Write ``instance``'s file; returns a warning for the editor, or None when all went well."""
    if not settings.LINERNOTES_CONTENT_DIR or not isinstance(instance, Post | Page):
        return None
    label = "post" if isinstance(instance, Post) else "page"
    try:
        root = content_root(settings.LINERNOTES_CONTENT_DIR)
        written = _write(root, instance)
    except NotAContentFolder as problem:
        return f"The {label} was saved, but not written to the content folder: {problem}."
    except OSError as problem:
        logger.warning("Could not write %s %s to the content folder", label, instance.pk)
        return f"The {label} was saved, but its file could not be written: {problem}."
    if isinstance(written, str):
        return written
    if not written or not is_work_tree(root):
        return None
    verb = "Add" if len(written) == 1 and written[0].new else "Update"
    failure = commit_files(
        root, [change.path for change in written], f"{verb} {label}: {instance}", by
    )
    if failure:
        return f"The {label}'s file was written, but git could not commit it: {failure}"
    return None


class _Written:
    def __init__(self, path: str, *, new: bool = False) -> None:
        self.path, self.new = path, new


def _write(root: Path, obj: Post | Page) -> list[_Written] | str:
    """The files changed (the new one, and the old one when the file moved), or a conflict."""
    relative, text = file_of(obj)
    target = relative.as_posix()
    kind = "post" if isinstance(obj, Post) else "page"
    rows = ContentFile.objects.filter(folder=str(root), **{kind: obj})
    row = rows.first()
    current = row.path if row is not None else target
    on_disk = _bytes_of(root / current)
    if row is not None and on_disk is None and current == target:
        return _conflict(kind, current, "was deleted from the folder since the last sync")
    changed_on_disk = row is not None and on_disk is not None and sha256_of(on_disk) != row.sha256
    if changed_on_disk and on_disk != text:
        return _conflict(kind, current, "changed since the last sync")
    if row is None and on_disk is not None and on_disk != text:
        return _conflict(kind, current, "is in the folder but was not synced yet")
    if current != target and (root / target).exists():
        return _conflict(kind, target, "is in the folder already, for something else")
    if on_disk == text and current == target:
        _record(root, row, obj, target, text)
        return []
    _replace(root / PurePosixPath(target), text)
    changed = [_Written(target, new=row is None)]
    if current != target:
        (root / current).unlink(missing_ok=True)
        changed.append(_Written(current))
    _record(root, row, obj, target, text)
    return changed


def _conflict(kind: str, path: str, what: str) -> str:
    return (
        f"The {kind} was saved, but its file {path} {what}, so it was not overwritten. "
        "Settle the conflict with `linernotes content sync` (docs/git-workflow.md)."
    )


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _replace(path: Path, text: bytes) -> None:
    """Written beside the file and renamed over it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _record(root: Path, row: ContentFile | None, obj: Post | Page, path: str, text: bytes) -> None:
    stat = (root / path).stat()
    row = row or ContentFile(folder=str(root))
    row.path, row.sha256 = path, sha256_of(text)
    row.size, row.mtime_ns = stat.st_size, stat.st_mtime_ns
    if isinstance(obj, Post):
        row.post_id = obj.pk
        fresh = Post.objects.filter(pk=obj.pk)
        row.version, row.updated_at = fresh.values_list("version", "updated_at").get()
    else:
        row.page_id = obj.pk
        row.updated_at = Page.objects.filter(pk=obj.pk).values_list("updated_at", flat=True).get()
    row.save()
