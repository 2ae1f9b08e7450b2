"""Public pages. Views stay thin: they pick the posts and hand them to templates."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from linernotes.content.cards import add_details, load_cards
from linernotes.content.models import Author, Category, CategoryAlias, Page, Post, PostQuerySet
from linernotes.site import previews
from linernotes.site.listing import is_explicit_first_page, numbered_urls, paginate
from linernotes.site.placeholders import DEFAULT_COLOUR, placeholder_svg
from linernotes.site.public import public_page
from linernotes.site.related import RELATED_POSTS, related_posts


def _cards_response(
    request: HttpRequest, template: str, context: dict[str, object]
) -> HttpResponse:
    """The whole page, or only the cards and the next "Load More" link for in-place loading."""
    if request.GET.get("fragment") == "cards":
        return render(request, "linernotes/partials/card_page.html", context)
    return render(request, template, context)


@public_page
def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    if is_explicit_first_page(request, page):
        return redirect(_home_url(1, request.GET.get("category", "")), permanent=True)
    categories = list(Category.objects.in_use())
    slug = request.GET.get("category", "")
    active = next((category for category in categories if category.slug == slug), None)
    if slug and active is None and Category.objects.filter(slug=slug).exists():
        # A category with nothing to show yet: its archive says so.
        return redirect(reverse("site:category", args=[slug]), permanent=False)
    if slug and active is None:
        alias = get_object_or_404(CategoryAlias.objects.select_related("category"), slug=slug)
        return redirect(_home_url(page, alias.category.slug), permanent=True)
    published = Post.objects.published()
    # The featured post leads the first page and is left out of the grid on every page. While
    # a filter is on it is hidden, not dropped, so switching back to "All categories" in place
    # shows it. Later pages need only its id.
    featured_id = _featured_id(published)
    featured = _bare_card(featured_id) if page == 1 else None
    if active is not None:
        posts = published.filter(categories=active)
    else:
        posts = published.exclude(pk=featured_id) if featured_id else published
    # The home page shows no page numbers, so it never counts the posts.
    listing = paginate(
        posts,
        page,
        lambda n: _home_url(n, active.slug if active else ""),
        counted=False,
        with_details=False,
    )
    # One set of look-ups for the featured post's categories and the grid's.
    add_details([*listing.posts, *([featured] if featured else [])])
    return _cards_response(
        request,
        "linernotes/home.html",
        {
            "featured": featured,
            # Without a visible featured image, the first card is the page's largest paint.
            "featured_shown": featured is not None and active is None,
            "listing": listing,
            "categories": categories,
            "active_category": active,
            # The category's own archive lists the same page: the address to index.
            "same_as_url": numbered_urls(
                active.get_absolute_url(), "site:category-page", active.slug
            )(page)
            if active
            else "",
            "show_chips": True,
            "show_byline": False,
            "intro_heading": settings.LINERNOTES_INTRO_HEADING,
            "intro_text": settings.LINERNOTES_INTRO_TEXT,
        },
    )


def _featured_id(published: PostQuerySet) -> int | None:
    """The newest featured post, else the newest post (each an indexed look-up)."""
    ids = published.values_list("pk", flat=True)
    return ids.filter(featured=True).first() or ids.first()


def _bare_card(post_id: int | None) -> Post | None:
    cards = load_cards(Post.objects.filter(pk=post_id), with_details=False) if post_id else []
    return cards[0] if cards else None


def _home_url(page: int, category_slug: str) -> str:
    path = reverse("site:home") if page == 1 else reverse("site:home-page", args=[page])
    return f"{path}?{urlencode({'category': category_slug})}" if category_slug else path


@public_page
def category(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    found = Category.objects.filter(slug=slug).first()
    if found is None:
        alias = get_object_or_404(CategoryAlias.objects.select_related("category"), slug=slug)
        target = numbered_urls(
            alias.category.get_absolute_url(), "site:category-page", alias.category.slug
        )
        return redirect(target(page), permanent=True)
    if is_explicit_first_page(request, page):
        return redirect(found.get_absolute_url(), permanent=True)
    listing = paginate(
        Post.objects.published().filter(categories=found),
        page,
        numbered_urls(found.get_absolute_url(), "site:category-page", found.slug),
    )
    return _cards_response(
        request,
        "linernotes/category.html",
        {
            "category": found,
            "listing": listing,
            "categories": Category.objects.in_use(),
            "show_chips": False,
            "show_byline": True,
        },
    )


@public_page
def author(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    if is_explicit_first_page(request, page):
        return redirect(person.get_absolute_url(), permanent=True)
    listing = paginate(
        Post.objects.published().filter(bylines__author=person),
        page,
        numbered_urls(person.get_absolute_url(), "site:author-page", person.slug),
    )
    return _cards_response(
        request,
        "linernotes/author.html",
        {"author": person, "listing": listing, "show_chips": True, "show_byline": True},
    )


@public_page
def post_detail(request: HttpRequest, year: int, month: int, slug: str) -> HttpResponse:
    published = Post.objects.published()
    try:
        post = published.for_listing().get(slug=slug)
    except Post.DoesNotExist:
        # Not public: a private preview for staff who may see it in the admin, else a 404.
        return previews.staff_preview(request, slug)
    if post.get_absolute_url() != request.path:
        # The post moved to another month (its date was edited): keep old links working.
        return redirect(post.get_absolute_url(), permanent=True)
    older, newer = _neighbours(published, post)
    return render(
        request,
        "linernotes/post.html",
        {
            "post": post,
            "older": older,
            "newer": newer,
            "related": related_posts(published, post, RELATED_POSTS),
            "show_chips": True,
            "show_byline": False,
        },
    )


def _neighbours(published: PostQuerySet, post: Post) -> tuple[Post | None, Post | None]:
    """The posts published just before and just after ``post``, with what a link needs."""
    moment = post.published_at
    assert moment is not None  # guaranteed by published()
    # Ties on the publication time are broken by id, as in every listing, so no post is
    # skipped. Each is one range of the listing index, read from the post outwards.
    older = (
        Post.objects.published_up_to(moment)
        .exclude(published_at=moment, pk__gte=post.pk)
        .order_by("-published_at", "-pk")
    )
    newer = (
        published.filter(published_at__gte=moment)
        .exclude(published_at=moment, pk__lte=post.pk)
        .order_by("published_at", "pk")
    )
    return older.for_links().first(), newer.for_links().first()


# Share links of a post's preview: private pages, never @public_page.
@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    return previews.shared_post_page(request, token)


@require_safe
def preview_card(request: HttpRequest, token: str) -> HttpResponse:
    return previews.shared_card_page(request, token)


@public_page
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "linernotes/page.html", {"page": page})


@public_page
@cache_control(public=True, max_age=86400)
def placeholder_image(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_object_or_404(Post.objects.published().select_related("primary_category"), slug=slug)
    colour = post.primary_category.colour if post.primary_category else DEFAULT_COLOUR
    return HttpResponse(placeholder_svg(post.slug, colour), content_type="image/svg+xml")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    recent = Post.objects.published().for_links()[:3]
    # noindex: search engines should drop the address rather than index the error page.
    body = loader.render_to_string("404.html", {"recent": recent, "noindex": True}, request)
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    # No database or context processors here: the error may have come from either.
    return HttpResponseServerError(loader.render_to_string("500.html"))
