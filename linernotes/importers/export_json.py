"""The whole site as one JSON document, for other tools (docs/exporting.md has its schema).

The document is written a record at a time, so a site of any size is exported with the memory
of one post: the top-level keys come in a fixed order and each record is one line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from linernotes.console import Advance
from linernotes.content.addresses import absolute_url
from linernotes.content.media import header_size
from linernotes.content.media_models import MediaFile
from linernotes.content.models import Author, Category, Page, Post
from linernotes.importers.export_markdown import (
    exported_media_names,
    media_address,
    ordered_categories,
    ordered_redirects,
    posts_for_export,
)
from linernotes.importers.sources.native import media_references, storage_name
from linernotes.seo.models import Redirect

FORMAT_NAME = "linernotes-json"
VERSION = 1


@dataclass(frozen=True)
class JsonCounts:
    posts: int
    pages: int
    authors: int
    categories: int
    redirects: int
    media: int


def moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat("T", "seconds") if value is not None else None


def image(name: str | None) -> str | None:
    return media_address(name) if name else None


def site_settings() -> dict[str, Any]:
    names = {
        "name": "LINERNOTES_SITE_NAME",
        "url": "LINERNOTES_SITE_URL",
        "tagline": "LINERNOTES_SITE_TAGLINE",
        "language": "LANGUAGE_CODE",
        "time_zone": "TIME_ZONE",
    }
    return {key: getattr(settings, name) for key, name in names.items() if hasattr(settings, name)}


def author_record(author: Author) -> dict[str, Any]:
    return {
        "slug": author.slug,
        "name": author.name,
        "role": author.role,
        "bio": author.bio,
        "website": author.website,
        "avatar": image(author.avatar.name),
        "url": absolute_url(author.get_absolute_url()),
    }


def category_record(category: Category) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "position": category.position,
        "colour": category.colour,
        "aliases": sorted(alias.slug for alias in category.aliases.all()),
        "url": absolute_url(category.get_absolute_url()),
    }


def post_record(post: Post) -> dict[str, Any]:
    primary = post.primary_category
    return {
        "id": post.pk,
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "url": absolute_url(post.get_absolute_url()),
        "published_at": moment(post.published_at),
        "created_at": moment(post.created_at),
        "updated_at": moment(post.updated_at),
        "summary": post.summary,
        "excerpt": post.excerpt,
        "featured": post.featured,
        "categories": [category.slug for category in post.chips_in_order(post.categories.all())],
        "primary_category": primary.slug if primary is not None else None,
        "authors": [
            {"author": byline.author.slug, "name": byline.author.name, "role": byline.display_role}
            for byline in post.bylines.all()
        ],
        "body": post.body,
        "body_html": post.body_html,
        "word_count": post.word_count,
        "hero_image": image(post.hero_image.name),
        "hero_image_alt": post.hero_image_alt,
        "external_url": post.external_url,
        "noindex": post.noindex,
        "meta_title": post.meta_title,
        "meta_description": post.meta_description,
        "canonical_url": post.canonical_url,
        "social_image": image(post.social_image.name),
        "social_image_alt": post.social_image_alt,
        "media": [media_address(name) for name in _shown_media(post.body)],
    }


def _shown_media(body: str) -> list[str]:
    return [storage_name(reference) for reference in media_references(body)]


def page_record(page: Page) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "title": page.title,
        "status": page.status,
        "url": absolute_url(page.get_absolute_url()),
        "show_in_navigation": page.show_in_navigation,
        "navigation_order": page.navigation_order,
        "noindex": page.noindex,
        "updated_at": moment(page.updated_at),
        "body": page.body,
        "body_html": page.body_html,
    }


def redirect_record(rule: Redirect) -> dict[str, Any]:
    return {
        "old": rule.old_path,
        "new": rule.new_path,
        "status": rule.status,
        "match": rule.match,
        "position": rule.position,
        "automatic": rule.automatic,
    }


def media_record(name: str, library: dict[str, MediaFile]) -> dict[str, Any] | None:
    """What is known of one stored file; None when it is no longer in storage."""
    known = library.get(name)
    if known is not None:
        width, height, alt, sha256, size = (
            known.width, known.height, known.alt, known.sha256, known.size,
        )  # fmt: skip
    else:
        digest, size, alt = hashlib.sha256(), 0, ""
        try:
            with default_storage.open(name, "rb") as file:
                for chunk in iter(lambda: file.read(1 << 16), b""):
                    digest.update(chunk)
                    size += len(chunk)
                file.seek(0)
                width, height = header_size(file) or (0, 0)
        except FileNotFoundError:
            return None
        sha256 = digest.hexdigest()
    return {
        "name": name,
        "url": absolute_url(media_address(name)),
        "width": width,
        "height": height,
        "alt": alt,
        "sha256": sha256,
        "size": size,
    }


class _Sections:
    """Writes ``, "key": [records]`` after the header, one record a line, counting them."""

    def __init__(self, out: TextIO, advance: Advance) -> None:
        self.out, self.advance = out, advance

    def write(self, key: str, records: Iterable[dict[str, Any] | None]) -> int:
        self.out.write(f",\n  {json.dumps(key)}: [")
        count = 0
        for record in records:
            if record is None:
                continue
            self.out.write(",\n    " if count else "\n    ")
            self.out.write(json.dumps(record, ensure_ascii=False))
            count += 1
            self.advance(f"{key} {count}")
        self.out.write("\n  ]" if count else "]")
        return count


def total_records() -> int:
    """How many records an export writes (media counted as the files to look at)."""
    models = (Author, Category, Post, Page, Redirect)
    return sum(model._default_manager.count() for model in models) + len(exported_media_names())


def export_json(out: TextIO, *, advance: Advance = lambda step: None) -> JsonCounts:
    header = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "exported_at": moment(timezone.now()),
        "site": site_settings(),
    }
    out.write("{\n")
    out.write(
        ",\n".join(
            f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in header.items()
        )
    )
    sections = _Sections(out, advance)
    authors = Author.objects.order_by("slug").iterator(500)
    pages = Page.objects.order_by("slug").iterator(500)
    library = {str(media.file.name): media for media in MediaFile.objects.all()}
    media = (media_record(name, library) for name in exported_media_names())
    counts = JsonCounts(
        authors=sections.write("authors", map(author_record, authors)),
        categories=sections.write("categories", map(category_record, ordered_categories())),
        posts=sections.write("posts", map(post_record, posts_for_export())),
        pages=sections.write("pages", map(page_record, pages)),
        redirects=sections.write("redirects", map(redirect_record, ordered_redirects())),
        media=sections.write("media", media),
    )
    out.write("\n}\n")
    return counts
