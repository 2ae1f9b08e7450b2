"""The database brought in line with the content folder (``linernotes content sync``).

The folder is the layout ``export markdown`` writes, kept in git; the same reader
(``sources.native``) and the same atomic, idempotent ``import_records`` bring it in, but
only for the files that changed since the last sync (``ContentFile`` remembers each):
unchanged sizes and times are not opened, unchanged bytes are not parsed. A first sync reads
the whole folder through the bulk import, matching posts and pages that already exist (an
export of this very database) by their slugs, so nothing is duplicated.

A file changed on disk whose post was also saved in the database since the last sync is a
conflict: both sides are left as they are and the report says so, unless the file holds
exactly what the database has. A deleted post file unpublishes its post; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from linernotes.content.choices import PageStatus
from linernotes.content.models import Page, Post, Status
from linernotes.content.services import unpublish_post
from linernotes.importers.content_records import Conflict, FileRecorder, Known, MatchedFiles
from linernotes.importers.content_scan import (
    FileStat,
    Recorded,
    content_root,
    kind_of,
    recorded_files,
    recorded_stats,
    scan,
    sha256_of,
)
from linernotes.importers.models import ContentFile, ImportedItem, ItemKind
from linernotes.importers.records import ImportedSite, Notice, UnreadableSource
from linernotes.importers.report import ImportReport, Outcome
from linernotes.importers.sources import native

SyncProgress = Callable[[str], None]
COUNTED_KINDS = ("posts", "pages", "authors", "categories")


@dataclass
class SyncReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unpublished: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def lines(self) -> list[str]:
        would = "would be " if self.dry_run else ""
        lines = [
            f"{'Dry run: ' if self.dry_run else ''}{self.created} {would}created, "
            f"{self.updated} {would}updated, {self.unpublished} {would}unpublished, "
            f"{self.unchanged} unchanged, {len(self.conflicts)} conflicts"
        ]
        lines.extend(f"  conflict: {conflict.line()}" for conflict in self.conflicts)
        lines.extend(f"  {n.severity}: {n.where}: {n.message}" for n in self.notices)
        return lines


@dataclass(frozen=True)
class _Read:
    stat: FileStat
    data: bytes
    sha256: str


class _Rollback(Exception):
    """Raised to undo a dry run once its report is complete."""


def sync_content(
    directory: Path,
    *,
    dry_run: bool = False,
    progress: SyncProgress | None = None,
    use_files: Collection[str] = (),
) -> SyncReport:
    """Bring the database in line with the folder at ``directory``.

    ``use_files``: paths whose conflict is settled for the file (it overwrites the database).
    Raises NotAContentFolder for a folder of another kind and UnreadableSource for a file
    that cannot be read, before anything is written.
    """
    say = progress or (lambda message: None)
    root = content_root(directory)
    sync = _Sync(root, SyncReport(dry_run=dry_run), say, set(use_files))
    site = sync.read()
    try:
        with transaction.atomic():
            sync.write(site)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return sync.report


class _Sync:
    def __init__(
        self, root: Path, report: SyncReport, say: SyncProgress, use_files: set[str]
    ) -> None:
        self.root, self.report, self.say, self.use_files = root, report, say, use_files
        self.origin = native.origin_of(root)
        self.say(f"Listing {root}")
        self.on_disk = scan(root)
        self.stats = recorded_stats(root)
        self.recorded: dict[str, Recorded] = {}  # of the files changed or deleted
        self.changed: dict[str, _Read] = {}
        self.touched: list[tuple[int, FileStat]] = []

    # --- Reading: only what changed ---

    def read(self) -> ImportedSite:
        for path, stat in self.on_disk.items():
            before = self.stats.get(path)
            if before is not None and before[1:3] == (stat.size, stat.mtime_ns):
                self.report.unchanged += 1
                continue
            try:
                data = (self.root / path).read_bytes()
            except OSError as problem:
                raise UnreadableSource(path, f"cannot be read: {problem.strerror}") from None
            digest = sha256_of(data)
            if before is not None and before[3] == digest:
                self.touched.append((before[0], stat))  # touched (a checkout), not changed
                self.report.unchanged += 1
            else:
                self.changed[path] = _Read(stat, data, digest)
        self.say(f"{len(self.changed)} of {len(self.on_disk)} files changed")
        gone = [path for path in self.stats if path not in self.on_disk]
        self.recorded = recorded_files(self.root, [*self.changed, *gone])
        if not self.stats:
            # The folder's first sync: the whole folder, through the bulk import.
            return native.read(self.root)
        return native.read_files(self.root, list(self.changed), elsewhere=self._elsewhere())

    def _elsewhere(self) -> set[str]:
        """Authors and categories defined by files this sync leaves unread."""
        kinds = [ItemKind.AUTHOR, ItemKind.CATEGORY]
        earlier = ImportedItem.objects.filter(origin=self.origin, kind__in=kinds)
        keys = set(earlier.values_list("key", flat=True))
        for path in self.on_disk:
            if kind_of(path) == "author" and path not in self.changed:
                keys.add(f"author:{Path(path).stem}")
        return keys

    # --- Writing, in one transaction ---

    def write(self, site: ImportedSite) -> None:
        matched = MatchedFiles(self.root, self.recorded, set(self.on_disk))
        known = matched.match(site, {path: read.data for path, read in self.changed.items()})
        self._settle_conflicts(site, known)
        matched.align_mappings(known)
        self._import(site, partial=bool(self.stats))
        moved = {item.object for item in known.values()}
        self._deleted(moved)
        if self.report.dry_run:
            return
        recorder = FileRecorder(self.root, self.origin)
        conflicted = {conflict.path for conflict in self.report.conflicts}
        recorder.record(
            {path: read for path, read in self.changed.items() if path not in conflicted},
            known,
            self.recorded,
        )
        recorder.touch(self.touched)

    def _settle_conflicts(self, site: ImportedSite, known: dict[str, Known]) -> None:
        """Leave out of the import each file in step with the database (nothing to do) and
        each in conflict with it (both left alone)."""
        left_out = set()
        for path, item in known.items():
            if item.in_step:
                self.report.unchanged += 1
                left_out.add(path)
            elif item.conflict is not None and path not in self.use_files:
                self.report.conflicts.append(item.conflict)
                left_out.add(path)
        site.posts = [record for record in site.posts if record.key not in left_out]
        site.pages = [record for record in site.pages if record.key not in left_out]

    def _import(self, site: ImportedSite, *, partial: bool) -> ImportReport | None:
        from linernotes.importers.service import import_records

        if not (site.posts or site.pages or site.authors or site.categories or site.redirects):
            self.report.notices.extend(site.notices)
            return None
        self.say(f"Importing {len(site.posts)} posts and {len(site.pages)} pages")
        report = import_records(
            site,
            dry_run=self.report.dry_run,
            partial=partial,
            progress=lambda stage, done, total: (
                self.say(f"{stage}: {done}/{total}") if done == total else None
            ),
        )
        self.report.notices.extend(report.notices)
        self._count(report)
        return report

    def _count(self, imported: ImportReport) -> None:
        for kind in COUNTED_KINDS:
            self.report.created += imported.number(kind, Outcome.CREATED)
            self.report.updated += imported.number(kind, Outcome.UPDATED)
            self.report.unchanged += imported.number(kind, Outcome.UNCHANGED)

    def _deleted(self, moved: set[tuple[str, int]]) -> None:
        """Files gone since the last sync: their post or page returns to draft."""
        gone = [row for path, row in self.recorded.items() if path not in self.on_disk]
        done: list[int] = []
        for row in gone:
            kind = kind_of(row.path)
            if kind == "post" and row.post_id and (ItemKind.POST, row.post_id) not in moved:
                if not self._unpublish_post(row):
                    continue  # a conflict: the record stays until it is settled
            elif kind == "page" and row.page_id and (ItemKind.PAGE, row.page_id) not in moved:
                if not self._unpublish_page(row):
                    continue
            elif kind in ("author", "site"):
                self.report.notices.append(
                    Notice(row.path, "deleted from the folder: what it defined is kept")
                )
            done.append(row.pk)
        if not self.report.dry_run:
            ContentFile.objects.filter(pk__in=done).delete()

    def _unpublish_post(self, row: Recorded) -> bool:
        post = Post.objects.filter(pk=row.post_id or 0).first()
        if post is None:
            return True
        if post.version != row.version and row.path not in self.use_files:
            self.report.conflicts.append(
                Conflict(
                    row.path,
                    f'post {post.pk} "{post.title}"',
                    "the file was deleted since the last sync",
                    f"the post was saved in the database since (version {row.version}, "
                    f"now {post.version}); both are left as they are",
                )
            )
            return False
        if post.status != Status.DRAFT:
            unpublish_post(post=post, by=None)
            self.report.unpublished += 1
        return True

    def _unpublish_page(self, row: Recorded) -> bool:
        page = Page.objects.filter(pk=row.page_id or 0).first()
        if page is None:
            return True
        if page.updated_at != row.updated_at and row.path not in self.use_files:
            self.report.conflicts.append(
                Conflict(
                    row.path,
                    f'page {page.pk} "{page.title}"',
                    "the file was deleted since the last sync",
                    "the page was saved in the database since; both are left as they are",
                )
            )
            return False
        if page.status != PageStatus.DRAFT:
            page.status = PageStatus.DRAFT
            page.save()
            self.report.unpublished += 1
        return True
