"""The writing screen's live preview: the post or page under edit, through the readers'
templates (registered with content.editing in SiteConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template import loader
from django.utils import timezone
from django.utils.text import slugify

from linernotes.content.editing import render_pages_with
from linernotes.content.models import Page, Post

# The address of a post or page whose slug is not filled in yet.
UNNAMED = "untitled"


def render_post(request: HttpRequest, post: Post) -> str:
    post.slug = post.slug or slugify(post.title) or UNNAMED
    # Dated as if it were published now, as it would be by "Publish".
    now = timezone.now().replace(microsecond=0)  # HTML's datetime allows 3 digits at most
    post.published_at = post.published_at or now
    post.created_at, post.updated_at = post.created_at or now, post.updated_at or now
    if post.pk is None:
        # Not saved yet: categories and bylines are chosen on the same form, later.
        post.chips, post.credits = [], []
    context = {"post": post, "show_chips": True, "show_byline": False, "noindex": True}
    return loader.render_to_string("linernotes/post.html", context, request)


def render_page(request: HttpRequest, page: Page) -> str:
    page.slug = page.slug or slugify(page.title) or UNNAMED
    context = {"page": page, "noindex": True}
    return loader.render_to_string("linernotes/page.html", context, request)


def register() -> None:
    render_pages_with(Post, render_post)
    render_pages_with(Page, render_page)
