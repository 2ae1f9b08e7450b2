"""Link previews on the demo site, in Chromium: the PNG a post shares looks like its SVG."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def first_post_url(page: Page, demo_url: str) -> str:
    page.goto(demo_url + "/")
    href = page.locator("#featured-title a").get_attribute("href")
    assert href
    return demo_url + href


def post_without_hero_url(page: Page, demo_url: str) -> str:
    """A card whose picture is the generated placeholder (most demo posts have no hero)."""
    page.goto(demo_url + "/")
    card = page.locator('a.card__image:has(img[src*="/placeholder/"])').first
    href = card.get_attribute("href")
    assert href
    return demo_url + href


def test_shared_image_is_a_png_rendition_of_the_placeholder(page: Page, demo_url: str) -> None:
    page.goto(post_without_hero_url(page, demo_url))
    image_url = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image_url
    assert image_url.endswith(".png")
    assert "/placeholder/" in image_url
    width = page.locator('meta[property="og:image:width"]').get_attribute("content")
    height = page.locator('meta[property="og:image:height"]').get_attribute("content")
    assert (width, height) == ("1200", "630")

    response = page.request.get(image_url)
    assert response.headers["content-type"] == "image/png"
    png = Image.open(io.BytesIO(response.body())).convert("RGB")
    assert png.size == (1200, 630)

    # Chromium draws the SVG the site shows on cards; the PNG must look the same.
    page.set_viewport_size({"width": 1200, "height": 630})
    page.goto(image_url.removesuffix(".png") + ".svg")
    drawn = Image.open(io.BytesIO(page.screenshot())).convert("RGB").resize((1200, 630))
    difference = ImageStat.Stat(ImageChops.difference(png, drawn)).mean
    assert max(difference) < 2.0, difference


def test_head_links_lead_to_valid_feeds_and_json_ld(page: Page, demo_url: str) -> None:
    page.goto(first_post_url(page, demo_url))
    feeds = page.locator('link[rel="alternate"]')
    assert feeds.count() == 3
    for index in range(3):
        href = feeds.nth(index).get_attribute("href")
        assert href
        body = page.request.get(href).body()
        if href.endswith("/json/"):
            assert json.loads(body)["items"]
        else:
            parsed = feedparser.parse(body)
            assert parsed.bozo == 0
            assert parsed.entries
    graph = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    types = {node["@type"] for node in graph["@graph"]}
    assert {"WebSite", "Organization", "WebPage", "BlogPosting", "BreadcrumbList"} <= types
