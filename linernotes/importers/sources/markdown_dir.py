"""A folder of Markdown files as Jekyll, Hugo or Zola lay it out, read into an ``ImportedSite``.

Each generator's conventions (where posts live, how dates, drafts, authors and addresses are
written) are read the way that generator reads them, so the imported posts keep their dates
and every address readers knew becomes a redirect. Nothing is written here. This module picks
the layout; ``site_folder`` holds what the layouts share, and ``jekyll`` and
``content_folder`` (Hugo and Zola) read each layout's own files.
"""

from __future__ import annotations

from pathlib import Path

from linernotes.importers.front_matter import read_config
from linernotes.importers.records import ImportedSite, UnreadableSource
from linernotes.importers.sources import native
from linernotes.importers.sources.content_folder import ContentFolderReader
from linernotes.importers.sources.jekyll import JekyllReader
from linernotes.importers.sources.site_folder import HUGO_CONFIGS, LAYOUTS, MAX_FILE_BYTES


def detect_layout(root: Path) -> str:
    """Which generator's layout the folder has, or UnreadableSource saying what was looked for."""
    if (root / "_config.yml").is_file() or (root / "_posts").is_dir():
        return "jekyll"
    if (root / "zola.toml").is_file():
        return "zola"
    config = root / "config.toml"
    small = config.is_file() and config.stat().st_size <= MAX_FILE_BYTES
    if small and "base_url" in read_config(config):
        return "zola"
    if (root / "content").is_dir() and any((root / name).is_file() for name in HUGO_CONFIGS):
        return "hugo"
    raise UnreadableSource(
        root,
        "is not a Jekyll, Hugo or Zola site: looked for _config.yml or _posts/ (Jekyll), "
        "hugo.toml, hugo.yaml, config.toml or config.yaml beside content/ (Hugo), "
        "zola.toml or a config.toml with base_url (Zola), and linernotes.yaml (a Liner Notes "
        "export)",
    )


def read(path: Path, *, layout: str = "auto") -> ImportedSite:
    """Read the site in the folder ``path``; ``layout`` is "auto", "jekyll", "hugo" or "zola"."""
    root = path.resolve()
    if not root.is_dir():
        raise UnreadableSource(path, "is not a folder")
    if layout == "auto":
        if (root / native.MARKER).is_file():
            return native.read(path)
        layout = detect_layout(root)
    if layout not in LAYOUTS:
        raise UnreadableSource(path, f"unknown layout {layout!r}: use auto, jekyll, hugo or zola")
    if layout == "jekyll":
        return JekyllReader(root, layout).read()
    return ContentFolderReader(root, layout).read()
