"""Renditions on the public pages: srcset and <picture> once they exist, the original before."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linernotes.content import media_library
from linernotes.content.models import Author, Post
from linernotes.content.renditions import renditions_of
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.images import image_upload
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db

HOME_QUERIES = 9  # as pinned in test_home.py


def hero_post(**fields: Any) -> Post:
    return PostFactory.create(
        hero_image=image_upload("hero.jpg", "JPEG", (1300, 700)),
        hero_image_alt="A rack of servers",
        categories=[CategoryFactory.create()],
        **fields,
    )


def test_without_renditions_the_hero_image_is_the_original_alone(client: Client) -> None:
    post = hero_post()
    PostFactory.create()  # leads the home page, so the hero post is a card
    for address in ["/", post.get_absolute_url()]:
        html = client.get(address).content.decode()
        assert post.hero_image.url in html
        assert "srcset" not in html
        assert "<picture>" not in html


def test_cards_and_the_post_page_list_the_renditions_once_made(client: Client) -> None:
    post = hero_post()
    PostFactory.create()
    media_library.build_renditions(str(post.hero_image.name))
    found = renditions_of(post.hero_image.name)
    assert found is not None
    card = parse(client.get("/")).select_one(f"#card-{post.pk}").find_parent("article")
    picture = card.select_one(".card__image picture")
    sources = picture.select("source")
    assert [source["type"] for source in sources][-1] == "image/webp"
    assert all("(min-width: 75rem) 23rem" in source["sizes"] for source in sources)
    img = picture.select_one("img")
    # The original stays the src, with its size; the srcset lists the JPEG renditions and,
    # wider than all of them, the original.
    assert img["src"] == post.hero_image.url
    assert (img["width"], img["height"]) == ("1300", "700")
    assert img["srcset"] == ", ".join(
        [f"{r.url} {r.width}w" for r in found.in_format("jpeg")] + [f"{post.hero_image.url} 1300w"]
    )
    assert [r.width for r in found.in_format("jpeg")] == [400, 800, 1200]
    hero = parse(client.get(post.get_absolute_url())).select_one(".post__hero picture img")
    assert hero["alt"] == "A rack of servers"
    assert hero["sizes"] == "(min-width: 48rem) 46rem, 100vw"
    assert hero["fetchpriority"] == "high"


def test_renditions_cost_no_queries(
    client: Client, django_assert_num_queries: Any, uncached_pages: None
) -> None:
    posts = [hero_post() for _ in range(3)]
    with django_assert_num_queries(HOME_QUERIES):
        before = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as post_page:
        client.get(posts[0].get_absolute_url())
    for post in posts:
        media_library.build_renditions(str(post.hero_image.name))
    with django_assert_num_queries(HOME_QUERIES):
        after = client.get("/").content.decode()
    assert before.count("<picture>") == 0
    assert after.count("<picture>") == 3
    with django_assert_num_queries(len(post_page)):
        assert "<picture>" in client.get(posts[0].get_absolute_url()).content.decode()


def test_a_new_rendition_starts_a_new_version_of_cached_pages(client: Client) -> None:
    post = hero_post()
    PostFactory.create()
    assert "srcset" not in client.get("/").content.decode()
    media_library.build_renditions(str(post.hero_image.name))
    assert "srcset" in client.get("/").content.decode()


def test_the_avatar_lists_its_renditions(client: Client) -> None:
    author = AuthorFactory.create(avatar=image_upload("face.png", size=(500, 500)))
    PostFactory.create(authors=[author])
    html = client.get(author.get_absolute_url()).content.decode()
    assert f'<img class="author-card__avatar" src="{author.avatar.url}"' in html
    media_library.build_renditions(str(Author.objects.get().avatar.name))
    avatar = parse(client.get(author.get_absolute_url())).select_one("picture img")
    assert avatar["class"] == ["author-card__avatar"]
    assert avatar["sizes"] == "96px"
    assert "-400.png 400w" in avatar["srcset"]
