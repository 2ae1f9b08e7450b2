"""The pictures other sites get: the social card crop, feed images and the email's hero."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from PIL import Image

from linernotes.content import media_library
from linernotes.content.models import Post
from linernotes.content.renditions import renditions_of
from linernotes.newsletter.emails import render_post
from tests.factories import PostFactory
from tests.images import image_upload
from tests.seo.pages import SITE, head_of, meta

pytestmark = pytest.mark.django_db


def hero_post(**fields: object) -> Post:
    return PostFactory.create(
        hero_image=image_upload("hero.jpg", "JPEG", (1600, 900)),
        hero_image_alt="A rack of servers",
        **fields,
    )


def test_og_image_is_the_crop_of_the_hero_image(client: Client, media_root: object) -> None:
    post = hero_post()
    head = head_of(client, post.get_absolute_url())
    assert meta(head, "og:image") == f"{SITE}{post.hero_image.url}"  # until the crop is made
    media_library.build_renditions(str(post.hero_image.name))
    found = renditions_of(post.hero_image.name)
    assert found is not None
    assert found.social is not None
    head = head_of(client, post.get_absolute_url())
    assert meta(head, "og:image") == f"{SITE}{found.social.url}"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1200", "630")
    assert meta(head, "og:image:alt") == "A rack of servers"
    assert meta(head, "twitter:image") == meta(head, "og:image")
    with Image.open(post.hero_image.storage.path(found.social.name)) as card:
        assert card.size == (1200, 630)


def test_a_social_image_comes_before_the_hero_image(client: Client) -> None:
    post = hero_post(
        social_image=image_upload("card.png", size=(1400, 800)), social_image_alt="The card"
    )
    head = head_of(client, post.get_absolute_url())
    assert meta(head, "og:image") == f"{SITE}{post.social_image.url}"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1400", "800")
    for name in (post.hero_image.name, post.social_image.name):
        media_library.build_renditions(str(name))
    social = renditions_of(post.social_image.name)
    assert social is not None
    assert social.social is not None
    head = head_of(client, post.get_absolute_url())
    assert meta(head, "og:image") == f"{SITE}{social.social.url}"
    assert meta(head, "og:image:alt") == "The card"


def test_feeds_and_the_email_show_the_800_wide_rendition(client: Client) -> None:
    post = hero_post()
    media_library.build_renditions(str(post.hero_image.name))
    found = renditions_of(post.hero_image.name)
    assert found is not None
    rendition = found.closest(800)
    assert rendition is not None
    assert (rendition.width, rendition.format) == (800, "jpeg")
    feed = client.get("/feed/json/").json()
    assert feed["items"][0]["image"] == f"{SITE}{rendition.url}"
    hero = BeautifulSoup(render_post(Post.objects.get(pk=post.pk)).html, "lxml").select_one(".hero")
    assert hero["src"] == f"{SITE}{rendition.url}"
    assert (hero["width"], hero["height"]) == ("800", "450")
