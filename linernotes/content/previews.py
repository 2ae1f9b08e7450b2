"""Previews of posts readers cannot see yet: who may look, and share links for everyone else.

Staff preview a post at its own address. A share link lets someone without an account see it:
a signed token naming the post and its ``preview_key``. Tokens expire after
``LINERNOTES_PREVIEW_LINK_DAYS``; clearing the key revokes every link given out, and the next
link gets a new one. Nothing is stored per link, so links cost nothing to make.

Content is the ground floor, so the views that show a preview (the site's post page and card,
the newsletter's email) register here as "parts" of a preview, and each can list the others
without knowing their URL names.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from linernotes.content.models import Post
from linernotes.content.ownership import CHANGE, edits_everyones, may_edit, owns

if TYPE_CHECKING:
    from linernotes.content.ownership import User

VIEW = "content.view_post"
SALT = "linernotes.content.preview"
# 16 random bytes: as unguessable as the signature, and short enough for the key's column.
KEY_BYTES = 16

Response = TypeVar("Response", bound=HttpResponseBase)


class PreviewLinkError(Exception):
    """A share link that shows nothing."""


class PreviewLinkInvalid(PreviewLinkError):
    """Not made by this site, cut short, revoked, or its post is gone: answered with 404."""


class PreviewLinkExpired(PreviewLinkError):
    """A genuine link, not revoked, that is too old: its holder should ask for a new one."""


def may_preview(user: User, post: Post) -> bool:
    """Whether ``user`` may see ``post`` at its own address before readers can.

    Staff who may view posts may preview any post the admin shows them: everyone's for
    editors and for those who may only look, their own for writers (also once it is
    scheduled, when they may no longer change it).
    """
    if not (user.is_staff and user.has_perm(VIEW)):
        return False
    if edits_everyones(user) or not user.has_perm(CHANGE):
        return True
    # Not may_edit(): a writer who may not publish can no longer change a scheduled post of
    # theirs, but still sees it in the admin, and should see what readers will.
    return owns(user, post)


def may_share(user: User, post: Post) -> bool:
    """Making and revoking share links is a change to the post: its editors' right."""
    return bool(post.pk) and may_edit(user, post)


def link_lifetime() -> timedelta:
    return timedelta(days=settings.LINERNOTES_PREVIEW_LINK_DAYS)


def has_share_links(post: Post) -> bool:
    return bool(post.preview_key)


def share_token(post: Post) -> str:
    """A new share link token for ``post``, good for ``link_lifetime()`` from now."""
    return signing.dumps({"p": post.pk, "k": _preview_key(post)}, salt=SALT)


def _preview_key(post: Post) -> str:
    if post.preview_key:
        return post.preview_key
    # A plain update: a key changes nothing readers see, so no save, no signals and no new
    # content version. Only an empty key is filled, so two people sharing at once get the
    # same key rather than one revoking the other's link.
    key = secrets.token_urlsafe(KEY_BYTES)
    Post.objects.filter(pk=post.pk, preview_key="").update(preview_key=key)
    post.preview_key = Post.objects.values_list("preview_key", flat=True).get(pk=post.pk)
    return post.preview_key


def revoke_share_links(post: Post) -> None:
    """Every share link of ``post`` stops working; the next one made gets a new key."""
    Post.objects.filter(pk=post.pk).update(preview_key="")
    post.preview_key = ""


def post_for_share_token(token: str, posts: QuerySet[Post] | None = None) -> Post:
    """The post a share link shows, from ``posts`` (all posts by default).

    Raises PreviewLinkInvalid or PreviewLinkExpired. A link both old and revoked is invalid:
    asking for a new one would not help its holder.
    """
    expired = False
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_lifetime())
    except signing.SignatureExpired:
        expired = True
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise PreviewLinkInvalid("bad signature") from None
    post = _post_of(payload, Post.objects.all() if posts is None else posts)
    if expired:
        raise PreviewLinkExpired(f"share link of post {post.pk}")
    return post


def _post_of(payload: Any, posts: QuerySet[Post]) -> Post:
    if not isinstance(payload, dict):
        raise PreviewLinkInvalid("not a share link")
    pk, key = payload.get("p"), payload.get("k")
    if not isinstance(pk, int) or not isinstance(key, str) or not key:
        raise PreviewLinkInvalid("not a share link")
    post = posts.filter(pk=pk).first()
    if post is None or not constant_time_compare(post.preview_key, key):
        raise PreviewLinkInvalid(f"revoked or deleted: post {pk}")
    return post


def keep_private(response: Response) -> Response:
    """Mark a preview response for its viewer alone: no shared cache (the page cache, a CDN)
    keeps it, and no search engine indexes it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def edit_url(post: Post) -> str:
    """The post's page in the admin, where share links are made."""
    return reverse("admin:content_post_change", args=[post.pk])


@dataclass(frozen=True)
class PreviewPart:
    label: str
    url_for_token: Callable[[str], str]
    order: int


_parts: dict[str, PreviewPart] = {}


def register_preview_part(
    label: str, url_for_token: Callable[[str], str], *, order: int = 100
) -> None:
    """Offer a view of a shared preview (``url_for_token(token)`` is its path) under ``label``.

    Apps call this in ``AppConfig.ready()``; registering a label again replaces it.
    """
    _parts[label] = PreviewPart(label, url_for_token, order)


def preview_parts(token: str) -> list[tuple[str, str]]:
    """(label, path) of every registered view of the preview ``token`` shares, in order."""
    parts = sorted(_parts.values(), key=lambda part: (part.order, part.label))
    return [(part.label, part.url_for_token(token)) for part in parts]
