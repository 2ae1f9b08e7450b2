"""Revisions of posts and pages: recording, autosave, restoring, pending edits, diffs.

Every write here is a service (atomic, permission-checked when ``by`` is a user; ``by`` None is
the system). A revision is a snapshot: the text in columns, the rest in ``fields`` (see
``snapshot()``). Restoring and publishing a pending edit never change a post's status or
publication time, so neither publishes nor takes a post down by itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from linernotes.content.models import Author, Category, Page, Post, Status
from linernotes.content.ownership import may_edit, may_publish
from linernotes.content.revision_diffs import id_of, ids_in, line_diff, value_diff
from linernotes.content.revision_models import Revision, RevisionKind
from linernotes.content.services import Credit, set_post_bylines

if TYPE_CHECKING:
    from linernotes.content.ownership import User

Content = Post | Page

CHANGE_PAGE = "content.change_page"
POST_TEXT = ("title", "slug", "summary", "body")
PAGE_TEXT = ("title", "slug", "body")
# Revisions that were the object's stored state, as opposed to edits kept aside.
STATE_KINDS = (RevisionKind.SAVED, RevisionKind.RESTORED)
# What restoring leaves as it is (a status change goes through the publishing services).
KEPT_ON_RESTORE = ("status", "published_at")

LABELS = {
    "title": "Title",
    "slug": "Slug",
    "summary": "Summary",
    "body": "Body",
    "status": "Status",
    "published_at": "Publication time",
    "featured": "Featured",
    "hero_image_alt": "Hero image alt text",
    "external_url": "Link post address",
    "noindex": "Hidden from search engines",
    "primary_category": "Primary category",
    "categories": "Categories",
    "bylines": "Bylines",
    "show_in_navigation": "In the navigation",
    "navigation_order": "Navigation order",
}


# --- Snapshots ---


def snapshot(obj: Content) -> Revision:
    """An unsaved revision holding ``obj`` as it is, with its categories and bylines as stored."""
    revision = Revision(title=obj.title, slug=obj.slug, body=obj.body)
    if isinstance(obj, Post):
        revision.post, revision.summary, revision.fields = obj, obj.summary, _post_fields(obj)
    else:
        revision.page, revision.fields = obj, _page_fields(obj)
    return revision


def _post_fields(post: Post) -> dict[str, Any]:
    bylines = post.bylines.order_by("position", "pk").values_list("author_id", "role")
    return {
        "status": post.status,
        # In UTC, so that the same moment read from a form or from the database compares equal.
        "published_at": post.published_at.astimezone(UTC).isoformat()
        if post.published_at
        else None,
        "featured": post.featured,
        "hero_image_alt": post.hero_image_alt,
        "external_url": post.external_url,
        "noindex": post.noindex,
        "primary_category": post.primary_category_id,
        "categories": sorted(post.categories.values_list("pk", flat=True)),
        "bylines": [{"author": author, "role": role} for author, role in bylines],
    }


def _page_fields(page: Page) -> dict[str, Any]:
    return {
        "status": page.status,
        "show_in_navigation": page.show_in_navigation,
        "navigation_order": page.navigation_order,
        "noindex": page.noindex,
    }


def _content(revision: Revision) -> tuple[Any, ...]:
    return (revision.title, revision.slug, revision.summary, revision.body, revision.fields)


def revisions_of(obj: Content) -> QuerySet[Revision]:
    """The revisions of ``obj``, newest first."""
    if isinstance(obj, Post):
        return Revision.objects.filter(post=obj).order_by("-number")
    return Revision.objects.filter(page=obj).order_by("-number")


def owner_of(revision: Revision) -> Content:
    """The post or page of ``revision``, as stored now."""
    if revision.post_id is not None:
        return Post.objects.get(pk=revision.post_id)
    assert revision.page_id is not None  # a revision is of a post or of a page (a constraint)
    return Page.objects.get(pk=revision.page_id)


def _latest(obj: Content) -> Revision | None:
    """The newest revision of ``obj``, with ``obj``'s row locked so that two writers never
    take the same next number (a no-op on SQLite, whose writes take turns anyway)."""
    if isinstance(obj, Post):
        list(Post.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    else:
        list(Page.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    return revisions_of(obj).first()


def _number_after(latest: Revision | None) -> int:
    return 1 if latest is None else latest.number + 1


def _user_id(user: User | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def check_may_edit(user: User | None, obj: Content) -> None:
    """Refuse with PermissionDenied unless ``user`` may change ``obj`` (None is the system)."""
    if user is None:
        return
    allowed = may_edit(user, obj) if isinstance(obj, Post) else user.has_perm(CHANGE_PAGE)
    if not allowed:
        raise PermissionDenied("You may not change this.")


# --- Recording ---


@transaction.atomic
def record_revision(obj: Content, *, by: User | None, kind: str = RevisionKind.SAVED) -> Revision:
    """Record ``obj`` as saved, with its categories and bylines, as its newest revision.

    A save that changed nothing records nothing: when the newest saved or restored revision
    has the same content, that one is returned.
    """
    revision = snapshot(obj)
    latest = _latest(obj)
    if kind == RevisionKind.SAVED:
        previous = revisions_of(obj).filter(kind__in=STATE_KINDS).first()
        if previous is not None and _content(previous) == _content(revision):
            return previous
    revision.kind, revision.by_id, revision.number = kind, _user_id(by), _number_after(latest)
    revision.save()
    return revision


@transaction.atomic
def autosave(obj_or_id: Content | int, *, by: User, data: Mapping[str, Any]) -> Revision:
    """Keep what ``by`` typed (``data``) as a revision, without saving the object itself.

    ``data`` maps snapshot names (title, body, featured, categories...) to values, ids as
    numbers; other names are ignored. An int is a post's id. While the newest revision is
    ``by``'s own autosave it is updated in place, so typing keeps one row, not thousands;
    after a save (or someone else's autosave) the next autosave starts a new revision.
    """
    obj = Post.objects.get(pk=obj_or_id) if isinstance(obj_or_id, int) else obj_or_id
    check_may_edit(by, obj)
    return _keep_aside(obj, by=by, data=data, kind=RevisionKind.AUTOSAVE)


def autosave_offer(obj: Content, user: User) -> dict[str, Any]:
    """``user``'s autosave of ``obj`` if it is newer than the last save, for a reopened form
    to offer back; empty if there is none."""
    latest = revisions_of(obj).first()
    if latest is None or latest.kind != RevisionKind.AUTOSAVE or latest.by_id != user.pk:
        return {}
    if latest.updated_at <= obj.updated_at:
        return {}
    text_fields = POST_TEXT if isinstance(obj, Post) else PAGE_TEXT
    return {
        "saved_at": timezone.localtime(latest.updated_at).isoformat(),
        "fields": {name: getattr(latest, name) for name in text_fields},
    }


@transaction.atomic
def discard_autosave(obj: Content, user: User) -> bool:
    """Throw away ``user``'s autosave of ``obj`` (the writer chose the saved version)."""
    latest = revisions_of(obj).first()
    if latest is None or latest.kind != RevisionKind.AUTOSAVE or latest.by_id != user.pk:
        return False
    latest.delete()
    return True


@transaction.atomic
def pending_change(post: Post, *, by: User, data: Mapping[str, Any]) -> Revision:
    """Keep an edit of a published post aside, as a pending revision, until it is published
    (``publish_pending``): the live post stays as it is meanwhile. ``data`` is as for
    ``autosave``, and ``by``'s newest pending revision is likewise updated in place."""
    if post.status != Status.PUBLISHED:
        raise ValueError("Only a published post keeps edits pending; save others directly.")
    check_may_edit(by, post)
    return _keep_aside(post, by=by, data=data, kind=RevisionKind.PENDING)


def _keep_aside(obj: Content, *, by: User, data: Mapping[str, Any], kind: RevisionKind) -> Revision:
    """``obj``'s content with ``data`` on top, in ``by``'s newest revision of ``kind`` when
    that is the newest revision of all, else in a new one."""
    latest, user_id = _latest(obj), _user_id(by)
    if latest is not None and latest.kind == kind and user_id and latest.by_id == user_id:
        revision = latest
    else:
        revision = snapshot(obj)
        revision.kind, revision.by_id, revision.number = kind, user_id, _number_after(latest)
    text_fields = POST_TEXT if isinstance(obj, Post) else PAGE_TEXT
    for name, value in data.items():
        if name in text_fields:
            setattr(revision, name, "" if value is None else str(value))
        elif name in revision.fields:
            revision.fields[name] = value
    revision.save()
    return revision


# --- Restoring and publishing ---


@transaction.atomic
def restore_revision(revision: Revision, *, by: User | None) -> Content:
    """Give the object ``revision``'s content again and record a "restored" revision.

    Status and publication time stay as they are. A post also gets the revision's
    categories and bylines back (those deleted since are left out). Raises ValidationError
    when the content fails today's checks (say, its slug was taken since).
    """
    obj = owner_of(revision)
    check_may_edit(by, obj)
    _apply(revision, obj)
    record_revision(obj, by=by, kind=RevisionKind.RESTORED)
    return obj


@transaction.atomic
def publish_pending(revision: Revision, *, by: User | None) -> Post:
    """Publish a pending edit: the live post takes its content and stays published.

    The pending revision becomes the newest saved one, credited to ``by``, who made it live.
    """
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.kind != RevisionKind.PENDING or revision.post_id is None:
        raise ValueError("Only a post's pending revision can be published.")
    post = Post.objects.get(pk=revision.post_id)
    if post.status != Status.PUBLISHED:
        raise ValueError("The post is not published any more: restore the revision instead.")
    if by is not None and not may_publish(by, post):
        raise PermissionDenied("You may not publish this post.")
    _apply(revision, post)
    latest = _latest(post)
    if latest is not None and latest.pk != revision.pk:
        revision.number = latest.number + 1
    stored = snapshot(post)
    revision.title, revision.slug, revision.summary = stored.title, stored.slug, stored.summary
    revision.body, revision.fields = stored.body, stored.fields
    revision.kind, revision.by_id = RevisionKind.SAVED, _user_id(by)
    revision.save()
    return post


def _apply(revision: Revision, obj: Content) -> None:
    """Give ``obj`` the content of ``revision``, except what KEPT_ON_RESTORE names, and save."""
    obj.title, obj.slug, obj.body = revision.title, revision.slug, revision.body
    if isinstance(obj, Post):
        _apply_post_fields(obj, revision)
    else:
        fields = revision.fields
        obj.show_in_navigation = fields.get("show_in_navigation", obj.show_in_navigation)
        obj.navigation_order = fields.get("navigation_order", obj.navigation_order)
        obj.noindex = fields.get("noindex", obj.noindex)
    # The checks the admin's form makes; fields the form never shows (rendered HTML) are
    # derived on save.
    obj.full_clean(exclude=[field.name for field in obj._meta.fields if not field.editable])
    obj.save()
    if isinstance(obj, Post):
        _apply_relations(obj, revision.fields)


def _apply_post_fields(post: Post, revision: Revision) -> None:
    fields = revision.fields
    post.summary = revision.summary
    post.featured = fields.get("featured", post.featured)
    post.external_url = fields.get("external_url", post.external_url)
    post.noindex = fields.get("noindex", post.noindex)
    # The image itself is not part of a revision, and an image needs its alt text: an image
    # added since the revision keeps the alt text it has.
    alt = fields.get("hero_image_alt", post.hero_image_alt)
    if alt or not post.hero_image:
        post.hero_image_alt = alt
    primary = id_of(fields.get("primary_category"))
    post.primary_category = Category.objects.filter(pk=primary).first() if primary else None


def _apply_relations(post: Post, fields: Mapping[str, Any]) -> None:
    if "categories" in fields:
        post.categories.set(Category.objects.filter(pk__in=ids_in(fields["categories"])))
    if "bylines" in fields:
        wanted = [(id_of(c.get("author")), c.get("role", "")) for c in fields["bylines"]]
        authors = Author.objects.in_bulk([author for author, _ in wanted if author is not None])
        credits = [Credit(authors[a], role) for a, role in wanted if a is not None and a in authors]
        set_post_bylines(post=post, credits=credits)


# --- Diffs ---


def diff_revisions(
    older: Revision, newer: Revision, *, ignore: Collection[str] = ()
) -> list[tuple[str, SafeString]]:
    """What changed from ``older`` to ``newer``: (label, HTML) per changed field, in order.

    The text fields get a line diff, the others "before → after". Everything from the
    revisions is escaped: bodies are user input.
    """
    changes = []
    for name in POST_TEXT:
        before, after = getattr(older, name), getattr(newer, name)
        if before != after and name not in ignore:
            changes.append((LABELS[name], line_diff(before, after)))
    for name in dict.fromkeys([*older.fields, *newer.fields]):
        before, after = older.fields.get(name), newer.fields.get(name)
        if before != after and name not in ignore:
            label = LABELS.get(name, name.replace("_", " ").capitalize())
            changes.append((label, value_diff(name, before, after)))
    return changes
