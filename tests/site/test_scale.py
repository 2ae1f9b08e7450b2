"""Uncached pages cost the same at a few thousand posts as at a few hundred.

Time is not measured here (that is bench/serve.py's job); the database's work is, and it is
deterministic: SQLite's virtual-machine steps, or on PostgreSQL the rows every plan node read
or produced (EXPLAIN ANALYZE of each query the page ran).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.conf import LazySettings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linernotes.content.markdown import render_markdown
from linernotes.content.models import Author, Byline, Category, Post, Status

pytestmark = pytest.mark.django_db

SMALL, LARGE = 300, 3000
# Pages whose work must not grow at all.
FLAT = ["/", "/page/2/", "/?category=cat-3", "POST", "/feed/", "/feed/json/"]
# Archives show how many posts they hold: one count that grows with the archive, the rest flat.
COUNTED = ["/category/cat-3/page/2/", "/author/author-3/"]
BODY = render_markdown("## A heading\n\nSome words of a post body.\n\n```python\nprint(1)\n```\n")


def add_posts(count: int, categories: list[Category], authors: list[Author]) -> None:
    """``count`` more published posts, an hour apart, the newest still in the past."""
    start = Post.objects.count()
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            title=f"Generated post {number}",
            slug=f"generated-post-{number}",
            body="Some words.",
            body_html=BODY.html,
            auto_excerpt="Some words of a post body.",
            word_count=BODY.word_count,
            status=Status.PUBLISHED,
            published_at=now - timedelta(hours=LARGE + 10 - number),
            primary_category=categories[number % len(categories)],
        )
        for number in range(start, start + count)
    )
    through = Post.categories.through
    through.objects.bulk_create(
        through(post_id=post.pk, category_id=post.primary_category_id) for post in posts
    )
    Byline.objects.bulk_create(
        Byline(post=post, author=authors[index % len(authors)]) for index, post in enumerate(posts)
    )
    if connection.vendor == "postgresql":
        # A live database has statistics (autovacuum keeps them); without them PostgreSQL's
        # planner takes a table this fresh for a tiny one and reads it whole.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _plan_rows(node: dict[str, Any]) -> float:
    loops = node.get("Actual Loops", 1)
    rows = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
    return rows + sum(_plan_rows(child) for child in node.get("Plans", []))


@contextmanager
def database_work() -> Iterator[list[float]]:
    """The work the database did for the block: [queries, work] once the block ends."""
    result: list[float] = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        steps = [0]

        def count_steps() -> int:
            steps[0] += 1
            return 0

        raw = connection.connection
        raw.set_progress_handler(count_steps, 100)
        try:
            with CaptureQueriesContext(connection) as queries:
                yield result
        finally:
            raw.set_progress_handler(None, 0)
        result += [len(queries), steps[0]]
        return
    with CaptureQueriesContext(connection) as queries:
        yield result
    rows = 0.0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            rows += _plan_rows(plan[0]["Plan"])
    result += [len(queries), rows]


def measure(client: Client) -> dict[str, list[float]]:
    middle = Post.objects.order_by("pk")[Post.objects.count() // 2]
    costs = {}
    for path in FLAT + COUNTED:
        address = middle.get_absolute_url() if path == "POST" else path
        client.get(address)
        with database_work() as work:
            assert client.get(address).status_code == 200, address
        costs[path] = work
    return costs


def test_uncached_pages_do_the_same_database_work_at_ten_times_the_posts(
    client: Client, settings: LazySettings, uncached_pages: None
) -> None:
    settings.LINERNOTES_PAGE_SIZE = 24
    categories = [Category.objects.create(name=f"Category {n}", slug=f"cat-{n}") for n in range(8)]
    authors = [Author.objects.create(name=f"Author {n}", slug=f"author-{n}") for n in range(20)]
    add_posts(SMALL, categories, authors)
    small = measure(client)
    add_posts(LARGE - SMALL, categories, authors)
    large = measure(client)
    for path in FLAT + COUNTED:
        assert large[path][0] == small[path][0], path
    # Room for deeper indexes and how earlier tests left the database's pages; reading every
    # post would cost ten times as much. PostgreSQL's plans also follow the statistics that
    # earlier tests' rolled-back writes leave (the related posts' candidates read 1 to 2.1
    # times as many rows from one run to the next), so it gets more room.
    room = 3 if connection.vendor == "postgresql" else 2
    for path in FLAT:
        work_small, work_large = small[path][1], large[path][1]
        assert work_large < work_small * room, (path, work_small, work_large)
