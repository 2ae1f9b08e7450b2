from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from linernotes.content.models import Category, Post, Status
from linernotes.content.services import unpublish_post
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.seo.validators import parse_feed, validate_json_feed

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
FEED_FORMATS = ["", "atom/", "json/"]


@pytest.fixture
def platform() -> Category:
    return CategoryFactory.create(name="Platform", slug="platform")


@pytest.fixture
def co_written(platform: Category) -> Post:
    web = CategoryFactory.create(name="Web", slug="web")
    return PostFactory.create(
        title="Moving a monolith",
        slug="moving-a-monolith",
        summary="How we moved.",
        body="See [the about page](/about/) and ![a chart](/media/chart.png).[^1]\n\n[^1]: A note.",
        published_at=datetime(2024, 9, 5, 10, tzinfo=UTC),
        categories=[platform, web],
        authors=[
            AuthorFactory.create(name="Ada Lovelace", slug="ada"),
            AuthorFactory.create(name="Grace Hopper", slug="grace"),
        ],
    )


@pytest.fixture
def link_post(platform: Category) -> Post:
    return PostFactory.create(
        title="Elsewhere",
        slug="elsewhere",
        body="",
        summary="An article on another site.",
        external_url="https://www.example.org/2024/10/original/",
        published_at=datetime(2024, 10, 1, 9, tzinfo=UTC),
        categories=[platform],
    )


@pytest.fixture
def hidden_posts(platform: Category) -> list[Post]:
    draft = PostFactory.create(
        title="A draft", status=Status.DRAFT, published_at=None, categories=[platform]
    )
    scheduled = PostFactory.create(
        title="Scheduled", published_at=timezone.now() + timedelta(days=2), categories=[platform]
    )
    return [draft, scheduled]


