"""Who may do what to a post: the one rule the admin, the services and the commands share.

A post is a user's own when its byline credits the Author linked to that user. Roles are
groups of permissions (see ``linernotes.accounts.roles``); this module reads only the
permissions, so a site may also grant them one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from linernotes.content.models import Post, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser

    User = AbstractUser | AnonymousUser

CHANGE = "content.change_post"
PUBLISH_OWN = "content.publish_post"
EDIT_OTHERS = "content.edit_others_posts"


def edits_everyones(user: User) -> bool:
    return user.has_perm(CHANGE) and user.has_perm(EDIT_OTHERS)


def editable_posts(user: User, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """The posts ``user`` may open and change: everyone's for editors, else their own."""
    posts = Post.objects.all() if posts is None else posts
    if not user.has_perm(CHANGE):
        return posts.none()
    if edits_everyones(user):
        return posts
    return posts.filter(pk__in=Post.objects.filter(bylines__author__user=user.pk).values("pk"))


def owns(user: User, post: Post) -> bool:
    if post.pk is None:
        return True  # a new post becomes its writer's own (the admin credits them)
    return user.pk is not None and post.bylines.filter(author__user_id=user.pk).exists()


WRITERS_STATUSES = (Status.DRAFT, Status.REVIEW)


def may_edit(user: User, post: Post) -> bool:
    """Editors change every post; others their own, and only until it is scheduled or public
    if they may not publish (a change to a live post is a publication too)."""
    if not user.has_perm(CHANGE):
        return False
    if edits_everyones(user):
        return True
    return owns(user, post) and (user.has_perm(PUBLISH_OWN) or post.status in WRITERS_STATUSES)


def may_publish(user: User, post: Post) -> bool:
    """Publishing, scheduling and taking a post down are one right."""
    return may_edit(user, post) and (edits_everyones(user) or user.has_perm(PUBLISH_OWN))


def allowed_statuses(user: User, post: Post) -> list[Status]:
    """The statuses ``user`` may give ``post``."""
    return list(Status) if may_publish(user, post) else list(WRITERS_STATUSES)


def check_status_change(user: User | None, post: Post, status: str) -> None:
    """Refuse with PermissionDenied unless ``user`` may move ``post`` (as stored) to ``status``.

    ``user`` None is the system itself (the worker, the demo, commands run by the operator).
    """
    if user is None:
        return
    stored = Post.objects.filter(pk=post.pk).first() if post.pk else Post(status=Status.DRAFT)
    if stored is None or not may_edit(user, stored):
        raise PermissionDenied("You may not change this post.")
    if status not in allowed_statuses(user, stored):
        raise PermissionDenied("You may not publish, schedule or take down this post.")
