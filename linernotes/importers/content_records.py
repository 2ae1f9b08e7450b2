"""Which post or page each changed file of the content folder is, whether the database
changed it too since the last sync, and the ``ContentFile`` rows a sync leaves behind.

A file is its post's when the last sync or admin write recorded it so; a file seen for the
first time is matched to the post or page with its slug (the folder was exported from this
database), unless another file already stands for it. The import matches records to objects
by source key (``ImportedItem``), so the sync points each key at the object found here first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from linernotes.content.models import Page, Post
from linernotes.importers.content_scan import (
    FileStat,
    Recorded,
    documents_of_pages,
    documents_of_posts,
    kind_of,
)
from linernotes.importers.fields import digest
from linernotes.importers.models import ContentFile, ImportedItem, ItemKind
from linernotes.importers.records import ImportedPage, ImportedPost, ImportedSite
from linernotes.importers.sources.native import origin_of

CHUNK = 500
RECORD_KINDS = [ItemKind.POST, ItemKind.PAGE]
T = TypeVar("T")


class _ReadFile(Protocol):
    @property
    def stat(self) -> FileStat: ...
    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class Conflict:
    """A file and its post (or page) that both changed since the last sync."""

    path: str
    item: str  # 'post 12 "Title"'
    file_side: str
    database_side: str

    def line(self) -> str:
        return f"{self.path} ({self.item}): {self.file_side}; {self.database_side}"


@dataclass
class Known:
    """The object a changed file stands for, found before the import."""

    kind: ItemKind
    pk: int
    recorded: Recorded | None = None  # None: a file seen for the first time, matched by slug
    in_step: bool = False  # the file holds exactly what the database has: nothing to do
    fingerprint: str = ""
    conflict: Conflict | None = None

    @property
    def object(self) -> tuple[str, int]:
        return (self.kind, self.pk)


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class MatchedFiles:
    def __init__(self, root: Path, recorded: dict[str, Recorded], on_disk: set[str]) -> None:
        self.folder, self.origin = str(root), origin_of(root)
        self.recorded, self.on_disk = recorded, on_disk
        self.claimed: set[tuple[str, int]] = set()

    def match(self, site: ImportedSite, data: dict[str, bytes]) -> dict[str, Known]:
        records: list[tuple[ItemKind, ImportedPost | ImportedPage]] = [
            *((ItemKind.POST, record) for record in site.posts),
            *((ItemKind.PAGE, record) for record in site.pages),
        ]
        known: dict[str, Known] = {}
        unmatched = []
        for kind, record in records:
            row = self.recorded.get(record.key)
            pk = (row.post_id if kind == ItemKind.POST else row.page_id) if row else None
            if row is not None and pk is not None:
                known[record.key] = Known(kind, pk, recorded=row)
            else:
                unmatched.append((kind, record))
        mapped = self._mapped_keys([record.key for _, record in unmatched])
        # A key an earlier import mapped is matched by the import itself.
        self._by_slug(known, [(k, r) for k, r in unmatched if (k, r.key) not in mapped])
        self._compare(known, dict(records_by_key(records)), data)
        return known

    def _mapped_keys(self, keys: list[str]) -> set[tuple[str, str]]:
        items = ImportedItem.objects.filter(origin=self.origin, kind__in=RECORD_KINDS)
        if len(keys) <= CHUNK:
            items = items.filter(key__in=keys)
        return set(items.values_list("kind", "key"))

    def _by_slug(self, known: dict[str, Known], unmatched: list[tuple[ItemKind, Any]]) -> None:
        for kind, model in ((ItemKind.POST, Post), (ItemKind.PAGE, Page)):
            slugs = [record.slug for k, record in unmatched if k == kind]
            found: dict[str, int] = {}
            for part in chunks(slugs):
                found.update(model._default_manager.filter(slug__in=part).values_list("slug", "pk"))
            self._claimed_by_files(kind, list(found.values()))
            for k, record in unmatched:
                pk = found.get(record.slug) if k == kind else None
                if pk is not None and (kind, pk) not in self.claimed:
                    self.claimed.add((kind, pk))
                    known[record.key] = Known(kind, pk)

    def _claimed_by_files(self, kind: ItemKind, pks: list[int]) -> None:
        """Objects another file of the folder stands for: a new file with the same slug is
        another post (the import gives it a slug of its own), not this one."""
        column = "post_id" if kind == ItemKind.POST else "page_id"
        for part in chunks(pks):
            rows = ContentFile.objects.filter(folder=self.folder, **{f"{column}__in": part})
            for path, pk in rows.values_list("path", column):
                if path in self.on_disk:
                    self.claimed.add((kind, pk))

    def _compare(
        self, known: dict[str, Known], records: dict[str, Any], data: dict[str, bytes]
    ) -> None:
        """Whether the database changed each object since the file was last synced (for a
        first sighting: since the time the file says it was saved), and whether the file
        holds what the database has now."""
        states = _states(known.values())
        check: dict[str, Known] = {}
        for path, item in list(known.items()):
            state = states.get(item.object)
            if state is None:
                del known[path]  # deleted since: the import makes it again
                continue
            title, version, updated_at = state
            if item.recorded is not None:
                before = item.recorded
                changed = (
                    version != before.version
                    if item.kind == ItemKind.POST
                    else updated_at != before.updated_at
                )
            else:
                said = records[path].updated_at
                changed = said is not None and updated_at.replace(microsecond=0) > said
            if changed or item.recorded is None:
                check[path] = item
            if changed:
                item.conflict = Conflict(
                    path,
                    f'{item.kind} {item.pk} "{title}"',
                    "the file changed since the last sync",
                    f"the {item.kind} was saved in the database since"
                    + (f" (version {item.recorded.version}, now {version})" if item.recorded
                       and item.kind == ItemKind.POST else "")
                    + "; both are left as they are",
                )  # fmt: skip
        texts: dict[tuple[str, int], bytes] = {
            **{(ItemKind.POST, pk): text for pk, text in documents_of_posts(
                [i.pk for i in check.values() if i.kind == ItemKind.POST]).items()},
            **{(ItemKind.PAGE, pk): text for pk, text in documents_of_pages(
                [i.pk for i in check.values() if i.kind == ItemKind.PAGE]).items()},
        }  # fmt: skip
        for path, item in check.items():
            if texts.get(item.object) == data.get(path):
                item.in_step, item.conflict = True, None
                item.fingerprint = digest(records[path])

    def align_mappings(self, known: dict[str, Known]) -> None:
        """Point each file's import key at the object found for it, so the import updates
        that object rather than make a second one (a moved file, a first sync)."""
        wanted = {path: item for path, item in known.items() if item.conflict is None}
        existing = {
            (item.kind, item.key): item
            for part in chunks(list(wanted))
            for item in ImportedItem.objects.filter(origin=self.origin, key__in=part)
        }
        new, changed = [], []
        for path, item in wanted.items():
            mapping = existing.get((item.kind, path))
            if mapping is None:
                new.append(
                    ImportedItem(
                        origin=self.origin,
                        kind=item.kind,
                        key=path,
                        object_id=item.pk,
                        digest=item.fingerprint,
                    )
                )
            elif mapping.object_id != item.pk or item.in_step:
                mapping.object_id, mapping.digest = item.pk, item.fingerprint
                changed.append(mapping)
        ImportedItem.objects.bulk_create(new, batch_size=CHUNK)
        ImportedItem.objects.bulk_update(changed, ["object_id", "digest"], batch_size=CHUNK)


def records_by_key(
    records: Iterable[tuple[ItemKind, ImportedPost | ImportedPage]],
) -> Iterator[tuple[str, ImportedPost | ImportedPage]]:
    return ((record.key, record) for _, record in records)


def _states(items: Iterable[Known]) -> dict[tuple[str, int], tuple[str, int | None, datetime]]:
    """(title, version, updated_at) of each object, by (kind, pk); pages have no version."""
    found: dict[tuple[str, int], tuple[str, int | None, datetime]] = {}
    every = list(items)
    posts = [item.pk for item in every if item.kind == ItemKind.POST]
    pages = [item.pk for item in every if item.kind == ItemKind.PAGE]
    for part in chunks(posts):
        for pk, title, version, updated_at in Post.objects.filter(pk__in=part).values_list(
            "pk", "title", "version", "updated_at"
        ):
            found[(ItemKind.POST, pk)] = (title, version, updated_at)
    for part in chunks(pages):
        for pk, title, updated_at in Page.objects.filter(pk__in=part).values_list(
            "pk", "title", "updated_at"
        ):
            found[(ItemKind.PAGE, pk)] = (title, None, updated_at)
    return found


class FileRecorder:
    """Writes the ContentFile rows of the files a sync read."""

    def __init__(self, root: Path, origin: str) -> None:
        self.folder, self.origin = str(root), origin

    def record(
        self, reads: dict[str, _ReadFile], known: dict[str, Known], recorded: dict[str, Recorded]
    ) -> None:
        objects = self._imported_objects([p for p in reads if kind_of(p) in ("post", "page")])
        objects.update({path: item.object for path, item in known.items() if path in reads})
        states = _states(Known(ItemKind(kind), pk) for kind, pk in objects.values())
        new, changed = [], []
        for path, read in reads.items():
            row = ContentFile(folder=self.folder, path=path, sha256=read.sha256)
            row.size, row.mtime_ns = read.stat.size, read.stat.mtime_ns
            target = objects.get(path)
            if target is not None and target in states:
                _title, row.version, row.updated_at = states[target]
                if target[0] == ItemKind.POST:
                    row.post_id = target[1]
                else:
                    row.page_id = target[1]
            before = recorded.get(path)
            if before is None:
                new.append(row)
            else:
                row.pk = before.pk
                changed.append(row)
        fields = ["sha256", "size", "mtime_ns", "post", "page", "version", "updated_at"]
        ContentFile.objects.bulk_create(new, batch_size=CHUNK)
        ContentFile.objects.bulk_update(changed, fields, batch_size=CHUNK)

    def touch(self, touched: list[tuple[int, FileStat]]) -> None:
        """Files whose bytes are as recorded but whose time changed (a checkout)."""
        rows = [ContentFile(pk=pk, size=stat.size, mtime_ns=stat.mtime_ns) for pk, stat in touched]
        ContentFile.objects.bulk_update(rows, ["size", "mtime_ns"], batch_size=CHUNK)

    def _imported_objects(self, paths: list[str]) -> dict[str, tuple[str, int]]:
        items = ImportedItem.objects.filter(origin=self.origin, kind__in=RECORD_KINDS)
        if len(paths) <= CHUNK:
            items = items.filter(key__in=paths)
        wanted = set(paths)
        return {
            key: (kind, pk)
            for kind, key, pk in items.values_list("kind", "key", "object_id")
            if key in wanted
        }
