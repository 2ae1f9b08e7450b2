"""The sources an import reads: each turns its files into one ``ImportedSite``."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from linernotes.importers.records import ImportedSite, UnreadableSource

# Source name -> its module (each has ``read(path, **options) -> ImportedSite``).
SOURCES = {
    "wordpress": "linernotes.importers.sources.wordpress",
    "ghost": "linernotes.importers.sources.ghost",
    "markdown": "linernotes.importers.sources.markdown_dir",
}


def read_source(source: str, path: Path, **options: Any) -> ImportedSite:
    """Read ``path`` as ``source``; UnreadableSource names the file and the problem."""
    if source not in SOURCES:
        raise UnreadableSource(path, f"unknown source {source!r}")
    if not path.exists():
        raise UnreadableSource(path, "no such file or folder")
    site: ImportedSite = import_module(SOURCES[source]).read(path, **options)
    return site
