"""The static site's search index: Pagefind, run over the built post pages.

Pagefind reads the HTML files and indexes what each post page marks as its body
(``data-pagefind-body``), writing a chunked index and its browser code under ``pagefind/``;
the search page's script loads it (search.js) and shows results in the site's own markup.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FOLDER = "pagefind"
# Post pages only (their addresses begin with the year): listings, fragments and the rest are
# not indexed, and Pagefind need not read them to find that out.
POST_PAGES = "[0-9][0-9][0-9][0-9]/**/*.html"
_INDEXED = re.compile(r"Indexed (\d+) pages?")


def is_post_page(name: str) -> bool:
    """Whether a built file is one the index reads (``YYYY/MM/slug/index.html``)."""
    return name.endswith(".html") and name[:4].isdigit() and name[4:5] == "/"


class SearchIndexFailed(Exception):
    pass


class SearchIndex:
    """One run of Pagefind over the site at ``root``, started in the background: it reads
    only the posts' pages, so the build renders the rest meanwhile."""

    def __init__(self, root: Path) -> None:
        command = [
            *(sys.executable, "-m", "pagefind", "--site", str(root), "--glob", POST_PAGES),
            *("--output-subdir", FOLDER),
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait(self) -> int:
        """How many pages were indexed, once Pagefind is done."""
        try:
            said, problems = self.process.communicate(timeout=1800)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise SearchIndexFailed("Pagefind did not finish within 30 minutes") from None
        if self.process.returncode != 0:
            detail = problems.strip() or said.strip()
            raise SearchIndexFailed(f"Pagefind failed ({self.process.returncode}): {detail}")
        found = _INDEXED.search(said)
        return int(found.group(1)) if found else 0
