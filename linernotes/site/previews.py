"""Previews on the public site of posts readers cannot see yet (the rules: content/previews.py).

Staff open an unpublished post at its own address (``post_detail`` hands over here when the
post is not public); anyone holding a share link opens ``/preview/<token>/`` (the post page) or
``/preview/<token>/card/`` (its home-page card). Each is the reader's template with a banner
on top, and every response is private and noindex: a preview is for its viewer, never for a
shared cache or a search engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from linernotes.content.models import Post, Status
from linernotes.content.previews import (
    PreviewLinkExpired,
    PreviewLinkInvalid,
    edit_url,
    has_share_links,
    keep_private,
    may_preview,
    may_share,
    post_for_share_token,
    preview_parts,
    register_preview_part,
    share_token,
)
from linernotes.site.related import RELATED_POSTS, related_posts

POST_TEMPLATE = "linernotes/post.html"
CARD_TEMPLATE = "linernotes/preview_card.html"
EXPIRED_TEMPLATE = "linernotes/preview_expired.html"


@dataclass(frozen=True)
class Banner:
    """What the banner on top of a preview says, and where it leads."""

    state: str  # "draft", "review", "scheduled" or "published"
    post_address: str
    scheduled_for: datetime | None = None
    # (label, path) of each view of the shared preview; empty without a share link.
    parts: list[tuple[str, str]] = field(default_factory=list)
    # The admin page where a share link can be made, for staff who may make one.
    share_from: str = ""


def register_parts() -> None:
    """The site's views of a shared preview (SiteConfig.ready)."""
    register_preview_part(
        "Post page", lambda token: reverse("site:preview", args=[token]), order=10
    )
    register_preview_part(
        "Home-page card", lambda token: reverse("site:preview-card", args=[token]), order=20
    )


def staff_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The post at ``slug`` for staff who may preview it; a 404 for everyone else."""
    user = request.user
    # Readers are turned away before anything is looked up: a draft's slug costs them nothing.
    if not user.is_staff:
        raise Http404("No such post")
    post = Post.objects.for_listing().filter(slug=slug).first()
    if post is None or not may_preview(user, post):
        raise Http404("No such post")
    if post.get_absolute_url() != request.path:
        # Temporary: a draft's address follows its creation date until it is published.
        return keep_private(redirect(post.get_absolute_url()))
    sharing = may_share(user, post)
    token = share_token(post) if sharing and has_share_links(post) else ""
    banner = _banner(post, token, share_from=edit_url(post) if sharing and not token else "")
    return _post_page(request, post, banner)


def shared_post_page(request: HttpRequest, token: str) -> HttpResponse:
    return _shared(request, token, _post_page)


def shared_card_page(request: HttpRequest, token: str) -> HttpResponse:
    return _shared(request, token, _card_page)


Page = Callable[[HttpRequest, Post, Banner], HttpResponse]


def _shared(request: HttpRequest, token: str, page: Page) -> HttpResponse:
    try:
        post = post_for_share_token(token, Post.objects.for_listing())
    except PreviewLinkExpired:
        return expired_page(request)
    except PreviewLinkInvalid:
        raise Http404("No such preview") from None
    return page(request, post, _banner(post, token))


def expired_page(request: HttpRequest) -> HttpResponse:
    context = {"noindex": True, "days": settings.LINERNOTES_PREVIEW_LINK_DAYS}
    return keep_private(render(request, EXPIRED_TEMPLATE, context, status=410))


def _banner(post: Post, token: str, *, share_from: str = "") -> Banner:
    if post.status in (Status.DRAFT, Status.REVIEW):
        state = str(post.status)
    elif Post.objects.published().filter(pk=post.pk).exists():
        state = "published"
    else:
        state = "scheduled"
    return Banner(
        state=state,
        post_address=post.get_absolute_url(),
        scheduled_for=post.published_at if state == "scheduled" else None,
        parts=preview_parts(token) if token else [],
        share_from=share_from,
    )


def _dated(post: Post) -> Post:
    """A post without a publication time is shown as if published now, as it would be: the
    templates, and the page's metadata, all expect a date."""
    if post.published_at is None:
        post.published_at = timezone.now().replace(microsecond=0)
    return post


def _post_page(request: HttpRequest, post: Post, banner: Banner) -> HttpResponse:
    post = _dated(post)
    context = {
        "post": post,
        # Neighbours follow from the publication time, which a preview does not have yet.
        "older": None,
        "newer": None,
        "related": related_posts(Post.objects.published(), post, RELATED_POSTS),
        "show_chips": True,
        "show_byline": False,
        "noindex": True,
        "preview": banner,
    }
    return keep_private(render(request, POST_TEMPLATE, context))


def _card_page(request: HttpRequest, post: Post, banner: Banner) -> HttpResponse:
    context = {"post": _dated(post), "show_chips": True, "noindex": True, "preview": banner}
    return keep_private(render(request, CARD_TEMPLATE, context))
