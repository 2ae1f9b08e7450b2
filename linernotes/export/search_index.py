"""The static site's search index: Pagefind, run over the built post pages.

Pagefind reads the HTML files and indexes what each post page marks as its body
(``data-pagefind-body``), writing a chunked index and its browser code under ``pagefind/``;
the search page's script loads ``pagefind/pagefind.js`` (search.js) and shows results in the
site's own markup.

Pagefind has no incremental mode, and its memory grows with the pages of one run (about
half a gigabyte per thousand posts of this blog's size). So a site of more than
``part_posts`` posts is indexed in parts, one per half-year of publication, each a Pagefind
bundle under ``pagefind/parts/``, and ``pagefind/pagefind.js`` is a small module of the
build's own that loads the newest part and merges the others into it (Pagefind's
``mergeIndex``): runs one after another stay small, and an edit re-indexes only its part.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Collection
from pathlib import Path

FOLDER = "pagefind"
PARTS = "parts"
PART_POSTS = 2000
# Post pages only (their addresses begin with the year): listings, fragments and the rest are
# not indexed, and Pagefind need not read them to find that out.
POST_PAGES = "[0-9][0-9][0-9][0-9]/**/*.html"
HALVES = {"1": "{01,02,03,04,05,06}", "2": "{07,08,09,10,11,12}"}
_INDEXED = re.compile(r"Indexed (\d+) pages?")


def is_post_page(name: str) -> bool:
    """Whether a built file is one the index reads (``YYYY/MM/slug/index.html``)."""
    return name.endswith(".html") and name[:4].isdigit() and name[4:5] == "/"


def part_of(name: str) -> str:
    """The part a post page's file belongs to: ``2024-1`` for January to June of 2024."""
    return f"{name[:4]}-{1 if name[5:7] <= '06' else 2}"


class SearchIndexFailed(Exception):
    pass


class SearchIndex:
    """Pagefind over the post pages of ``root``, run in the background (the build renders the
    rest meanwhile). ``changed`` names the parts whose pages changed; None means all."""

    def __init__(
        self,
        root: Path,
        post_files: Collection[str],
        changed: Collection[str] | None,
        *,
        part_posts: int = PART_POSTS,
    ) -> None:
        self.root, self.folder = root, root / FOLDER
        self.post_files, self.changed, self.part_posts = post_files, changed, part_posts
        self.indexed = 0
        self.seconds = 0.0
        self.problem: SearchIndexFailed | None = None
        self.thread = threading.Thread(target=self._index, daemon=True)
        self.thread.start()

    def wait(self) -> int:
        """How many pages the index holds, once Pagefind is done."""
        self.thread.join()
        if self.problem is not None:
            raise self.problem
        return len(self.post_files)

    def _index(self) -> None:
        started = time.perf_counter()
        try:
            if len(self.post_files) <= self.part_posts:
                self._index_whole()
            else:
                self._index_parts()
        except SearchIndexFailed as problem:
            self.problem = problem
        self.seconds = time.perf_counter() - started

    def _index_whole(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.indexed = _pagefind(self.root, POST_PAGES, FOLDER)

    def _index_parts(self) -> None:
        parts = sorted({part_of(name) for name in self.post_files}, reverse=True)
        parts_folder = self.folder / PARTS
        shim = self.folder / "pagefind.js"
        layout_known = shim.is_file() and "mergeIndex" in shim.read_text(encoding="utf-8")
        if not layout_known:
            shutil.rmtree(self.folder, ignore_errors=True)
        wanted = set(parts) if self.changed is None or not layout_known else set(self.changed)
        for stale in parts_folder.glob("*") if parts_folder.is_dir() else ():
            if stale.name not in parts:
                shutil.rmtree(stale)
        for part in parts:
            if part in wanted or not (parts_folder / part).is_dir():
                shutil.rmtree(parts_folder / part, ignore_errors=True)
                year, half = part.split("-")
                glob = f"{year}/{HALVES[half]}/**/*.html"
                self.indexed += _pagefind(self.root, glob, f"{FOLDER}/{PARTS}/{part}")
        shim.parent.mkdir(parents=True, exist_ok=True)
        shim.write_text(_merging_module([f"/{FOLDER}/{PARTS}/{part}/" for part in parts]))


def _pagefind(root: Path, glob: str, output: str) -> int:
    command = [
        *(sys.executable, "-m", "pagefind", "--site", str(root), "--glob", glob),
        *("--output-subdir", output),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        raise SearchIndexFailed("Pagefind did not finish within 30 minutes") from None
    if result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip()
        raise SearchIndexFailed(f"Pagefind failed ({result.returncode}): {said}")
    found = _INDEXED.search(result.stdout)
    return int(found.group(1)) if found else 0


def _merging_module(parts: list[str]) -> str:
    """``pagefind/pagefind.js`` for an index in parts: the newest part, the others merged."""
    return (
        "// Written by linernotes build: the search index in parts, searched as one.\n"
        f"const parts = {json.dumps(parts)};\n"
        'const first = await import(parts[0] + "pagefind.js");\n'
        "for (const part of parts.slice(1)) await first.mergeIndex(part);\n"
        "export const { search, debouncedSearch, preload, filters, options } = first;\n"
    )
