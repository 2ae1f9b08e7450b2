"""The whole site as a folder of Markdown files with YAML front matter (docs/exporting.md).

The folder is meant to live in git and be edited by hand, so every file is as small and as
stable as it can be: keys in a fixed order, a key left out when it holds the site's default,
bodies byte for byte as stored. Exporting an unchanged site twice gives identical files, and
``sources.native`` reads the folder back.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.encoding import filepath_to_uri

from linernotes.console import Advance
from linernotes.content.media_library import IMAGE_FIELDS
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Author, Byline, Category, Page, Post
from linernotes.importers.sources.native import FORMAT, MARKER, media_references, storage_name
from linernotes.seo.models import Match, Redirect, RedirectStatus

# What an export writes into its folder; with --force these are replaced, anything else
# there (.git, a README) is left alone.
LAYOUT = (MARKER, "authors", "posts", "pages", "media")
DEFAULT_COLOUR = str(Category._meta.get_field("colour").default)


class ExportRefused(Exception):
    """The target cannot take an export: ``str()`` says why."""


@dataclass(frozen=True)
class ExportCounts:
    posts: int = 0
    pages: int = 0
    authors: int = 0
    categories: int = 0
    redirects: int = 0
    media: int = 0


class _Dumper(yaml.SafeDumper):
    """safe_dump's output, with times written as ISO 8601 with a 'T' and no quotes."""


def _represent_moment(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat("T", "seconds"))


_Dumper.add_representer(datetime, _represent_moment)


def dump_yaml(values: dict[str, Any]) -> str:
    return yaml.dump(
        values, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000
    )  # fmt: skip


def document(front_matter: dict[str, Any], body: str) -> str:
    return f"---\n{dump_yaml(front_matter)}---\n{body}"


def local_moment(value: datetime | None) -> datetime | None:
    return timezone.localtime(value).replace(microsecond=0) if value is not None else None


def media_address(name: str) -> str:
    """The address the site serves a stored file at, as bodies and front matter write it."""
    return settings.MEDIA_URL + filepath_to_uri(name) if name else ""


