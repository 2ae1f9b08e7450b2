"""Related posts: of the newest posts sharing a category with a post, those sharing the most.

Only the newest CANDIDATE_ROWS (post, shared category) pairs are looked at, so the cost is the
same however many posts a category has: ranking every post of a large category, to show three
links, would read all of them on every post page.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from linernotes.content.cards import load_cards
from linernotes.content.models import Post, PostQuerySet

CANDIDATE_ROWS = 60
# How many related posts a post page shows.
RELATED_POSTS = 3


def related_posts(published: PostQuerySet, post: Post, count: int) -> list[Post]:
    """Up to ``count`` compact cards: most shared categories first, then the newest."""
    category_ids = [category.pk for category in post.categories.all()]
    if not category_ids:
        return []
    pairs = (
        published.filter(categories__in=category_ids)
        .exclude(pk=post.pk)
        .order_by("-published_at", "-pk")
        .values_list("pk", "published_at")[:CANDIDATE_ROWS]
    )
    shared: Counter[int] = Counter()
    published_at: dict[int, datetime] = {}
    for pk, moment in pairs:
        shared[pk] += 1
        assert moment is not None  # guaranteed by published()
        published_at[pk] = moment
    ranked = sorted(shared, key=lambda pk: (-shared[pk], -published_at[pk].timestamp(), -pk))
    chosen = ranked[:count]
    # By id alone: the filters of ``published`` again would walk the whole listing index.
    cards = {
        card.pk: card for card in load_cards(Post.objects.filter(pk__in=chosen), with_details=False)
    }
    return [cards[pk] for pk in chosen if pk in cards]
