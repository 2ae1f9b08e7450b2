"""A small site with one of every page type, and helpers to read a page's <head>."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup, Tag
from django.test import Client

from linernotes.content.models import Author, Category, Page, Post
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

SITE = "http://127.0.0.1:8000"
SITE_NAME = "Liner Notes Engineering"
TAGLINE = "Stories from the people who build the platform."
INDEX_ROBOTS = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"


@dataclass
class SampleSite:
    platform: Category
    web: Category
    ada: Author
    grace: Author
    post: Post
    link_post: Post
    older: list[Post]
    about: Page


def build_sample_site() -> SampleSite:
    """Five posts (with a page size of 2 that makes three pages), a link post and a page."""
    platform = CategoryFactory.create(
        name="Platform", slug="platform", description="How we run things."
    )
    web = CategoryFactory.create(name="Web", slug="web", description="")
    ada = AuthorFactory.create(
        name="Ada Lovelace", slug="ada", role="Staff Engineer", bio="Writes about engines."
    )
    grace = AuthorFactory.create(name="Grace Hopper", slug="grace", role="Compiler Lead", bio="")
    older = [
        PostFactory.create(
            categories=[platform], authors=[ada], published_at=datetime(2024, 1, n, tzinfo=UTC)
        )
        for n in (1, 2, 3)
    ]
    post = PostFactory.create(
        title="Moving a monolith",
        slug="moving-a-monolith",
        summary="How we moved a monolith without stopping it.",
        body="Words " * 50,
        published_at=datetime(2024, 9, 5, 10, tzinfo=UTC),
        categories=[platform, web],
        authors=[ada, grace],
    )
    link_post = PostFactory.create(
        title="Elsewhere",
        slug="elsewhere",
        body="",
        summary="An article on another site.",
        external_url="https://www.example.org/2024/10/original/",
        published_at=datetime(2024, 10, 1, 9, tzinfo=UTC),
        categories=[web],
        authors=[grace],
    )
    about = PageFactory.create(title="About", slug="about", body="We build **things**.")
    return SampleSite(platform, web, ada, grace, post, link_post, older, about)


def head_of(client: Client, url: str, status: int = 200) -> Tag:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    head = BeautifulSoup(response.content, "lxml").head
    assert head is not None
    return head


def meta(head: Tag, key: str) -> str:
    """The content of the one <meta> with this property (og:…, article:…) or name."""
    attribute = "property" if key.startswith(("og:", "article:")) else "name"
    found = head.find_all("meta", attrs={attribute: key})
    assert len(found) == 1, (key, found)
    tag: Tag = found[0]
    return str(tag["content"])


def meta_all(head: Tag, key: str) -> list[str]:
    return [str(tag["content"]) for tag in head.find_all("meta", attrs={"property": key})]


def links(head: Tag, rel: str) -> list[str]:
    return [str(tag["href"]) for tag in head.find_all("link", rel=rel)]
