from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from linernotes.console import StageProgress
from linernotes.export.builder import Build, BuildReport, static_settings
from linernotes.export.search_index import PART_POSTS, SearchIndexFailed
from linernotes.importers.content_scan import NotAContentFolder
from linernotes.importers.content_sync import SyncReport, sync_content
from linernotes.importers.records import UnreadableSource
from linernotes.ports import refuse_busy_port


def base_url(value: str) -> str:
    """An origin such as https://blog.example.com: the site is built at its root."""
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        raise CommandError(
            "--base-url must be an http(s) address without a path, query or fragment, such "
            f"as https://blog.example.com (got {value!r})."
        )
    return f"{parts.scheme}://{parts.netloc}"


class Command(BaseCommand):
    help = (
        "Write the public site as static files into OUTDIR: every page at its address, feeds, "
        "sitemaps, redirects, static files, media and a search index. Later builds rewrite "
        "only what changed. docs/static-builds.md describes the output and how to serve it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("outdir", metavar="OUTDIR", type=Path)
        parser.add_argument(
            "--base-url",
            help="the address the site will be served at (default: LINERNOTES_SITE_URL)",
        )
        parser.add_argument(
            "--content",
            metavar="DIR",
            type=Path,
            help="build from a folder of Markdown files (the export markdown layout) instead "
            "of the configured database; its working database is kept in DIR/.linernotes/",
        )
        parser.add_argument(
            "--signup-url",
            help="where the newsletter form posts (default: LINERNOTES_STATIC_SIGNUP_URL; "
            "empty hides the form)",
        )
        parser.add_argument("--no-search", action="store_true", help="skip the search index")
        parser.add_argument(
            "--search-part-posts",
            type=int,
            default=PART_POSTS,
            metavar="N",
            help=f"above N posts, make the search index in parts, one per half-year, so "
            f"Pagefind's memory stays small and an edit re-indexes one part ({PART_POSTS})",
        )
        parser.add_argument(
            "--processes", type=int, help="worker processes (default: one per core)"
        )
        parser.add_argument(
            "--watch",
            action="store_true",
            help="after building, serve OUTDIR on 127.0.0.1 and rebuild when content changes",
        )
        parser.add_argument("--port", type=int, default=8000, help="port for --watch (8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The build asks for a missing address on purpose (the 404 page) and reports what
        # did not render itself; server errors are still logged with their traceback.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        if options["watch"]:
            # Before the first build, which can take minutes.
            refuse_busy_port("127.0.0.1", options["port"])
        root: Path = options["outdir"].resolve()
        content: Path | None = options["content"]
        if content is not None:
            content = content.resolve()
            self._prepare_content_database(content)
        if root == Path.cwd().resolve() or (content is not None and root == content):
            raise CommandError(
                "OUTDIR must be a folder of its own, not the current or content folder."
            )
        url = base_url(options["base_url"] or settings.LINERNOTES_SITE_URL)
        overrides = static_settings(url, signup_url=options["signup_url"])
        with override_settings(**overrides):
            build = Build(
                root,
                base_url=url,
                processes=options["processes"],
                search=not options["no_search"],
                search_part_posts=max(1, options["search_part_posts"]),
            )
            report = self._build(build, content)
            if options["watch"]:
                from linernotes.export.preview import watch

                watch(build, content, options["port"], lambda: self._build(build, content))
        if report.failures:
            raise CommandError(f"{len(report.failures)} addresses did not render.")

    def _prepare_content_database(self, content: Path) -> None:
        if not (content / "linernotes.yaml").is_file():
            raise CommandError(
                f"{content} is not a content folder: it has no linernotes.yaml "
                "(see docs/git-workflow.md)."
            )
        # The working database in the folder: created on the first build, checked after.
        call_command("migrate", interactive=False, verbosity=0)

    def _build(self, build: Build, content: Path | None) -> BuildReport:
        with StageProgress(self.stdout) as progress:
            build.progress = progress
            if content is not None:
                synced = self._sync(content)
                for line in synced.lines():
                    self.stdout.write(f"Content: {line}")
                if synced.conflicts:
                    raise CommandError("The content folder has conflicts; nothing was built.")
            try:
                report = build.run()
            except SearchIndexFailed as failure:
                raise CommandError(str(failure)) from None
        self._report(report)
        return report

    def _sync(self, content: Path) -> SyncReport:
        try:
            return sync_content(content)
        except NotAContentFolder as problem:
            raise CommandError(str(problem)) from None
        except UnreadableSource as problem:
            raise CommandError(f"Nothing was built. {problem}") from None

    def _report(self, report: BuildReport) -> None:
        for failure in report.failures:
            self.stderr.write(f"  {failure}")
        kind = "full" if report.full else "incremental"
        search = "" if report.searchable is None else f", {report.searchable} pages searchable"
        self.stdout.write(
            f"Built ({kind}) in {report.seconds:.1f} s: {report.rendered} rendered, "
            f"{report.written} written, {report.unchanged} unchanged, {report.skipped} "
            f"untouched, {report.removed} removed, {report.copied} files copied, "
            f"{report.redirects} redirects{search}."
        )
        self.stdout.write(
            "Time: "
            + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.stages.items())
        )
        # Now, not when a pipe's buffer fills: with --watch a log shows each build as it ends.
        self.stdout.flush()
