from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Status
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db


def test_post_page_shows_everything_a_reader_needs(client: Client) -> None:
    data, web = (
        CategoryFactory.create(name="Data", slug="data"),
        CategoryFactory.create(name="Web", slug="web"),
    )
    ada = AuthorFactory.create(name="Ada Lovelace", slug="ada", role="Staff Engineer")
    post = PostFactory.create(
        title="Measuring things",
        slug="measuring-things",
        body="# Ignored\n\n" + "word " * 460 + "\n\n```python\nprint('hi')\n```\n",
        published_at=datetime(2024, 9, 5, 10, tzinfo=UTC),
        categories=[web, data],
        authors=[ada],
    )
    response = client.get("/2024/09/measuring-things/")
    page = parse(response)

    assert page.select_one("h1#post-title").get_text() == "Measuring things"
    assert page.select_one(".post__meta time").get_text() == "September 5, 2024"
    assert "2 min read" in page.select_one(".post__meta").get_text()
    assert page.select_one(".post__byline a")["href"] == "/author/ada/"
    assert "Staff Engineer" in page.select_one(".post__byline").get_text()
    assert [a.get_text() for a in page.select(".post__header .chip")] == ["Web", "Data"]
    assert page.select_one(".post__body .highlight") is not None
    # Without a hero image the post page shows none (cards still get a placeholder).
    assert page.select_one(".post__hero") is None
    assert response.context["post"] == post


def test_previous_next_and_related_posts(client: Client) -> None:
    data, web = (
        CategoryFactory.create(name="Data", slug="data"),
        CategoryFactory.create(name="Web", slug="web"),
    )
    older = PostFactory.create(categories=[data, web])
    unrelated = PostFactory.create()
    post = PostFactory.create(categories=[data, web])
    newer = PostFactory.create(categories=[data])
    PostFactory.create(status=Status.DRAFT, published_at=None, categories=[data, web])

    response = client.get(post.get_absolute_url())
    page = parse(response)
    assert page.select_one('.post-nav a[rel="prev"]')["href"] == unrelated.get_absolute_url()
    assert page.select_one('.post-nav a[rel="next"]')["href"] == newer.get_absolute_url()
    # Two shared categories rank above one; drafts and unrelated posts never appear.
    assert list(response.context["related"]) == [older, newer]


def test_posts_published_at_the_same_time_link_to_each_other(client: Client) -> None:
    moment = timezone.now() - timedelta(days=1)
    first, second, third = (PostFactory.create(published_at=moment) for _ in range(3))
    page = parse(client.get(second.get_absolute_url()))
    assert page.select_one('.post-nav a[rel="prev"]')["href"] == first.get_absolute_url()
    assert page.select_one('.post-nav a[rel="next"]')["href"] == third.get_absolute_url()


def test_link_post_points_to_the_original_article(client: Client) -> None:
    post = PostFactory.create(
        body="",
        summary="What the article is about.",
        external_url="https://www.example.org/2024/10/original/",
    )
    page = parse(client.get(post.get_absolute_url()))
    link = page.select_one(".post__link-summary a")
    assert link["href"] == "https://www.example.org/2024/10/original/"
    assert "Read the full article on example.org" in link.get_text()
    assert "What the article is about." in page.select_one(".post__link-summary").get_text()
    assert "min read" not in page.select_one(".post__meta").get_text()


def test_wrong_month_redirects_to_the_real_address(client: Client) -> None:
    post = PostFactory.create(slug="moved", published_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
    response = client.get("/2023/01/moved/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() == "/2024/05/moved/"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_drafts_and_scheduled_posts_are_404(client: Client, status: Status) -> None:
    when = timezone.now() + timedelta(days=2) if status == Status.PUBLISHED else None
    post = PostFactory.create(status=status, published_at=when)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_unknown_slug_gets_the_friendly_404(client: Client) -> None:
    recent = PostFactory.create(title="Recent post")
    response = client.get("/2024/01/no-such-post/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("h1").get_text() == "We couldn’t find that page"
    assert page.select_one(".error-page__recent a")["href"] == recent.get_absolute_url()


def test_post_page_query_count(
    client: Client, django_assert_num_queries, uncached_pages: None
) -> None:
    data = CategoryFactory.create()
    post = PostFactory.create(
        categories=[data], authors=[AuthorFactory.create(), AuthorFactory.create()]
    )
    for _ in range(5):
        PostFactory.create(categories=[data], authors=[AuthorFactory.create()])
    # post (+2 prefetches), older, newer, related candidates, their compact cards (no
    # categories or bylines to look up), navigation pages
    with django_assert_num_queries(8):
        client.get(post.get_absolute_url())


HTML_DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?([+-]\d\d:?\d\d|Z)"


def test_a_post_published_now_states_a_valid_html_time(client: Client) -> None:
    from linernotes.content.services import publish_post

    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    publish_post(post=post, at=timezone.now().replace(microsecond=123456) - timedelta(seconds=5))
    post.refresh_from_db()
    assert post.published_at.microsecond == 0
    page = parse(client.get(post.get_absolute_url()))
    stated = str(page.select_one(".post__meta time")["datetime"])
    assert re.fullmatch(HTML_DATETIME, stated), stated
    card_time = str(parse(client.get("/")).select_one(".card__meta time")["datetime"])
    assert re.fullmatch(HTML_DATETIME, card_time), card_time
