"""Writing the index: documents for posts, kept in step with content, and a full rebuild.

The index holds every post whose status is *Published*. A scheduled post is indexed when the
worker publishes it, which is a save the receivers follow. Every search is also restricted to
``Post.objects.published()`` when it runs, so a post given a later time by a direct write to
the database is never found early.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from linernotes.console import Progress
from linernotes.content.models import Post, PostQuerySet, Status
from linernotes.search.backends import get_backend
from linernotes.search.backends.base import SearchBackend
from linernotes.search.documents import build_document
from linernotes.search.models import SearchDocument

BATCH_SIZE = 500
TEXT_FIELDS = ["title", "summary", "categories", "authors", "body"]


@dataclass(frozen=True)
class RebuildSummary:
    """What a rebuild indexed (or, in a dry run, would index) and removed."""

    indexed: int
    visible: int
    scheduled: int
    removed: int


def indexable_posts() -> PostQuerySet:
    """Posts the index holds: published ones. A scheduled post is indexed when the worker
    publishes it (a save, which the receivers follow); drafts and posts in review never."""
    return Post.objects.filter(status=Status.PUBLISHED)


@transaction.atomic
def index_posts(post_ids: Collection[int]) -> None:
    """Bring the index up to date for these posts: (re)index the indexable, drop the rest."""
    backend = get_backend()
    for chunk in _batches(sorted(set(post_ids))):
        posts = list(indexable_posts().filter(pk__in=chunk).for_listing())
        _write(posts, backend)
        SearchDocument.objects.filter(post_id__in=chunk).exclude(
            post_id__in=[post.pk for post in posts]
        ).delete()


@transaction.atomic
def rebuild_index(*, dry_run: bool = False, progress: Progress | None = None) -> RebuildSummary:
    """Index every indexable post again and remove every other document.

    ``progress`` is told ``("Indexing posts", done, total)`` after each batch.
    """
    indexable = indexable_posts()
    stale = SearchDocument.objects.exclude(post__in=indexable.values("pk"))
    ids = list(indexable.order_by("pk").values_list("pk", flat=True))
    summary = RebuildSummary(
        indexed=len(ids),
        visible=Post.objects.published().count(),
        scheduled=Post.objects.filter(status=Status.SCHEDULED).count(),
        removed=stale.count(),
    )
    if dry_run:
        return summary
    backend = get_backend()
    stale.delete()
    done = 0
    for chunk in _batches(ids):
        _write(list(indexable.filter(pk__in=chunk).for_listing()), backend)
        done += len(chunk)
        if progress is not None:
            progress("Indexing posts", done, len(ids))
    backend.compact()
    return summary


@dataclass(frozen=True)
class IndexStatus:
    indexable: int
    indexed: int
    missing: int
    stale: int


def index_status() -> IndexStatus:
    """How the index compares with the posts it should hold."""
    indexable = indexable_posts()
    return IndexStatus(
        indexable=indexable.count(),
        indexed=SearchDocument.objects.count(),
        missing=indexable.filter(search_document__isnull=True).count(),
        stale=SearchDocument.objects.exclude(post__in=indexable.values("pk")).count(),
    )


def _write(posts: Sequence[Post], backend: SearchBackend) -> None:
    documents = [
        SearchDocument(
            post_id=text.post_id,
            title=text.title,
            summary=text.summary,
            categories=text.categories,
            authors=text.authors,
            body=text.body,
        )
        for text in map(build_document, posts)
    ]
    if not documents:
        return
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=[*TEXT_FIELDS, "indexed_at"],
    )
    backend.refresh([document.post_id for document in documents])


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for post_id in ids:
        batch.append(post_id)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