def get_json(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document: dict[str, Any] = json.loads(response.content)
    validate_json_feed(document)
    return document


def test_site_rss_has_every_required_element(
    client: Client, co_written: Post, link_post: Post, hidden_posts: list[Post]
) -> None:
    response = client.get("/feed/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = parse_feed(response.content)

    assert feed.version == "rss20"
    assert feed.feed.title == "Liner Notes Engineering"
    assert feed.feed.link == f"{SITE}/"
    assert [entry.title for entry in feed.entries] == ["Elsewhere", "Moving a monolith"]
    for entry in feed.entries:
        assert entry.id.startswith("tag:127.0.0.1,")
        assert entry.guidislink is False
        assert entry.published_parsed is not None
        assert entry.link.startswith(f"{SITE}/2024/")
    written = feed.entries[1]
    assert [author.name for author in written.authors] == ["Ada Lovelace", "Grace Hopper"]
    assert [tag.term for tag in written.tags] == ["Platform", "Web"]
    assert written.published_parsed[:5] == (2024, 9, 5, 10, 0)


def test_atom_entries_have_id_updated_and_every_author(
    client: Client, co_written: Post, link_post: Post, hidden_posts: list[Post]
) -> None:
    response = client.get("/feed/atom/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = parse_feed(response.content)

    assert feed.version == "atom10"
    assert feed.feed.id == f"{SITE}/feed/atom/"
    assert [entry.title for entry in feed.entries] == ["Elsewhere", "Moving a monolith"]
    written, link = feed.entries[1], feed.entries[0]
    assert written.updated_parsed >= written.published_parsed
    assert [(a.name, a.href) for a in written.authors] == [
        ("Ada Lovelace", f"{SITE}/author/ada/"),
        ("Grace Hopper", f"{SITE}/author/grace/"),
    ]
    # An entry without authors is covered by the feed's own author, as Atom requires.
    assert feed.feed.author == "Liner Notes Engineering"
    assert link.link == f"{SITE}/2024/10/elsewhere/"
    related = [item.href for item in link.links if item.rel == "related"]
    assert related == ["https://www.example.org/2024/10/original/"]
    assert written.id != link.id


def test_json_feed_is_valid_and_carries_co_authors_and_link_posts(
    client: Client, co_written: Post, link_post: Post, hidden_posts: list[Post]
) -> None:
    document = get_json(client, "/feed/json/")

    assert document["feed_url"] == f"{SITE}/feed/json/"
    assert document["home_page_url"] == f"{SITE}/"
    link, written = document["items"]
    assert link["url"] == f"{SITE}/2024/10/elsewhere/"
    assert link["external_url"] == "https://www.example.org/2024/10/original/"
    assert "Read the full article on example.org" in link["content_html"]
    assert [author["url"] for author in written["authors"]] == [
        f"{SITE}/author/ada/",
        f"{SITE}/author/grace/",
    ]
    assert written["tags"] == ["Platform", "Web"]
    assert written["summary"] == "How we moved."
    assert written["image"] == f"{SITE}/placeholder/moving-a-monolith.png"


def test_full_content_has_absolute_links(client: Client, co_written: Post) -> None:
    rss = parse_feed(client.get("/feed/").content).entries[0]
    atom = parse_feed(client.get("/feed/atom/").content).entries[0]
    item = get_json(client, "/feed/json/")["items"][0]

    for html in (rss.content[0].value, atom.content[0].value, item["content_html"]):
        assert f'href="{SITE}/about/"' in html
        assert f'src="{SITE}/media/chart.png"' in html
        assert f'href="{SITE}/2024/09/moving-a-monolith/#fn1"' in html
        assert 'href="/' not in html
        assert 'src="/' not in html
    assert rss.summary == "<p>How we moved.</p>"


def test_summary_only_feeds(client: Client, settings: Any, co_written: Post) -> None:
    settings.LINERNOTES_FEED_FULL_CONTENT = False
    rss = parse_feed(client.get("/feed/").content).entries[0]
    atom = parse_feed(client.get("/feed/atom/").content).entries[0]
    item = get_json(client, "/feed/json/")["items"][0]

    assert "content" not in rss
    assert "content" not in atom
    assert rss.summary == atom.summary == "<p>How we moved.</p>"
    assert item["content_html"] == "<p>How we moved.</p>"


@pytest.mark.parametrize("suffix", FEED_FORMATS)
def test_category_and_author_feeds_carry_only_their_posts(
    client: Client, suffix: str, co_written: Post, link_post: Post, hidden_posts: list[Post]
) -> None:
    other = PostFactory.create(title="Unrelated", authors=[AuthorFactory.create(slug="someone")])
    by_url = {
        f"/category/platform/feed/{suffix}": ["Elsewhere", "Moving a monolith"],
        f"/category/web/feed/{suffix}": ["Moving a monolith"],
        f"/author/grace/feed/{suffix}": ["Moving a monolith"],
        f"/author/someone/feed/{suffix}": [other.title],
    }
    for url, titles in by_url.items():
        response = client.get(url)
        if suffix == "json/":
            document = get_json(client, url)
            assert document["feed_url"] == SITE + url
            assert [item["title"] for item in document["items"]] == titles
        else:
            feed = parse_feed(response.content)
            assert [entry.title for entry in feed.entries] == titles


def test_feed_titles_name_their_scope(client: Client, co_written: Post) -> None:
    category = parse_feed(client.get("/category/platform/feed/").content).feed
    author = get_json(client, "/author/ada/feed/json/")
    assert category.title == "Platform · Liner Notes Engineering"
    assert category.link == f"{SITE}/category/platform/"
    assert author["title"] == "Ada Lovelace · Liner Notes Engineering"
    assert author["home_page_url"] == f"{SITE}/author/ada/"


def test_feed_addresses(client: Client, platform: Category) -> None:
    assert client.get("/feed").status_code == 301
    assert client.get("/feed")["Location"] == "/feed/"
    assert client.get("/category/nope/feed/").status_code == 404
    assert client.get("/author/nope/feed/json/").status_code == 404
    platform.slug = "platform-engineering"
    platform.save()
    # The old slug of a renamed category is an alias; its feeds follow it.
    response = client.get("/category/platform/feed/atom/")
    assert response.status_code == 301
    assert response["Location"] == f"{SITE}/category/platform-engineering/feed/atom/"


def test_item_limit(client: Client, settings: Any) -> None:
    settings.LINERNOTES_FEED_ITEMS = 3
    PostFactory.create_batch(5)
    assert len(parse_feed(client.get("/feed/").content).entries) == 3
    assert len(get_json(client, "/feed/json/")["items"]) == 3


@pytest.mark.parametrize("suffix", FEED_FORMATS)
def test_conditional_get(client: Client, suffix: str, co_written: Post) -> None:
    url = f"/feed/{suffix}"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert last_modified == http_date(co_written.updated_at.timestamp())

    unchanged = client.get(url, headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged.content == b""
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    earlier = http_date((co_written.updated_at - timedelta(hours=1)).timestamp())
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200

    co_written.title = "Moving a monolith, again"
    co_written.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_unpublishing_changes_the_etag(client: Client, co_written: Post, link_post: Post) -> None:
    etag = client.get("/feed/")["ETag"]
    # Unpublishing leaves the newest remaining post untouched; the count still moves the tag.
    unpublish_post(post=co_written)
    assert client.get("/feed/", headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/feed/json/", "/category/c/feed/", "/author/a/feed/json/"]
)
def test_feed_query_count_is_constant(
    client: Client, url: str, django_assert_num_queries: Any, uncached_pages: None
) -> None:
    category = CategoryFactory.create(slug="c")
    author = AuthorFactory.create(slug="a")

    def add_posts(count: int) -> None:
        for _ in range(count):
            PostFactory.create(
                categories=[category, CategoryFactory.create()],
                authors=[author, AuthorFactory.create()],
            )

    add_posts(2)
    # Posts, their categories and bylines; plus the category or author lookup. Conditional
    # requests are answered from the feed itself, with no query of their own.
    expected = 3 if url.startswith("/feed/") else 4
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_posts(8)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_entry_ids_survive_a_change_of_address(client: Client, co_written: Post) -> None:
    before = parse_feed(client.get("/feed/atom/").content).entries[0]
    co_written.slug = "renamed"
    co_written.published_at = datetime(2024, 10, 9, tzinfo=UTC)
    co_written.save()
    after = parse_feed(client.get("/feed/atom/").content).entries[0]
    assert after.id == before.id
    assert after.link == f"{SITE}/2024/10/renamed/"
