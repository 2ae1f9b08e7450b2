"""The content folder (docs/git-workflow.md) as it is on disk, and as the last sync left it.

A sync of a folder of 10,000 posts must cost little when one file changed, so the folder is
listed with ``os.scandir`` (the size and time of each file, nothing read), compared with the
``ContentFile`` rows in one query, and only files whose size or time differ are read and
hashed. Both sync and the admin's write-back go through here, so they agree on which files
belong to the folder and what text a post or page has as a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from linernotes.content.models import Page, Post
from linernotes.importers.export_markdown import page_document, post_document, posts_with_relations
from linernotes.importers.models import ContentFile
from linernotes.importers.sources.native import MARKER

# The folders whose Markdown files are records; media/ is read when a record names a file.
RECORD_FOLDERS = ("authors", "posts", "pages")


class NotAContentFolder(Exception):
    """The folder given is missing or not in the export's layout: ``str()`` says which."""


@dataclass(frozen=True)
class FileStat:
    path: str  # inside the folder, with "/"
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Recorded:
    """A ContentFile row, as the sync compares it (read as plain values: there may be many)."""

    pk: int
    path: str
    size: int
    mtime_ns: int
    sha256: str
    post_id: int | None
    page_id: int | None
    version: int | None
    updated_at: datetime | None


RECORDED_FIELDS = (
    "pk", "path", "size", "mtime_ns", "sha256", "post_id", "page_id", "version", "updated_at",
)  # fmt: skip


def content_root(directory: Path | str) -> Path:
    """The folder, resolved, once it is known to be one ``export markdown`` wrote."""
    root = Path(directory).expanduser().resolve()
    if not root.is_dir():
        raise NotAContentFolder(f"{root} is not a folder")
    if not (root / MARKER).is_file():
        raise NotAContentFolder(
            f"{root} has no {MARKER}: not a folder in the export's layout "
            "(`linernotes export markdown DIR` writes one)"
        )
    return root


def scan(root: Path) -> dict[str, FileStat]:
    """Every file of the folder a sync reads: linernotes.yaml and the Markdown records."""
    found: dict[str, FileStat] = {}
    marker = (root / MARKER).stat()
    found[MARKER] = FileStat(MARKER, marker.st_size, marker.st_mtime_ns)
    for folder in RECORD_FOLDERS:
        _walk(root / folder, folder, found)
    return found


def _walk(directory: Path, prefix: str, found: dict[str, FileStat]) -> None:
    try:
        entries = os.scandir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    with entries:
        for entry in entries:
            relative = f"{prefix}/{entry.name}"
            if entry.is_dir():
                _walk(Path(entry.path), relative, found)
            # As the folder's reader: dot files are left out, and so is what is not Markdown.
            elif entry.is_file() and entry.name.endswith(".md") and not entry.name.startswith("."):
                stat = entry.stat()
                found[relative] = FileStat(relative, stat.st_size, stat.st_mtime_ns)


def recorded_stats(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Path -> (pk, size, mtime_ns, sha256) of every file the last sync recorded: all a sync
    needs of the files that did not change, read as plain tuples (there may be many)."""
    rows = ContentFile.objects.filter(folder=str(root))
    return {row[0]: row[1:] for row in rows.values_list("path", "pk", "size", "mtime_ns", "sha256")}


def recorded_files(root: Path, paths: Collection[str]) -> dict[str, Recorded]:
    """The whole record of each of ``paths`` that has one."""
    found: dict[str, Recorded] = {}
    wanted = list(paths)
    for start in range(0, len(wanted), 500):
        rows = ContentFile.objects.filter(folder=str(root), path__in=wanted[start : start + 500])
        found.update((row[1], Recorded(*row)) for row in rows.values_list(*RECORDED_FIELDS))
    return found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(path: str) -> str:
    """ "post", "page", "author" or "site" (linernotes.yaml), by where the file is."""
    if path == MARKER:
        return "site"
    return {"posts": "post", "pages": "page", "authors": "author"}[path.split("/", 1)[0]]


def file_of(obj: Post | Page) -> tuple[PurePosixPath, bytes]:
    """Where the export puts ``obj`` and its bytes there, as `export markdown` writes them."""
    if isinstance(obj, Post):
        relative, text = post_document(posts_with_relations().get(pk=obj.pk))
    else:
        relative, text = page_document(Page.objects.get(pk=obj.pk))
    return relative, text.encode("utf-8")


def documents_of_posts(ids: list[int]) -> dict[int, bytes]:
    """The file text of each post, as the export writes it, a few hundred posts a query."""
    texts: dict[int, bytes] = {}
    for start in range(0, len(ids), 500):
        for post in posts_with_relations().filter(pk__in=ids[start : start + 500]):
            texts[post.pk] = post_document(post)[1].encode("utf-8")
    return texts


def documents_of_pages(ids: list[int]) -> dict[int, bytes]:
    pages = Page.objects.in_bulk(ids)
    return {pk: page_document(page)[1].encode("utf-8") for pk, page in pages.items()}
