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


def index_posts(root: Path) -> int:
    """Index the site at ``root``; returns how many pages were indexed."""
    command = [
        *(sys.executable, "-m", "pagefind", "--site", str(root), "--glob", POST_PAGES),
        *("--output-subdir", FOLDER),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip()
        raise SearchIndexFailed(f"Pagefind failed ({result.returncode}): {said}")
    found = _INDEXED.search(result.stdout)
    return int(found.group(1)) if found else 0
