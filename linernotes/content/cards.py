"""Posts as cards: what every listing shows, loaded in a fixed, small number of queries.

A card shows a post's title, dates, excerpt, image, categories and bylines, never its body.
Categories come as shared objects, one per category rather than one per post and category
(a blog has a few dozen, and a page of cards names the same ones over and over), and bylines
are grouped by hand: both cost a fraction of what prefetch_related() spends on the same rows.
"""

from __future__ import annotations

from collections import defaultdict

from linernotes.content.models import Byline, Category, Post, PostQuerySet

# Most of a post's row, and no card shows any of it.
DEFERRED_FIELDS = ("body", "body_html", "body_text")


def load_cards(posts: PostQuerySet, *, with_details: bool = True) -> list[Post]:
    """``posts`` (in their order) with ``chips`` and ``credits`` ready: four queries in all.

    Without details (one query) they are bare rows: for compact cards, which show neither
    categories nor bylines, or for cards of several lists whose details are then added in
    one go. A template that read details not added would query per card, which the
    listings' query-count tests catch.
    """
    cards = list(posts.defer(*DEFERRED_FIELDS).select_related("primary_category"))
    if with_details:
        add_details(cards)
    return cards


def add_details(cards: list[Post]) -> None:
    """Set ``chips`` and ``credits`` on every card: three queries, however many cards."""
    ids = [card.pk for card in cards]
    pairs = list(
        Post.categories.through.objects.filter(post_id__in=ids).values_list(
            "post_id", "category_id"
        )
    )
    categories = Category.objects.in_bulk({category_id for _, category_id in pairs})
    categories_of: defaultdict[int, list[Category]] = defaultdict(list)
    for post_id, category_id in pairs:
        categories_of[post_id].append(categories[category_id])
    credits_of: defaultdict[int, list[Byline]] = defaultdict(list)
    for byline in Byline.objects.filter(post_id__in=ids).select_related("author"):
        credits_of[byline.post_id].append(byline)
    for card in cards:
        card.chips = card.chips_in_order(categories_of[card.pk])
        card.credits = credits_of[card.pk]
