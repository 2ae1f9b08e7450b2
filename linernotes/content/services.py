"""Writes with side effects. Views, admin actions and commands call these, never raw saves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from linernotes.content.models import Author, Byline, Category, Page, Post, Status
from linernotes.content.signals import post_published, post_unpublished


@dataclass(frozen=True)
class Credit:
    """An author's place on a byline; ``role`` overrides the author's usual role when given."""

    author: Author
    role: str = ""


@transaction.atomic
def publish_post(*, post: Post, at: datetime | None = None) -> Post:
    """Publish ``post`` at ``at`` (now by default). A future time keeps it hidden until then."""
    post.status = Status.PUBLISHED
    post.published_at = at or post.published_at or timezone.now()
    post.save()
    transaction.on_commit(lambda: post_published.send(sender=Post, post=post))
    return post


@transaction.atomic
def unpublish_post(*, post: Post) -> Post:
    """Return ``post`` to draft; it disappears from every public view at once."""
    post.status = Status.DRAFT
    post.save()
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
def rerender_all(*, dry_run: bool = False) -> int:
    """Render every post and page again (after a pipeline change). Returns how many changed.

    With ``dry_run`` nothing is saved: the count says what a real run would change.
    """
    changed = 0
    for model, fields in RENDERED_FIELDS.items():
        for item in model.objects.iterator(chunk_size=200):
            before = item.body_html
            if dry_run:
                item.render()
            else:
                item.save(update_fields=fields)
            changed += item.body_html != before
    return changed


# What rendering (and the trimming done on save) may change, per model.
RENDERED_FIELDS: dict[type[Post] | type[Page], list[str]] = {
    Post: [
        *("body_html", "body_text", "auto_excerpt", "word_count"),
        *("title", "summary", "hero_image_alt"),
    ],
    Page: ["body_html", "title"],
}