def without_defaults(
    values: dict[str, Any], defaults: dict[str, Any], *, always: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``values`` less those at their default (empty, unless ``defaults`` says otherwise),
    except the keys ``always`` written; order is kept."""

    def is_default(key: str, value: Any) -> bool:
        if key in defaults:
            return bool(value == defaults[key])
        return value is None or value is False or value == "" or value == []

    return {
        key: value for key, value in values.items() if key in always or not is_default(key, value)
    }


def post_file(post: Post) -> PurePosixPath:
    if post.published_at is None:
        return PurePosixPath("posts", "drafts", f"{post.slug}.md")
    # The folders follow the post's address, which is in the site's time zone.
    when = timezone.localtime(post.published_at)
    return PurePosixPath("posts", f"{when.year:04d}", f"{when.month:02d}", f"{post.slug}.md")


def post_front_matter(post: Post) -> dict[str, Any]:
    categories = post.chips_in_order(post.categories.all())
    primary = post.primary_category
    authors = [
        {"author": byline.author.slug, **({"role": byline.role} if byline.role else {})}
        for byline in post.bylines.all()
    ]
    values = {
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "date": local_moment(post.published_at),
        "created": local_moment(post.created_at),
        "updated": local_moment(post.updated_at),
        "summary": post.summary,
        "featured": post.featured,
        "categories": [category.slug for category in categories],
        "primary_category": primary.slug if primary is not None else "",
        "authors": authors,
        "hero_image": media_address(post.hero_image.name or ""),
        "hero_image_alt": post.hero_image_alt,
        "external_url": post.external_url,
        "noindex": post.noindex,
        "meta_title": post.meta_title,
        "meta_description": post.meta_description,
        "canonical_url": post.canonical_url,
        "social_image": media_address(post.social_image.name or ""),
        "social_image_alt": post.social_image_alt,
    }
    return without_defaults(values, {}, always=("title", "slug", "status"))


def page_front_matter(page: Page) -> dict[str, Any]:
    values = {
        "title": page.title,
        "slug": page.slug,
        "status": page.status,
        "show_in_navigation": page.show_in_navigation,
        "navigation_order": page.navigation_order,
        "noindex": page.noindex,
        "updated": local_moment(page.updated_at),
    }
    # Pages are in the navigation unless they say otherwise.
    defaults = {"show_in_navigation": True, "navigation_order": 0}
    return without_defaults(values, defaults, always=("title", "slug", "status"))


def author_front_matter(author: Author) -> dict[str, Any]:
    values = {
        "name": author.name,
        "slug": author.slug,
        "role": author.role,
        "website": author.website,
        "avatar": media_address(author.avatar.name or ""),
    }
    return without_defaults(values, {}, always=("name", "slug"))


def category_entry(category: Category, aliases: list[str]) -> dict[str, Any]:
    values = {
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "position": category.position,
        "colour": category.colour,
        "aliases": aliases,
    }
    defaults = {"position": 0, "colour": DEFAULT_COLOUR}
    return without_defaults(values, defaults, always=("slug", "name"))


def redirect_entry(rule: Redirect) -> dict[str, Any]:
    values = {
        "old": rule.old_path,
        "new": rule.new_path,
        "status": rule.status,
        "match": rule.match,
        "position": rule.position,
        "automatic": rule.automatic,
    }
    defaults = {
        "status": RedirectStatus.MOVED_PERMANENTLY,
        "match": Match.EXACT,
        "position": 0,
    }
    return without_defaults(values, defaults, always=("old",))


def ordered_categories() -> list[Category]:
    return list(Category.objects.prefetch_related("aliases").order_by("position", "name"))


def ordered_redirects() -> list[Redirect]:
    # Not by id: a re-imported site numbers its rules afresh.
    return list(Redirect.objects.order_by("match", "position", "old_path"))


def site_file() -> tuple[str, int, int]:
    """linernotes.yaml, and how many categories and redirects it lists."""
    categories = ordered_categories()
    redirects = ordered_redirects()
    values: dict[str, Any] = {"format": FORMAT}
    if categories:
        values["categories"] = [
            category_entry(category, sorted(alias.slug for alias in category.aliases.all()))
            for category in categories
        ]
    if redirects:
        values["redirects"] = [redirect_entry(rule) for rule in redirects]
    return dump_yaml(values), len(categories), len(redirects)


def posts_with_relations() -> QuerySet[Post]:
    """Posts with what their front matter shows, in as few queries as there are relations."""
    bylines = Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    return Post.objects.select_related("primary_category").prefetch_related("categories", bylines)


def posts_for_export() -> Iterator[Post]:
    return posts_with_relations().order_by("pk").iterator(chunk_size=500)


def page_file(page: Page) -> PurePosixPath:
    return PurePosixPath("pages", f"{page.slug}.md")


def post_document(post: Post) -> tuple[PurePosixPath, str]:
    """Where the export puts ``post`` (loaded through ``posts_with_relations``), and its text."""
    return post_file(post), document(post_front_matter(post), post.body)


def page_document(page: Page) -> tuple[PurePosixPath, str]:
    return page_file(page), document(page_front_matter(page), page.body)


def exported_media_names() -> list[str]:
    """Storage names of every file an export carries, sorted: the library's files, the image
    fields' files, and files under MEDIA_URL that bodies show, when they are stored."""
    names = set(MediaFile.objects.values_list("file", flat=True))
    for model, fields in IMAGE_FIELDS.items():
        for name in fields:
            names.update(model._default_manager.exclude(**{name: ""}).values_list(name, flat=True))
    shown: set[str] = set()
    for model in (Post, Page):
        for body in model._default_manager.values_list("body", flat=True).iterator(2000):
            shown.update(storage_name(reference) for reference in media_references(body))
    names.update(name for name in shown - names if _is_stored(name))
    return sorted(name for name in names if name and _is_safe(name))


def _is_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _is_stored(name: str) -> bool:
    return _is_safe(name) and default_storage.exists(name)


def prepare_target(target: Path, *, replace: bool) -> None:
    """Make sure ``target`` is an empty folder, or (``replace``) clear what an export wrote."""
    if target.exists() and not target.is_dir():
        raise ExportRefused(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        if not replace:
            raise ExportRefused(f"{target} is not empty; --force replaces what an export wrote")
        for name in LAYOUT:
            entry = target / name
            if entry.is_dir():
                shutil.rmtree(entry)
            elif entry.exists():
                entry.unlink()
    target.mkdir(parents=True, exist_ok=True)


class MarkdownExport:
    """One export of the database into ``target``; ``total()`` counts its steps for progress."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.media = exported_media_names()

    def total(self) -> int:
        return Post.objects.count() + Page.objects.count() + Author.objects.count() + len(
            self.media
        )  # fmt: skip

    def write(self, advance: Advance = lambda name: None) -> ExportCounts:
        text, categories, redirects = site_file()
        self._write(PurePosixPath(MARKER), text)
        posts = self._write_all(
            ((post_file(post), post_front_matter(post), post.body) for post in posts_for_export()),
            advance,
        )
        pages = self._write_all(
            (
                (page_file(page), page_front_matter(page), page.body)
                for page in Page.objects.order_by("slug").iterator(500)
            ),
            advance,
        )
        authors = self._write_all(
            (
                (PurePosixPath("authors", f"{author.slug}.md"), author_front_matter(author),
                 author.bio)
                for author in Author.objects.order_by("slug").iterator(500)
            ),
            advance,
        )  # fmt: skip
        copied = self._copy_media(advance)
        return ExportCounts(posts, pages, authors, categories, redirects, copied)

    def _write_all(
        self, files: Iterable[tuple[PurePosixPath, dict[str, Any], str]], advance: Advance
    ) -> int:
        count = 0
        for relative, front_matter, body in files:
            self._write(relative, document(front_matter, body))
            advance(str(relative))
            count += 1
        return count

    def _write(self, relative: PurePosixPath, text: str) -> None:
        path = self.target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Bytes, so the platform never turns the body's newlines into something else.
        path.write_bytes(text.encode("utf-8"))

    def _copy_media(self, advance: Advance) -> int:
        copied = 0
        for name in self.media:
            path = self.target.joinpath("media", *PurePosixPath(name).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with default_storage.open(name, "rb") as source, path.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
                copied += 1
            except FileNotFoundError:
                path.unlink(missing_ok=True)
            advance(f"media/{name}")
        return copied


def export_markdown(
    target: Path, *, replace: bool = False, advance: Advance = lambda name: None
) -> ExportCounts:
    prepare_target(target, replace=replace)
    return MarkdownExport(target).write(advance)
