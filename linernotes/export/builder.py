"""``linernotes build``: the public site as a folder of static files, rebuilt incrementally.

The parent process reads the database once to list every address (plan.py) and to compare
the site with the previous build's manifest; the addresses that need rendering are shared out
to forked worker processes, one per core, which render them through the site's own request
handler (render.py) and write each file whose bytes changed (files.py). Then the parent
writes the redirects, copies static files and media, and has Pagefind index the posts.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from linernotes.export.files import (
    digest_of,
    is_safe_relative,
    mirror,
    remove_output,
    write_output,
)
from linernotes.export.host_files import write_host_files
from linernotes.export.manifest import (
    MANIFEST,
    Entry,
    Manifest,
    code_fingerprint,
    placeholder_fingerprint,
    post_fingerprints,
    shape_fingerprint,
    static_fingerprint,
)
from linernotes.export.plan import PostTargets, Target, post_targets, site_targets
from linernotes.export.render import PageRenderer, Rendered, index_file
from linernotes.export.search_index import PART_POSTS, SearchIndex, is_post_page, part_of
from linernotes.forking import shared_with_workers
from linernotes.site.placeholders import placeholder_svg

# Static files only staff use on the live site: Django's admin and the editor's (the content
# app's, with its vendored editor). No public page names them, so a build leaves them out;
# one that did would fail to render, its hashed name missing from the manifest.
STAFF_STATIC = ["admin/*", "content/*"]
# Addresses per task handed to a worker: enough to amortise the hand-over, few enough that
# both cores stay busy to the end and progress moves steadily.
CHUNK = 32


def static_settings(base_url: str, *, signup_url: str | None = None) -> dict[str, object]:
    """The settings pages are rendered under in a build (and in tests that compare with it)."""
    overrides: dict[str, object] = {
        "LINERNOTES_STATIC_EXPORT": True,
        "LINERNOTES_SITE_URL": base_url,
        "ALLOWED_HOSTS": [urlsplit(base_url).hostname],
        # Each page is asked for once; keeping it in the page cache would only cost memory.
        "LINERNOTES_PAGE_CACHE_SECONDS": 0,
        "SECURE_SSL_REDIRECT": False,
        "DEBUG": False,
        # Static files with hashed names, collected apart from the live site's: the build
        # compresses what it copies itself, faster than whitenoise's storage would.
        "STATIC_ROOT": Path(settings.VAR_DIR) / "build-static",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
    }
    if signup_url is not None:
        overrides["LINERNOTES_STATIC_SIGNUP_URL"] = signup_url
    return overrides


@dataclass
class BuildReport:
    rendered: int = 0
    written: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0
    copied: int = 0
    redirects: int = 0
    searchable: int | None = None
    full: bool = False
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    target: Target
    known: Entry | None


@dataclass(frozen=True)
class Outcome:
    address: str
    entry: Entry | None
    written: bool
    failure: str = ""


class _Worker:
    """State of one rendering process: its renderer and the folder it writes to."""

    renderer: PageRenderer
    root: Path


def _start_worker(root: str, base_url: str) -> None:
    _Worker.root = Path(root)
    _Worker.renderer = PageRenderer(base_url)


def _render_chunk(jobs: list[Job]) -> list[Outcome]:
    return [_render_one(job) for job in jobs]


def _render_one(job: Job) -> Outcome:
    target = job.target
    if target.placeholder is not None:
        svg = placeholder_svg(*target.placeholder).encode()
        page = Rendered(200, svg, "image/svg+xml", "")
    else:
        page = _Worker.renderer.render(target.address)
    if page.status != target.status:
        detail = f" to {page.location}" if page.location else ""
        return Outcome(target.address, None, False, f"{target.address}: {page.status}{detail}")
    name = target.file or target.address.lstrip("/")
    if name.endswith("/") or not name:
        name += index_file(page.content_type)
    if not is_safe_relative(name):
        return Outcome(target.address, None, False, f"{target.address}: unsafe file name")
    entry = Entry(name, digest_of(page.content), sorted(page.posts))
    unchanged = (
        job.known is not None
        and job.known.file == name
        and job.known.digest == entry.digest
        and (_Worker.root / name).exists()
    )
    if not unchanged:
        write_output(_Worker.root, name, page.content)
    return Outcome(target.address, entry, not unchanged)


def _chunks(jobs: list[Job]) -> Iterator[list[Job]]:
    for start in range(0, len(jobs), CHUNK):
        yield jobs[start : start + CHUNK]


class Build:
    def __init__(
        self,
        root: Path,
        *,
        base_url: str,
        processes: int | None = None,
        search: bool = True,
        search_part_posts: int = PART_POSTS,
        progress: Callable[[str, int, int], None] = lambda stage, done, total: None,
    ) -> None:
        self.root = root
        self.base_url = base_url
        self.processes = processes or min(os.cpu_count() or 1, 8)
        self.search = search
        self.search_part_posts = search_part_posts
        self.progress = progress
        self._saved: tuple[tuple[int, int] | None, Manifest] = (None, Manifest())
        self._posts_seen: tuple[tuple[str, str] | None, PostTargets] = (None, ([], []))

    def warm(self) -> None:
        """Load what rendering needs (templates, URL patterns) in this process."""
        PageRenderer(self.base_url).render(reverse("site:home"))

    def run(self) -> BuildReport:
        started = clock = time.perf_counter()
        report = BuildReport()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            report.stages[stage] = now - clock
            clock = now

        self.root.mkdir(parents=True, exist_ok=True)
        old = self._previous_manifest()
        new = Manifest(
            # The footer's copyright names the year.
            code=code_fingerprint(
                {
                    "base_url": self.base_url,
                    "search": self.search,
                    "search_parts": self.search_part_posts,
                    "year": timezone.localdate().year,
                }
            ),
            shape=shape_fingerprint(),
            posts=post_fingerprints(),
        )
        report.full = old.code != new.code or old.shape != new.shape
        # Pages name the static files by their hashed names, which collecting them decides.
        new.static = static_fingerprint()
        self._collect_static(force=new.static != old.static)
        targets = site_targets(self._post_targets(new.shape))
        jobs, kept = self._plan(targets, old, new, full=report.full)
        report.skipped = len(kept)
        new.entries.update(kept)
        gone = self._remove_gone_posts(targets, old, report)
        lap("plan")
        # The posts' pages first: the search index is made from them while the rest renders.
        post_jobs = [job for job in jobs if job.target.indexed]
        touched = gone | self._render(post_jobs, old, new, report, "posts")
        search = None
        if self.search and (touched or report.full or not (self.root / "pagefind").is_dir()):
            post_files = [entry.file for entry in new.entries.values() if is_post_page(entry.file)]
            changed = None if report.full else {part_of(name) for name in touched}
            search = SearchIndex(self.root, post_files, changed, part_posts=self.search_part_posts)
        self._render([job for job in jobs if not job.target.indexed], old, new, report, "pages")
        lap("render")
        built = {target.address for target in targets if target.address in new.entries}
        report.redirects = write_host_files(self.root, self.base_url, built, old, new)
        self._remove_stale(old, new, report)
        self._copy_files(old, new, report)
        new.save(self.root)
        # Kept for the next build of this process (--watch), which reads it back otherwise.
        self._saved = (self._manifest_stamp(), new)
        lap("files")
        if search is not None:
            self.progress("search index", 0, 1)
            report.searchable = search.wait()
            self.progress("search index", 1, 1)
            lap("waiting for the search index")
            report.stages["search index (beside rendering)"] = search.seconds
        report.seconds = time.perf_counter() - started
        return report

    def _post_targets(self, shape: str) -> PostTargets:
        """The posts' addresses, kept from the last build of this process while the posts'
        shape and their pictures are as they were (most of what an edit's plan costs)."""
        key = (shape, placeholder_fingerprint())
        if self._posts_seen[0] != key:
            self._posts_seen = (key, post_targets())
        return self._posts_seen[1]

    def _manifest_stamp(self) -> tuple[int, int] | None:
        try:
            info = (self.root / MANIFEST).stat()
        except FileNotFoundError:
            return None
        return info.st_mtime_ns, info.st_size

    def _previous_manifest(self) -> Manifest:
        """The manifest the last build wrote: from memory when this process wrote it and the
        file is as it was left, else read from the folder."""
        stamp, manifest = self._saved
        if stamp is not None and stamp == self._manifest_stamp():
            return manifest
        return Manifest.load(self.root)

    def _plan(
        self, targets: list[Target], old: Manifest, new: Manifest, *, full: bool
    ) -> tuple[list[Job], dict[str, Entry]]:
        changed = {
            pk
            for pk in old.posts.keys() | new.posts.keys()
            if old.posts.get(pk) != new.posts.get(pk)
        }
        jobs, kept = [], {}
        # A string rather than a Path per file: this runs for every address of the site.
        root = str(self.root)
        for target in targets:
            known = old.entries.get(target.address)
            stale = (
                full
                or target.always
                or known is None
                or not changed.isdisjoint(known.posts)
                or not os.path.exists(f"{root}/{known.file}")
            )
            if stale:
                jobs.append(Job(target, known))
            else:
                assert known is not None
                kept[target.address] = known
        return jobs, kept

    def _render(
        self, jobs: list[Job], old: Manifest, new: Manifest, report: BuildReport, stage: str
    ) -> set[str]:
        """Render ``jobs`` on every core; returns the post pages written."""
        post_pages: set[str] = set()
        total = len(jobs)
        self.progress(stage, 0, total)
        for done, outcome in enumerate(self._outcomes(jobs), start=1):
            report.rendered += 1
            if outcome.entry is None:
                report.failures.append(outcome.failure)
                # The previous file stays until the page renders again.
                if outcome.address in old.entries:
                    new.entries[outcome.address] = old.entries[outcome.address]
            else:
                new.entries[outcome.address] = outcome.entry
                if outcome.written:
                    report.written += 1
                    if is_post_page(outcome.entry.file):
                        post_pages.add(outcome.entry.file)
                else:
                    report.unchanged += 1
            if done % CHUNK == 0 or done == total:
                self.progress(stage, done, total)
        return post_pages

    def _outcomes(self, jobs: list[Job]) -> Iterator[Outcome]:
        if self.processes <= 1 or len(jobs) < 2 * CHUNK:
            _start_worker(str(self.root), self.base_url)
            for chunk in _chunks(jobs):
                yield from _render_chunk(chunk)
            return
        # Forked workers inherit the settings and the loaded code; each opens its own
        # database connection, so the parent's is closed first.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with (
            shared_with_workers(),
            context.Pool(
                self.processes, initializer=_start_worker, initargs=(str(self.root), self.base_url)
            ) as pool,
        ):
            for outcomes in pool.imap_unordered(_render_chunk, _chunks(jobs)):
                yield from outcomes

    def _remove_gone_posts(
        self, targets: list[Target], old: Manifest, report: BuildReport
    ) -> set[str]:
        """Pages of posts no longer published go before the search index reads the folder."""
        current = {target.address for target in targets}
        gone = set()
        for address, entry in old.entries.items():
            if address not in current and is_post_page(entry.file):
                report.removed += remove_output(self.root, entry.file)
                gone.add(entry.file)
        return gone

    def _remove_stale(self, old: Manifest, new: Manifest, report: BuildReport) -> None:
        current = {entry.file for entry in new.entries.values()}
        for name in {entry.file for entry in old.entries.values()} - current:
            report.removed += remove_output(self.root, name)

    def _collect_static(self, *, force: bool) -> None:
        if force or not Path(settings.STATIC_ROOT).is_dir():
            self.progress("static files", 0, 1)
            call_command(
                "collectstatic", interactive=False, verbosity=0, ignore_patterns=STAFF_STATIC
            )
            self.progress("static files", 1, 1)

    def _copy_files(self, old: Manifest, new: Manifest, report: BuildReport) -> None:
        static_root = Path(settings.STATIC_ROOT)
        known = old.copies
        static, copied_static = mirror(static_root, self.root, "static", known)
        media, copied_media = mirror(Path(settings.MEDIA_ROOT), self.root, "media", known)
        new.copies = {**static, **media}
        for name in known.keys() - new.copies.keys():
            report.removed += remove_output(self.root, name)
        report.copied = copied_static + copied_media
