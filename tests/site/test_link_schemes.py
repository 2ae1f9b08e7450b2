"""Links taken from URL fields lead only to web pages, however the row was written.

The forms check the scheme of an author's website and of a link post's article, but rows also
arrive through imports and the ORM; pages, feeds and the JSON-LD check again when they link.
"""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from linernotes.content.models import Author, Post
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,x",
]


@pytest.fixture(params=HOSTILE)
def hostile_post(request: pytest.FixtureRequest) -> Post:
    author = AuthorFactory.create(slug="mallory")
    Author.objects.filter(pk=author.pk).update(website=request.param)
    post = PostFactory.create(
        title="A link post",
        summary="Read elsewhere.",
        categories=[CategoryFactory.create(slug="data")],
        authors=[author],
    )
    Post.objects.filter(pk=post.pk).update(external_url=request.param)
    return Post.objects.get(pk=post.pk)


def addresses(post: Post) -> list[str]:
    author, category = post.authors.get(), post.categories.get()
    pages = ["/", post.get_absolute_url(), author.get_absolute_url(), category.get_absolute_url()]
    feeds = [
        reverse(name, args=args)
        for suffix in ("", "-atom", "-json")
        for name, args in (
            (f"seo:feed{suffix}", []),
            (f"seo:category-feed{suffix}", [category.slug]),
            (f"seo:author-feed{suffix}", [author.slug]),
        )
    ]
    return pages + feeds


def test_no_page_or_feed_carries_a_hostile_url(client: Client, hostile_post: Post) -> None:
    hostile = hostile_post.external_url
    for address in addresses(hostile_post):
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        assert hostile.strip() not in text.replace("&#x27;", "'"), address
        assert "alert(1)" not in text, address


def test_the_post_page_shows_no_article_link_and_its_json_ld_no_source(
    client: Client, hostile_post: Post
) -> None:
    page = BeautifulSoup(client.get(hostile_post.get_absolute_url()).content, "lxml")
    assert not page.select(".post__link-summary a")
    assert page.select_one(".post__link-summary p").get_text() == "Read elsewhere."
    script = page.select_one('script[type="application/ld+json"]').get_text()
    graph = json.loads(script)["@graph"]
    article = next(node for node in graph if node["@type"] == "BlogPosting")
    person = next(node for node in graph if node["@type"] == "Person")
    assert "isBasedOn" not in article
    assert "sameAs" not in person


def test_the_feeds_carry_no_external_link(client: Client, hostile_post: Post) -> None:
    (entry,) = feedparser.parse(client.get(reverse("seo:feed")).content).entries
    assert "Read the full article" not in entry.summary
    (entry,) = feedparser.parse(client.get(reverse("seo:feed-atom")).content).entries
    assert [link for link in entry.links if link.get("rel") == "related"] == []
    item = json.loads(client.get(reverse("seo:feed-json")).content)["items"][0]
    assert "external_url" not in item


def test_web_links_still_lead_out(client: Client) -> None:
    author = AuthorFactory.create(slug="ada", website="https://ada.example/")
    post = PostFactory.create(authors=[author], external_url="https://blog.example/kafka")
    page = BeautifulSoup(client.get(post.get_absolute_url()).content, "lxml")
    assert page.select_one(".post__link-summary a")["href"] == "https://blog.example/kafka"
    profile = BeautifulSoup(client.get(author.get_absolute_url()).content, "lxml")
    assert profile.select_one('a[rel="me"]')["href"] == "https://ada.example/"
    item = json.loads(client.get(reverse("seo:feed-json")).content)["items"][0]
    assert item["external_url"] == "https://blog.example/kafka"
    (entry,) = feedparser.parse(client.get(reverse("seo:feed-atom")).content).entries
    related = [link["href"] for link in entry.links if link.get("rel") == "related"]
    assert related == ["https://blog.example/kafka"]
