"""Imported posts, written in bulk: matched, rendered on every core, then inserted together.

Model saves would render, index and signal each post on its own; here each step runs once for
all of them, and ``posts_changed_in_bulk`` tells the search index and the page cache at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from linernotes.content.markdown import RenderedMarkdown
from linernotes.content.models import Author, Byline, Category, Post, Status
from linernotes.content.signals import posts_changed_in_bulk
from linernotes.importers.context import ImportContext
from linernotes.importers.fields import (
    body_with_media,
    checked_url,
    clipped,
    digest,
    free_slug,
)
from linernotes.importers.models import ItemKind
from linernotes.importers.records import ImportedPost
from linernotes.importers.redirects import RedirectWriter
from linernotes.importers.rendering import KnownImages, library_rows, render_batches
from linernotes.importers.report import Outcome

BATCH = 500
# Posts rendered and written together; each batch's text is let go of once it is stored.
# Small enough that even a thousand posts make batches whose writing hides behind rendering.
RENDER_BATCH = 250
# The long text of a stored post, which nothing after its insert reads.
LONG_TEXT = ("body", "body_html", "body_text", "auto_excerpt")
# What an import sets on a post, besides its relations and rendered fields.
WRITTEN_FIELDS = [
    "title", "slug", "body", "summary", "status", "published_at", "featured", "hero_image",
    "hero_image_width", "hero_image_height", "hero_image_alt", "external_url", "noindex",
    "meta_title", "meta_description", "canonical_url", "social_image", "social_image_alt",
    "primary_category",
]  # fmt: skip
RENDERED_FIELDS = ["body_html", "body_text", "word_count", "auto_excerpt"]


@dataclass
class _Pending:
    record: ImportedPost
    post: Post
    fingerprint: str
    outcome: Outcome
    previous_url: str = ""


class PostWriter:
    def __init__(
        self,
        context: ImportContext,
        *,
        authors: dict[str, Author],
        categories: dict[str, Category],
        redirects: RedirectWriter,
    ) -> None:
        self.context, self.report = context, context.report
        self.authors, self.categories, self.redirects = authors, categories, redirects
        self.field_images: list[str] = []

    def write(self, records: list[ImportedPost]) -> list[str]:
        """Write ``records``; returns the stored hero and social images, for their renditions."""
        pending = self._match(records)
        self.context.progress("posts", 0, len(pending))
        for index, item in enumerate(pending, 1):
            self._fill(item)
            if index % 100 == 0:
                self.context.progress("reading posts", index, len(pending))
        # The rendered bodies are most of an import's memory: a batch at a time is rendered,
        # written and let go of, so a large archive needs two batches' worth, not all of it.
        batches = [
            pending[start : start + RENDER_BATCH] for start in range(0, len(pending), RENDER_BATCH)
        ]
        self.context.progress("rendering posts", 0, len(pending))
        done = 0
        for batch, rendered in zip(batches, self._rendered(batches), strict=True):
            for item, result in zip(batch, rendered, strict=True):
                item.post.apply_rendering(result)
            done += len(batch)
            self.context.progress("rendering posts", done, len(pending))
            self._insert(batch)
            for item in batch:
                _let_go_of_text(item.post)
        for item in pending:
            for old in item.record.old_paths:
                self.redirects.add(old, item.post.get_absolute_url(), where=_where(item.record))
            if item.previous_url and item.previous_url != item.post.get_absolute_url():
                self.redirects.add(
                    item.previous_url, item.post.get_absolute_url(), where=_where(item.record)
                )
        return self.field_images

    # --- Which records are new, changed or the same as last time ---

    def _match(self, records: list[ImportedPost]) -> list[_Pending]:
        mapped_ids = {
            record.key: item.object_id
            for record in records
            if (item := self.context.mapped(ItemKind.POST, record.key)) is not None
        }
        existing = Post.objects.in_bulk(list(mapped_ids.values()))
        pending, seen = [], set()
        for record in records:
            if record.key in seen:
                self.report.notice(
                    _where(record), f"a second post with the key {record.key}: skipped"
                )
                self.report.count("posts", Outcome.SKIPPED)
                continue
            seen.add(record.key)
            fingerprint = digest(record)
            post = existing.get(mapped_ids.get(record.key, -1))
            mapped = self.context.mapped(ItemKind.POST, record.key)
            if post is not None and mapped is not None and mapped.digest == fingerprint:
                self.report.count("posts", Outcome.UNCHANGED)
                continue
            if len(record.body.encode()) > settings.LINERNOTES_MAX_BODY_BYTES:
                self.report.notice(
                    _where(record),
                    f"skipped: the body is larger than {settings.LINERNOTES_MAX_BODY_BYTES:,} "
                    "bytes (LINERNOTES_MAX_BODY_BYTES)",
                )
                self.report.count("posts", Outcome.SKIPPED)
                continue
            if post is None:
                pending.append(_Pending(record, Post(), fingerprint, Outcome.CREATED))
            else:
                previous = post.get_absolute_url() if post.status == Status.PUBLISHED else ""
                pending.append(_Pending(record, post, fingerprint, Outcome.UPDATED, previous))
        self._give_slugs(pending)
        return pending

    def _give_slugs(self, pending: list[_Pending]) -> None:
        own = {item.post.pk for item in pending if item.post.pk is not None}
        others = Post.objects.exclude(pk__in=own)
        if len(pending) <= FEW_POSTS:
            # A few posts (a synced edit): only the slugs their own could clash with, rather
            # than every slug of a blog of thousands. free_slug() keeps a slug's first
            # characters and adds at most a dozen.
            starts = {_slug_start(item.record.slug or item.record.title) for item in pending}
            clash = Q(slug__startswith="post-")
            for start in starts:
                clash |= Q(slug__startswith=start)
            others = others.filter(clash)
        taken = set(others.values_list("slug", flat=True))
        for item in pending:
            wanted = item.record.slug or item.record.title
            slug = free_slug(wanted, taken, limit=SLUG_LIMIT, fallback=f"post-{len(taken) + 1}")
            if slug != item.record.slug:
                self.report.notice(
                    _where(item.record), f"slug {item.record.slug!r} became {slug!r}"
                )
            taken.add(slug)
            item.post.slug = slug

    # --- Field values ---

    def _fill(self, item: _Pending) -> None:
        record, post, where = item.record, item.post, _where(item.record)
        post.title = clipped(self.report, record.title, 250, where, "title") or post.slug
        post.summary = record.summary.strip()
        post.status, post.published_at = self._status(record, where)
        post.featured, post.noindex = record.featured, record.noindex
        post.hero_image_alt = clipped(self.report, record.hero_image_alt, 300, where, "alt text")
        post.external_url = checked_url(self.report, record.external_url, where, limit=500)
        post.canonical_url = checked_url(self.report, record.canonical_url, where, limit=500)
        post.meta_title = clipped(self.report, record.meta_title, 200, where, "meta title")
        post.meta_description = clipped(
            self.report, record.meta_description, 320, where, "meta description"
        )
        post.social_image_alt = clipped(self.report, record.social_image_alt, 300, where, "alt")
        post.body = body_with_media(self.context.media, record.body, record.media, where)
        self._images(item, where)
        keys = list(dict.fromkeys(record.category_keys))
        primary = record.primary_category_key or (keys[0] if keys else "")
        post.primary_category = self.categories.get(primary)
        if record.primary_category_key and post.primary_category is None:
            self.report.notice(where, f"unknown primary category {primary}")
        if post.hero_image and not post.hero_image_alt:
            # Every hero image needs alt text (a database constraint): the image's own, else
            # the title, which the writer is asked to replace.
            fallback = record.hero_image.alt if record.hero_image else ""
            post.hero_image_alt = clipped(self.report, fallback, 300, where, "alt text")
            if not post.hero_image_alt:
                post.hero_image_alt = post.title[:300]
                self.report.notice(
                    where, "the hero image had no alt text: the title stands in; describe it"
                )
        post.normalise()

    def _status(self, record: ImportedPost, where: str) -> tuple[str, datetime | None]:
        when = _aware(record.published_at)
        now = timezone.now()
        status = Status(record.status.value)
        if status == Status.SCHEDULED and (when is None or when <= now):
            self.report.notice(where, "scheduled for a time that has passed: imported as published")
            status = Status.PUBLISHED
        if status == Status.PUBLISHED and when is None:
            self.report.notice(where, "published without a date: dated now")
            when = now
        if status == Status.PUBLISHED and when is not None and when > now:
            status = Status.SCHEDULED
        return status.value, when

    def _images(self, item: _Pending, where: str) -> None:
        post, record = item.post, item.record
        month = f"{(post.published_at or timezone.now()):%Y/%m}"
        if record.hero_image is not None:
            stored = self.context.media.field_image(
                record.hero_image, where, folder=f"heroes/{month}"
            )
            if stored is not None:
                post.hero_image.name = stored.name
                post.hero_image_width, post.hero_image_height = stored.width, stored.height
                self.field_images.append(stored.name)
        if record.social_image is not None:
            stored = self.context.media.field_image(
                record.social_image, where, folder=f"social/{month}"
            )
            if stored is not None:
                post.social_image.name = stored.name
                self.field_images.append(stored.name)

    # --- Rendering and writing ---

    def _rendered(self, batches: list[list[_Pending]]) -> Iterator[list[RenderedMarkdown]]:
        posts = [item.post for batch in batches for item in batch]
        images = KnownImages(
            library_rows(_image_addresses(posts), self.context.media.new_library_files)
        )
        # Each batch's bodies are listed when it is handed over, not all at once, so a body
        # is let go of with its post once stored.
        bodies = ([item.post.body for item in batch] for batch in batches)
        return render_batches(bodies, images, total=len(posts))

    def _insert(self, pending: list[_Pending]) -> None:
        created = [item.post for item in pending if item.outcome == Outcome.CREATED]
        updated = [item.post for item in pending if item.outcome == Outcome.UPDATED]
        Post.objects.bulk_create(created, batch_size=BATCH)
        for post in updated:
            post.version += 1  # as a save would: open edit forms are now out of date
        Post.objects.bulk_update(
            updated, [*WRITTEN_FIELDS, *RENDERED_FIELDS, "version", "updated_at"], batch_size=BATCH
        )
        for item in pending:
            item.post.created_at = _aware(item.record.created_at) or item.post.created_at
            item.post.updated_at = _aware(item.record.updated_at) or item.post.updated_at
        _store_dates([item.post for item in pending])
        self._relations(pending)
        for item in pending:
            self.report.count("posts", item.outcome)
            self.context.remember(ItemKind.POST, item.record.key, item.post.pk, item.fingerprint)
        if pending:
            posts_changed_in_bulk.send(sender=Post, post_ids=[item.post.pk for item in pending])

    def _relations(self, pending: list[_Pending]) -> None:
        ids = [item.post.pk for item in pending]
        through = Post.categories.through
        through.objects.filter(post_id__in=ids).delete()
        Byline.objects.filter(post_id__in=ids).delete()
        links, bylines = [], []
        for item in pending:
            linked: set[int] = set()
            for key in dict.fromkeys(item.record.category_keys):
                category = self.categories.get(key)
                if category is None:
                    self.report.notice(_where(item.record), f"unknown category {key}")
                elif category.pk not in linked:  # two of the source's may be one of ours
                    linked.add(category.pk)
                    links.append(through(post_id=item.post.pk, category_id=category.pk))
            credited: set[int] = set()
            for position, credit in enumerate(item.record.credits):
                author = self.authors.get(credit.author_key)
                if author is None or author.pk in credited:
                    if author is None:
                        self.report.notice(
                            _where(item.record), f"unknown author {credit.author_key}"
                        )
                    continue
                credited.add(author.pk)
                role = credit.role[:150]
                bylines.append(
                    Byline(post_id=item.post.pk, author=author, position=position, role=role)
                )
        through.objects.bulk_create(links, batch_size=BATCH)
        Byline.objects.bulk_create(bylines, batch_size=BATCH)


def _store_dates(posts: list[Post]) -> None:
    """The source's created and updated times, saved after the insert (which gives these
    fields the current time) in one prepared statement: bulk_update's CASE expressions cost
    more to build than the rows cost to write."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(adapt(post.created_at), adapt(post.updated_at), post.pk) for post in posts]
    table = connection.ops.quote_name(Post._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",
            rows,
        )


def _image_addresses(posts: list[Post]) -> list[str]:
    """Every address under MEDIA_URL the bodies name (the renderer asks about these)."""
    pattern = re.compile(re.escape(settings.MEDIA_URL) + r"[^\s)\"'<>]+")
    return [found for post in posts for found in pattern.findall(post.body)]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _where(record: ImportedPost) -> str:
    return record.where or f"post {record.key}"


def _let_go_of_text(post: Post) -> None:
    """Forget a stored post's long text: Django treats the fields as deferred, so a later
    read loads them from the database and a later save leaves them as they are."""
    for name in LONG_TEXT:
        post.__dict__.pop(name, None)


# Up to this many posts, _give_slugs reads only the slugs that could clash with theirs.
FEW_POSTS = 50
SLUG_LIMIT = 250


def _slug_start(wanted: str) -> str:
    return slugify(wanted)[: SLUG_LIMIT - 12].strip("-")
