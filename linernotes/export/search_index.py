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
_INDEXED = re.compile(r"Indexed (\d+) pages?")


class SearchIndexFailed(Exception):
    pass


def index_posts(root: Path) -> int:
    """Index the site at ``root``; returns how many pages were indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", FOLDER]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip()
        raise SearchIndexFailed(f"Pagefind failed ({result.returncode}): {said}")
    found = _INDEXED.search(result.stdout)
    return int(found.group(1)) if found else 0
