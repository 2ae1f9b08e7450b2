"""Keeping the index in step with content.

Every change that can alter a post's indexed text or its visibility marks the post as changed;
after the transaction commits, the changed posts are indexed once, together. Waiting for the
commit means a post saved, then given categories and bylines in the same transaction (as the
admin and the services do) is indexed once, complete, and a rolled-back change is never
indexed. The index lives in the same database, and re-indexing reads the committed state, so a
change marked twice, or marked by a transaction that rolled back, is harmless.

A change of status is a save of the post (publish_post and unpublish_post save it), which the
model signals already mark; the post_published and post_unpublished signals, sent after that
same commit, are left to the apps that announce posts, and would only index them again here.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from linernotes.content import signals as content_signals
from linernotes.content.models import Author, Byline, Category, Post
from linernotes.search.indexer import index_posts
from linernotes.site.freshness import content_changed


class _PendingChanges(threading.local):
    """Changes not yet indexed, per thread (each thread has its own database connection)."""

    def __init__(self) -> None:
        self.post_ids: set[int] = set()
        self.category_ids: set[int] = set()
        self.author_ids: set[int] = set()

    def take_post_ids(self) -> set[int]:
        post_ids, self.post_ids = self.post_ids, set()
        categories, self.category_ids = self.category_ids, set()
        authors, self.author_ids = self.author_ids, set()
        if categories or authors:
            post_ids |= set(
                Post.objects.filter(
                    Q(categories__in=categories) | Q(bylines__author__in=authors)
                ).values_list("pk", flat=True)
            )
        return post_ids


pending = _PendingChanges()


def index_pending() -> None:
    """Index every post marked as changed. The first call after a commit does all the work."""
    post_ids = pending.take_post_ids()
    if post_ids:
        index_posts(post_ids)
        # The index is written just after the change commits; a results page another process
        # rendered in between, under the new content version, must not outlive it.
        content_changed()


def _after_commit() -> None:
    # robust: a failure to index is logged, and never undoes or fails the editor's write.
    transaction.on_commit(index_pending, robust=True)


def mark_posts(*post_ids: int) -> None:
    pending.post_ids.update(post_ids)
    _after_commit()


def post_changed(sender: Any, instance: Post, **kwargs: Any) -> None:
    mark_posts(instance.pk)


def byline_changed(sender: Any, instance: Byline, **kwargs: Any) -> None:
    mark_posts(instance.post_id)


def category_renamed(sender: Any, instance: Category, **kwargs: Any) -> None:
    pending.category_ids.add(instance.pk)
    _after_commit()


def author_renamed(sender: Any, instance: Author, **kwargs: Any) -> None:
    pending.author_ids.add(instance.pk)
    _after_commit()


def category_deleting(sender: Any, instance: Category, **kwargs: Any) -> None:
    # Its posts must be found now: the links to them are gone by the time of the commit.
    mark_posts(*instance.posts.values_list("pk", flat=True))


def post_categories_changed(
    sender: Any,
    instance: Post | Category,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if not reverse:
        if action.startswith("post_"):
            mark_posts(instance.pk)
    elif action == "pre_clear" and isinstance(instance, Category):
        mark_posts(*instance.posts.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"} and pk_set:
        mark_posts(*pk_set)


def posts_changed_in_bulk(sender: Any, post_ids: Collection[int], **kwargs: Any) -> None:
    mark_posts(*post_ids)


def connect() -> None:
    content_signals.posts_changed_in_bulk.connect(
        posts_changed_in_bulk, dispatch_uid="search-posts-changed-in-bulk"
    )
    post_save.connect(post_changed, sender=Post, dispatch_uid="search-post-saved")
    post_save.connect(byline_changed, sender=Byline, dispatch_uid="search-byline-saved")
    post_delete.connect(byline_changed, sender=Byline, dispatch_uid="search-byline-deleted")
    post_save.connect(category_renamed, sender=Category, dispatch_uid="search-category-saved")
    post_save.connect(author_renamed, sender=Author, dispatch_uid="search-author-saved")
    pre_delete.connect(category_deleting, sender=Category, dispatch_uid="search-category-deleting")
    m2m_changed.connect(
        post_categories_changed,
        sender=Post.categories.through,
        dispatch_uid="search-post-categories",
    )
