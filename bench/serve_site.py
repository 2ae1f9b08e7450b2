"""The Django side of serve.py and soak.py, run by them in processes of their own.

    serve_site.py grow POSTS     generated posts on top of the demo, up to POSTS; prints the count
    serve_site.py pages WORD     one address per page type, as JSON
    serve_site.py paths          many addresses of every type for the soak, "type<TAB>path"

The environment (harness.site_env) points Django at the benchmark's var dir and database.
"""

from __future__ import annotations

import json
import math
import random
import sys
from urllib.parse import urlencode

import django

# The same searches as the search benchmark, and two that match almost nothing.
SOAK_SEARCHES = [
    "markdown",
    "redirect",
    "hero image",
    "code blocks",
    "syntax highlighting",
    "categor*",
    "spotify data platform",
    "experimentation confidence",
    "the",
    "zeppelin",
    "kubernetes",
    "latency",
]
SOAK_POSTS = 3000  # post pages in the soak's mix: enough that no cache holds them all at once


def grow(total: int) -> int:
    """Add generated posts (search_corpus.py) until ``total`` are published."""
    from django.db import connection
    from search_corpus import build_corpus

    from linernotes.content.models import Post

    missing = total - Post.objects.published().count()
    if missing > 0:
        build_corpus(missing)
    with connection.cursor() as cursor:
        # Planner statistics, as a live database has them from (auto)vacuum.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Post.objects.published().count()


def last_home_page() -> int:
    """The number of the home page's last page (the featured post is left out of the grid)."""
    from django.conf import settings

    from linernotes.content.models import Post

    in_grid = max(1, Post.objects.published().count() - 1)
    return max(1, math.ceil(in_grid / settings.LINERNOTES_PAGE_SIZE))


def pages(word: str) -> dict[str, str]:
    """The newest post, the category and author with the most posts, the last home page."""
    from django.db.models import Count

    from linernotes.content.models import Author, Category, Post

    newest = Post.objects.published().order_by("-published_at").first()
    category = Category.objects.annotate(count=Count("posts")).order_by("-count").first()
    author = Author.objects.annotate(count=Count("bylines")).order_by("-count").first()
    if newest is None or category is None or author is None:
        raise SystemExit("the site has no posts, categories or authors")
    return {
        "home": "/",
        "deep": f"/page/{last_home_page()}/",
        "category": category.get_absolute_url(),
        "post": newest.get_absolute_url(),
        "author": author.get_absolute_url(),
        "feed": "/feed/",
        "search": f"/?{urlencode({'s': word})}",
        "hello": "/bench-hello/",
    }


def paths() -> list[tuple[str, str]]:
    """Every listing page, a sample of post pages, every feed, a dozen searches."""
    from django.conf import settings
    from django.db.models import Count

    from linernotes.content.models import Author, Category, Post

    rng = random.Random(1)
    size = settings.LINERNOTES_PAGE_SIZE
    found = [("home", "/"), ("feed", "/feed/"), ("feed", "/feed/atom/"), ("feed", "/feed/json/")]
    found += [
        ("home", f"/?{urlencode({'category': slug})}")
        for slug in Category.objects.values_list("slug", flat=True)
    ]
    found += [("deep", f"/page/{number}/") for number in range(2, last_home_page() + 1)]
    for category in Category.objects.annotate(count=Count("posts")):
        found += [
            ("category", category.get_absolute_url()),
            ("feed", f"{category.get_absolute_url()}feed/"),
        ]
        last = min(5, math.ceil(category.count / size))
        found += [
            ("category", f"{category.get_absolute_url()}page/{n}/") for n in range(2, last + 1)
        ]
    found += [("author", author.get_absolute_url()) for author in Author.objects.all()]
    posts = list(Post.objects.published())
    found += [
        ("post", post.get_absolute_url()) for post in rng.sample(posts, min(SOAK_POSTS, len(posts)))
    ]
    for text in SOAK_SEARCHES:
        found += [
            ("search", f"/?{urlencode({'s': text})}"),
            ("search", f"/search/?{urlencode({'q': text})}"),
        ]
    return found


def main() -> None:
    django.setup()
    task, *args = sys.argv[1:]
    if task == "grow":
        print(grow(int(args[0])))
    elif task == "pages":
        print(json.dumps(pages(args[0])))
    elif task == "paths":
        print("\n".join(f"{kind}\t{path}" for kind, path in paths()))
    else:
        raise SystemExit(f"unknown task {task!r}")


if __name__ == "__main__":
    main()
