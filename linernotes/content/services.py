"""Writes with side effects. Views, admin actions and commands call these, never raw saves."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from linernotes.console import Progress
from linernotes.content.models import Author, Byline, Category, Page, Post, Status
from linernotes.content.ownership import check_status_change
from linernotes.content.signals import post_published, post_submitted, post_unpublished

if TYPE_CHECKING:
    from linernotes.content.ownership import User

# In every service, ``by`` is the user asking; None is the system (worker, demo, commands).


@dataclass(frozen=True)
class Credit:
    """An author's place on a byline; ``role`` overrides the author's usual role when given."""

    author: Author
    role: str = ""


@transaction.atomic
def publish_post(*, post: Post, at: datetime | None = None, by: User | None = None) -> Post:
    """Publish ``post`` at ``at`` (now by default). A time still to come schedules it: the
    worker publishes it then (``publish_due_posts``), and only then is it announced."""
    when = at or post.published_at or timezone.now()
    status = Status.SCHEDULED if when > timezone.now() else Status.PUBLISHED
    check_status_change(by, post, status)
    was_public = _is_public(post)
    post.status, post.published_at = status, when
    post.save()
    if status == Status.PUBLISHED:
        transaction.on_commit(lambda: post_published.send(sender=Post, post=post))
    elif was_public:
        transaction.on_commit(lambda: post_unpublished.send(sender=Post, post=post))
    return post


@transaction.atomic
def unpublish_post(*, post: Post, by: User | None = None) -> Post:
    """Return ``post`` to draft; it disappears from every public view at once."""
    return _hold_back(post, Status.DRAFT, by)


@transaction.atomic
def submit_for_review(*, post: Post, by: User | None = None) -> Post:
    """Mark ``post`` as waiting for an editor, who hears of it (``post_submitted``)."""
    was_waiting = Post.objects.filter(pk=post.pk, status=Status.REVIEW).exists()
    _hold_back(post, Status.REVIEW, by)
    if not was_waiting:
        transaction.on_commit(lambda: post_submitted.send(sender=Post, post=post, by=by))
    return post


@transaction.atomic
def save_post(*, post: Post, by: User | None = None) -> Post:
    """Save ``post`` with the status it was given, through the service that status needs."""
    if post.status in (Status.PUBLISHED, Status.SCHEDULED):
        return publish_post(post=post, at=post.published_at, by=by)
    if post.status == Status.REVIEW:
        return submit_for_review(post=post, by=by)
    return unpublish_post(post=post, by=by)


def publish_due_posts() -> list[Post]:
    """Publish every scheduled post whose time has come (the worker calls this often)."""
    published = []
    due = Post.objects.filter(status=Status.SCHEDULED, published_at__lte=timezone.now())
    for post in due.order_by("published_at", "pk"):
        with transaction.atomic():
            # Only if still scheduled: another worker, or an editor, may have got there first.
            if Post.objects.filter(pk=post.pk, status=Status.SCHEDULED).update(
                status=Status.PUBLISHED
            ):
                published.append(publish_post(post=post, at=post.published_at))
    return published


def _is_public(post: Post) -> bool:
    return post.pk is not None and Post.objects.published().filter(pk=post.pk).exists()


def _hold_back(post: Post, status: Status, by: User | None) -> Post:
    """Give ``post`` a status readers never see; say so if it was public."""
    check_status_change(by, post, status)
    was_public = _is_public(post)
    post.status = status
    post.save()
    if was_public:
        transaction.on_commit(lambda: post_unpublished.send(sender=Post, post=post))
    return post


@transaction.atomic
def set_post_categories(*, post: Post, categories: Sequence[Category]) -> None:
    """Give ``post`` these categories; the first one becomes the primary category."""
    unique = list(dict.fromkeys(categories))
    post.categories.set(unique)
    post.primary_category = unique[0] if unique else None
    Post.objects.filter(pk=post.pk).update(primary_category=post.primary_category)


@transaction.atomic
def set_post_bylines(*, post: Post, credits: Sequence[Credit]) -> None:
    """Replace the byline of ``post`` with ``credits``, in order."""
    post.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(post=post, author=credit.author, position=index, role=credit.role)
        for index, credit in enumerate(credits)
    )


@transaction.atomic
def rerender_all(*, dry_run: bool = False, progress: Progress | None = None) -> int:
    """Render every post and page again (after a pipeline change). Returns how many changed.

    With ``dry_run`` nothing is saved: the count says what a real run would change.
    ``progress`` is told ``(stage, done, total)`` after each item.
    """
    changed = 0
    for model, fields in RENDERED_FIELDS.items():
        total = model.objects.count()
        stage = str(model._meta.verbose_name_plural).capitalize()
        items: Iterator[Post | Page] = model.objects.iterator(chunk_size=200)
        for done, item in enumerate(items, start=1):
            before = item.body_html
            if dry_run:
                item.render()
            else:
                item.save(update_fields=fields)
            changed += item.body_html != before
            if progress is not None:
                progress(stage, done, total)
    return changed


# What rendering (and the trimming done on save) may change, per model.
RENDERED_FIELDS: dict[type[Post] | type[Page], list[str]] = {
    Post: [
        *("body_html", "body_text", "auto_excerpt", "word_count"),
        *("title", "summary", "hero_image_alt"),
    ],
    Page: ["body_html", "title"],
}
