from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from linernotes.content.models import Category, Post, Status
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory
from tests.seo.validators import validate_sitemap

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(client: Client, url: str, schema: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    validate_sitemap(response.content, schema)
    return etree.fromstring(response.content)


def entries(tree: Any) -> dict[str, str]:
    """Location → lastmod of every <url> (or <sitemap>) in a document."""
    found = {}
    for node in tree.xpath("/*/sm:*", namespaces=NS):
        found[node.findtext("sm:loc", namespaces=NS)] = node.findtext("sm:lastmod", namespaces=NS)
    return found


@pytest.fixture
def site_content() -> dict[str, Any]:
    platform = CategoryFactory.create(name="Platform", slug="platform")
    CategoryFactory.create(name="Empty", slug="empty")
    only_drafts = CategoryFactory.create(name="Drafts only", slug="drafts-only")
    ada = AuthorFactory.create(name="Ada", slug="ada")
    AuthorFactory.create(name="Nobody", slug="nobody")
    ghost = AuthorFactory.create(name="Ghost", slug="ghost")
    post = PostFactory.create(
        slug="visible",
        published_at=datetime(2024, 9, 5, 10, tzinfo=UTC),
        categories=[platform],
        authors=[ada],
    )
    link = PostFactory.create(
        slug="link-post", external_url="https://example.org/a/", categories=[platform]
    )
    PostFactory.create(
        slug="a-draft",
        status=Status.DRAFT,
        published_at=None,
        categories=[only_drafts],
        authors=[ghost],
    )
    PostFactory.create(
        slug="scheduled",
        published_at=timezone.now() + timedelta(days=3),
        categories=[only_drafts],
        authors=[ghost],
    )
    PostFactory.create(slug="thank-you", noindex=True)
    about = PageFactory.create(slug="about", title="About")
    PageFactory.create(slug="hidden-page", status=Status.DRAFT)
    PageFactory.create(slug="unlisted", title="Unlisted", noindex=True)
    return {"post": post, "link": link, "about": about}


def test_index_lists_every_non_empty_section(client: Client, site_content: dict[str, Any]) -> None:
    index = entries(fetch(client, "/sitemap.xml", "siteindex.xsd"))
    assert set(index) == {
        f"{SITE}/sitemap-posts.xml",
        f"{SITE}/sitemap-categories.xml",
        f"{SITE}/sitemap-authors.xml",
        f"{SITE}/sitemap-pages.xml",
    }
    assert all(lastmod for lastmod in index.values())


def test_sections_list_only_indexable_addresses(
    client: Client, site_content: dict[str, Any]
) -> None:
    posts = entries(fetch(client, "/sitemap-posts.xml", "sitemap.xsd"))
    categories = entries(fetch(client, "/sitemap-categories.xml", "sitemap.xsd"))
    authors = entries(fetch(client, "/sitemap-authors.xml", "sitemap.xsd"))
    pages = entries(fetch(client, "/sitemap-pages.xml", "sitemap.xsd"))

    # Drafts, scheduled posts, link posts (whose content lives elsewhere) and posts and pages
    # marked noindex are left out.
    assert list(posts) == [f"{SITE}/2024/09/visible/"]
    # Only archives with published posts (link posts count: the archive lists them).
    assert list(categories) == [f"{SITE}/category/platform/"]
    assert list(authors) == [f"{SITE}/author/ada/"]
    assert list(pages) == [f"{SITE}/", f"{SITE}/about/"]
    for lastmod in [*posts.values(), *categories.values(), *authors.values(), *pages.values()]:
        assert datetime.fromisoformat(lastmod)


def test_lastmod_follows_the_newest_published_change(
    client: Client, site_content: dict[str, Any]
) -> None:
    post: Post = site_content["post"]
    Post.objects.filter(pk=post.pk).update(updated_at=datetime(2024, 9, 6, 8, tzinfo=UTC))
    link: Post = site_content["link"]
    Post.objects.filter(pk=link.pk).update(
        updated_at=datetime(2024, 10, 2, tzinfo=UTC), published_at=datetime(2024, 10, 1, tzinfo=UTC)
    )
    # A draft in the same category, saved just now, must not count.
    PostFactory.create(
        status=Status.DRAFT, published_at=None, categories=[Category.objects.get(slug="platform")]
    )
    posts = entries(fetch(client, "/sitemap-posts.xml", "sitemap.xsd"))
    categories = entries(fetch(client, "/sitemap-categories.xml", "sitemap.xsd"))
    assert posts[f"{SITE}/2024/09/visible/"] == "2024-09-06"
    assert categories[f"{SITE}/category/platform/"] == "2024-10-02"


def test_empty_site_has_an_index_with_only_the_pages_section(client: Client) -> None:
    index = entries(fetch(client, "/sitemap.xml", "siteindex.xsd"))
    assert list(index) == [f"{SITE}/sitemap-pages.xml"]
    assert client.get("/sitemap-posts.xml").status_code == 404
    assert client.get("/sitemap-nonsense.xml").status_code == 404


def test_large_sections_are_paginated(
    client: Client, monkeypatch: pytest.MonkeyPatch, site_content: dict[str, Any]
) -> None:
    from linernotes.seo.sitemaps import SITEMAPS

    PostFactory.create_batch(4)
    monkeypatch.setattr(SITEMAPS["posts"], "limit", 2)
    index = entries(fetch(client, "/sitemap.xml", "siteindex.xsd"))
    assert f"{SITE}/sitemap-posts.xml?p=3" in index
    third = entries(fetch(client, "/sitemap-posts.xml?p=3", "sitemap.xsd"))
    assert len(third) == 1


def test_addresses_use_the_configured_site_url(
    client: Client, settings: Any, site_content: dict[str, Any]
) -> None:
    settings.LINERNOTES_SITE_URL = "https://blog.example.com"
    settings.ALLOWED_HOSTS = ["testserver"]
    index = entries(fetch(client, "/sitemap.xml", "siteindex.xsd"))
    posts = entries(fetch(client, "/sitemap-posts.xml", "sitemap.xsd"))
    assert "https://blog.example.com/sitemap-posts.xml" in index
    assert list(posts) == ["https://blog.example.com/2024/09/visible/"]


def test_robots_txt(client: Client, settings: Any) -> None:
    settings.LINERNOTES_ROBOTS_DISALLOW = ["/admin/", "/drafts/"]
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert [line for line in lines if line.startswith("Disallow:")] == [
        "Disallow: /admin/",
        "Disallow: /drafts/",
    ]
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_robots_txt_without_disallows_allows_everything(client: Client, settings: Any) -> None:
    settings.LINERNOTES_ROBOTS_DISALLOW = []
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow:" in lines
