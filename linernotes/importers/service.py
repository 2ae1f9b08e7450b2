"""The one way imported records enter the database, whatever their source.

``import_records`` runs in one transaction: everything lands or nothing does (files included,
see ``staging``). Records are matched to what earlier imports of the same site made by their
source keys (``ImportedItem``): unchanged records are left alone, changed ones updated, so
importing the same export twice changes nothing and a newer export never duplicates.

Posts are written in bulk, rendered on every core, and indexed once: saving thousands of posts
one by one would render, index and announce each of them separately. Imported posts are never
announced: a blog's archive arriving is not news for its subscribers.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from linernotes.console import Progress
from linernotes.content.choices import PageStatus
from linernotes.content.models import Author, Category, CategoryAlias, Page
from linernotes.importers.context import ImportContext
from linernotes.importers.fields import body_with_media, checked_url, digest, free_page_slug
from linernotes.importers.models import ImportedItem, ItemKind
from linernotes.importers.post_writer import PostWriter
from linernotes.importers.records import (
    ImportedAuthor,
    ImportedCategory,
    ImportedPage,
    ImportedSite,
)
from linernotes.importers.redirects import RedirectWriter
from linernotes.importers.report import ImportReport, Outcome
from linernotes.importers.staging import MediaStage

Imported = TypeVar("Imported", Author, Category, Page)
# Above this many records, a partial import reads every earlier item rather than name each.
PARTIAL_KEYS = 500


class _DryRun(Exception):
    """Raised to roll a dry run back once its report is complete."""


def import_records(
    site: ImportedSite,
    *,
    dry_run: bool = False,
    download_media: bool = False,
    progress: Progress | None = None,
    partial: bool = False,
) -> ImportReport:
    """Write ``site`` to the database; with ``dry_run``, only report what that would do.

    ``partial``: ``site`` holds only some records of its origin (the files a sync found
    changed); the authors and categories its posts name and it does not hold are those
    earlier imports of the origin made.
    """
    report = ImportReport(site.source, site.origin, dry_run=dry_run)
    report.notices.extend(site.notices)
    stage = MediaStage(report, download=download_media, dry_run=dry_run)
    try:
        with transaction.atomic():
            known = {(item.kind, item.key): item for item in _earlier_items(site, partial)}
            as_loaded = {pair: (item.object_id, item.digest) for pair, item in known.items()}
            context = ImportContext(site, report, stage, progress or _quiet, known)
            _write_everything(context, partial=partial)
            _save_mapping(context, as_loaded)
            if dry_run:
                raise _DryRun
            stage.store_on_commit(context.field_images)
    except _DryRun:
        pass
    except BaseException:
        stage.discard()
        raise
    if dry_run:
        stage.discard()
    return report


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _earlier_items(site: ImportedSite, partial: bool) -> QuerySet[ImportedItem]:
    items = ImportedItem.objects.filter(origin=site.origin)
    keys = [post.key for post in site.posts] + [page.key for page in site.pages]
    if not partial or len(keys) > PARTIAL_KEYS:
        return items
    # What the records are, and every author and category they may name: a few rows,
    # however many posts earlier imports brought.
    return items.filter(Q(kind__in=[ItemKind.AUTHOR, ItemKind.CATEGORY]) | Q(key__in=keys))


def _mapped(model: type[Imported], context: ImportContext, kind: ItemKind) -> dict[str, Imported]:
    """Key -> object for every record of ``kind`` earlier imports of the origin made."""
    items = [item for (item_kind, _), item in context.known.items() if item_kind == kind]
    found = model._default_manager.in_bulk([item.object_id for item in items])
    return {item.key: found[item.object_id] for item in items if item.object_id in found}


def _write_everything(context: ImportContext, *, partial: bool = False) -> None:
    authors = _mapped(Author, context, ItemKind.AUTHOR) if partial else {}
    categories = _mapped(Category, context, ItemKind.CATEGORY) if partial else {}
    authors |= {record.key: _import_author(context, record) for record in context.site.authors}
    categories |= {
        record.key: _import_category(context, record) for record in context.site.categories
    }
    redirects = RedirectWriter(context.site.origin, context.report)
    for category_record in context.site.categories:
        category = categories[category_record.key]
        for old in category_record.old_paths:
            where = f"category {category_record.key}"
            redirects.add(old, category.get_absolute_url(), where=where)
    writer = PostWriter(context, authors=authors, categories=categories, redirects=redirects)
    context.field_images = writer.write(context.site.posts)
    for record in context.site.pages:
        page = _import_page(context, record)
        for old in record.old_paths:
            redirects.add(old, page.get_absolute_url(), where=record.where or record.key)
    for rule in context.site.redirects:
        redirects.add_rule(rule, where="redirects")
    for media in context.site.media:
        # Library files no post shows yet: kept, so the library comes across whole.
        context.media.body_image(media, "media library")
    redirects.save()
    context.media.save_library_files()


# --- Authors, categories and pages: few, written one by one ---


def _earlier(
    model: type[Imported], context: ImportContext, kind: ItemKind, key: str, fingerprint: str
) -> tuple[Imported | None, bool]:
    """The object an earlier import of this record made (None if there is none, or it was
    deleted since), and whether the record is the same as then."""
    mapped = context.mapped(kind, key)
    found = model._default_manager.filter(pk=mapped.object_id).first() if mapped else None
    return found, found is not None and mapped is not None and mapped.digest == fingerprint


def _import_author(context: ImportContext, record: ImportedAuthor) -> Author:
    fingerprint = digest(record)
    author, unchanged = _earlier(Author, context, ItemKind.AUTHOR, record.key, fingerprint)
    if unchanged and author is not None:
        context.report.count("authors", Outcome.UNCHANGED)
        return author
    slug = slugify(record.slug or record.name)[:150] or "author"
    if author is None:
        existing = Author.objects.filter(slug=slug).first()
        if existing is not None:
            # Someone already writes here under this slug: the import credits them.
            context.report.notice(
                f"author {record.key}", f"credited to the existing author {existing.slug}"
            )
            context.report.count("authors", Outcome.UNCHANGED)
            context.remember(ItemKind.AUTHOR, record.key, existing.pk, fingerprint)
            return existing
        author, outcome = Author(slug=slug), Outcome.CREATED
    else:
        outcome = Outcome.UPDATED
    author.name = record.name[:150] or slug
    author.role, author.bio = record.role[:150], record.bio
    author.website = checked_url(context.report, record.website, f"author {record.key}")
    if record.avatar is not None:
        stored = context.media.field_image(record.avatar, f"author {record.key}", folder="avatars")
        if stored is not None:
            author.avatar.name = stored.name
    author.save()
    context.report.count("authors", outcome)
    context.remember(ItemKind.AUTHOR, record.key, author.pk, fingerprint)
    return author


def _import_category(context: ImportContext, record: ImportedCategory) -> Category:
    fingerprint = digest(record)
    category, unchanged = _earlier(Category, context, ItemKind.CATEGORY, record.key, fingerprint)
    if unchanged and category is not None:
        context.report.count("categories", Outcome.UNCHANGED)
        return category
    name = " ".join(record.name.split())[:100]
    slug = slugify(record.slug or name)[:100] or "category"
    if category is None:
        existing = (
            Category.objects.filter(slug=slug).first() or Category.objects.filter(name=name).first()
        )
        if existing is not None:
            context.report.count("categories", Outcome.UNCHANGED)
            context.remember(ItemKind.CATEGORY, record.key, existing.pk, fingerprint)
            return existing
        category, outcome = Category(slug=slug), Outcome.CREATED
    else:
        outcome = Outcome.UPDATED
    category.name, category.description = name or slug, record.description
    if record.position is not None:
        category.position = record.position
    if record.colour:
        category.colour = record.colour
    category.save()
    _keep_aliases(context, category, record)
    context.report.count("categories", outcome)
    context.remember(ItemKind.CATEGORY, record.key, category.pk, fingerprint)
    return category


def _keep_aliases(context: ImportContext, category: Category, record: ImportedCategory) -> None:
    """Old slugs of the category answer at its new address (CategoryAlias redirects them)."""
    for alias in dict.fromkeys(slugify(value)[:100] for value in record.aliases):
        if not alias or alias == category.slug:
            continue
        if Category.objects.filter(slug=alias).exists():
            context.report.notice(
                f"category {record.key}", f"the old slug {alias} is another category's slug"
            )
            continue
        CategoryAlias.objects.update_or_create(slug=alias, defaults={"category": category})


# --- Pages ---


def _import_page(context: ImportContext, record: ImportedPage) -> Page:
    fingerprint = digest(record)
    page, unchanged = _earlier(Page, context, ItemKind.PAGE, record.key, fingerprint)
    if unchanged and page is not None:
        context.report.count("pages", Outcome.UNCHANGED)
        return page
    outcome = Outcome.CREATED if page is None else Outcome.UPDATED
    page = page or Page()
    where = record.where or f"page {record.key}"
    page.title = record.title[:200] or record.slug
    page.slug = free_page_slug(context.report, record.slug or record.title, page, where)
    page.body = body_with_media(context.media, record.body, record.media, where)
    page.status = PageStatus.PUBLISHED if record.published else PageStatus.DRAFT
    page.show_in_navigation, page.navigation_order = (
        record.show_in_navigation,
        record.navigation_order,
    )
    page.noindex = record.noindex
    page.save()
    if record.updated_at is not None:
        Page.objects.filter(pk=page.pk).update(updated_at=record.updated_at)
    context.report.count("pages", outcome)
    context.remember(ItemKind.PAGE, record.key, page.pk, fingerprint)
    return page


def _save_mapping(
    context: ImportContext, as_loaded: dict[tuple[str, str], tuple[int, str]]
) -> None:
    """New items, and those whose object or record changed: an unchanged import writes none."""
    items = list(context.known.items())
    ImportedItem.objects.bulk_create([item for _, item in items if item.pk is None], batch_size=500)
    changed = [
        item
        for pair, item in items
        if item.pk is not None and as_loaded.get(pair) != (item.object_id, item.digest)
    ]
    ImportedItem.objects.bulk_update(changed, ["object_id", "digest"], batch_size=500)
