"""What each built file was made from, so the next build redoes only what changed.

The manifest (``.linernotes-build.json`` in the output folder) records, for every address, the
file it became, a hash of its bytes and the posts it showed, plus three fingerprints of the
site as a whole:

- ``code``: the package's source, templates and static files, and the settings pages read.
  When it changes (an upgrade, a theme edit, another base URL) every page is rendered again.
- ``shape``: which posts are published, in which order, under which categories and bylines,
  and every category, author, page and redirect. When it changes (a post published, moved or
  re-categorised) every page is rendered again too, since listings, neighbours and related
  posts may all shift; only the files whose bytes changed are written.
- ``posts``: each post's version. When only these change (an edit of a published post), just
  the addresses that showed an edited post are rendered again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

from linernotes.content.models import Author, Byline, Category, CategoryAlias, Page, Post
from linernotes.seo.models import Redirect

MANIFEST = ".linernotes-build.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".css", ".js", ".svg", ".json", ".md"}


@dataclass
class Entry:
    file: str
    digest: str
    posts: list[int]

    def as_json(self) -> list[Any]:
        return [self.file, self.digest, self.posts]


@dataclass
class Manifest:
    code: str = ""
    shape: str = ""
    posts: dict[int, str] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    # The theme's static source files when they were last collected.
    static: str = ""
    # Files copied as they are (static files, media): relative path -> "size:mtime".
    copies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return cls()
        if data.get("format") != FORMAT:
            return cls()
        return cls(
            code=data["code"],
            shape=data["shape"],
            posts={int(key): value for key, value in data["posts"].items()},
            entries={key: Entry(*value) for key, value in data["entries"].items()},
            static=data.get("static", ""),
            copies=data.get("copies", {}),
        )

    def save(self, folder: Path) -> None:
        data = {
            "format": FORMAT,
            "code": self.code,
            "shape": self.shape,
            "posts": {str(key): value for key, value in sorted(self.posts.items())},
            "entries": {key: entry.as_json() for key, entry in sorted(self.entries.items())},
            "static": self.static,
            "copies": dict(sorted(self.copies.items())),
        }
        partial = folder / (MANIFEST + ".partial")
        partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        partial.replace(folder / MANIFEST)


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def code_fingerprint(options: dict[str, object]) -> str:
    """The package's files (by content) and the settings that shape pages."""
    digest = hashlib.sha256(version("linernotes").encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    shaping = sorted(
        (name, repr(getattr(settings, name)))
        for name in dir(settings)
        if name.startswith("LINERNOTES_") or name in {"LANGUAGE_CODE", "TIME_ZONE", "STATIC_URL"}
    )
    digest.update(repr((shaping, sorted(options.items()))).encode())
    return digest.hexdigest()[:32]


def static_fingerprint() -> str:
    """The static files the finders see (names, sizes and times): collectstatic, which
    hashes and compresses every file, runs only when this changes."""
    from django.contrib.staticfiles.finders import get_finders

    found = []
    for finder in get_finders():
        for name, storage in finder.list([]):
            info = Path(storage.path(name)).stat()
            found.append((name, info.st_size, info.st_mtime_ns))
    return _hash(sorted(found), settings.STATIC_URL)


def _rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``queryset`` as the database returns them. For a fingerprint the database's
    own form of a value is as good as Python's, and skips converting ten thousand timestamps."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def shape_fingerprint() -> str:
    published = Post.objects.published()
    posts = _rows(
        published.order_by("-published_at", "-pk").values_list(
            "pk", "slug", "published_at", "featured", "primary_category_id"
        )
    )
    links = _rows(
        Post.categories.through.objects.filter(post__in=published)
        .order_by("post_id", "category_id")
        .values_list("post_id", "category_id")
    )
    bylines = _rows(
        Byline.objects.filter(post__in=published)
        .order_by("post_id", "position", "pk")
        .values_list("post_id", "author_id", "position", "role")
    )
    return _hash(
        posts,
        links,
        bylines,
        list(Category.objects.order_by("pk").values()),
        list(CategoryAlias.objects.order_by("pk").values()),
        list(Author.objects.order_by("pk").values()),
        list(Page.objects.order_by("pk").values()),
        list(
            Redirect.objects.order_by("pk").values_list(
                "old_path", "new_path", "match", "status", "position"
            )
        ),
    )


def placeholder_fingerprint() -> str:
    """Which published posts show a placeholder (have no hero image): with the shape, all
    that the list of post addresses and placeholder images depends on."""
    return _hash(
        _rows(Post.objects.published().filter(hero_image="").order_by("pk").values_list("pk"))
    )


def post_fingerprints() -> dict[int, str]:
    """Each post's version: raised by every save, and by an import's updates."""
    return {
        pk: f"{version_number}:{updated}"
        for pk, version_number, updated in _rows(
            Post.objects.values_list("pk", "version", "updated_at")
        )
    }
