from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from linernotes.search.indexer import rebuild_index
from linernotes.seo.metadata import compose_title
from tests.factories import CategoryFactory, PageFactory, PostFactory
from tests.seo.pages import (
    INDEX_ROBOTS,
    SITE,
    SITE_NAME,
    TAGLINE,
    SampleSite,
    build_sample_site,
    head_of,
    links,
    meta,
    meta_all,
)

pytestmark = pytest.mark.django_db

SITE_FEEDS = [f"{SITE}/feed/", f"{SITE}/feed/atom/", f"{SITE}/feed/json/"]


@pytest.fixture
def site(settings: Any) -> SampleSite:
    settings.LINERNOTES_PAGE_SIZE = 2
    return build_sample_site()


def assert_common_tags(
    head: Tag, *, url: str, title: str, description: str, canonical: str = ""
) -> None:
    """What every page has: one title, description, canonical, OpenGraph and Twitter set."""
    assert [tag.get_text() for tag in head.find_all("title")] == [title]
    assert title.count(SITE_NAME) == 1
    assert meta(head, "description") == description
    assert meta(head, "og:description") == description
    assert meta(head, "twitter:description") == description
    assert meta(head, "robots") == INDEX_ROBOTS
    assert links(head, "canonical") == [canonical or url]
    assert meta(head, "og:url") == url
    assert meta(head, "og:site_name") == SITE_NAME
    assert meta(head, "og:locale") == "en_US"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:title") == meta(head, "og:title")
    assert meta(head, "twitter:image") == meta(head, "og:image")
    assert meta(head, "twitter:image:alt") == meta(head, "og:image:alt")
    assert meta(head, "og:image").startswith(SITE)
    assert not meta(head, "og:image").endswith(".svg")
    assert int(meta(head, "og:image:width")) > 0
    assert int(meta(head, "og:image:height")) > 0
    assert meta(head, "og:image:alt")
    feeds = head.find_all("link", rel="alternate")
    assert [feed["href"] for feed in feeds][:3] == SITE_FEEDS
    assert [feed["type"] for feed in feeds][:3] == [
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    ]


def test_home(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/")
    assert_common_tags(head, url=f"{SITE}/", title=f"{SITE_NAME} — {TAGLINE}", description=TAGLINE)
    assert meta(head, "og:type") == "website"
    assert meta(head, "og:title") == SITE_NAME
    # The featured post leads the page, so its picture represents it.
    assert meta(head, "og:image") == f"{SITE}/placeholder/elsewhere.png"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1200", "630")
    assert links(head, "prev") == []
    assert links(head, "next") == [f"{SITE}/page/2/"]
    assert head.find("meta", property="article:published_time") is None


def test_home_page_two(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/page/2/")
    assert_common_tags(
        head,
        url=f"{SITE}/page/2/",
        title=f"Page 2 · {SITE_NAME}",
        description=f"Page 2 of {SITE_NAME}: {TAGLINE}",
    )
    # Shared, page 2 says which page it is too.
    assert meta(head, "og:title") == f"{SITE_NAME} · Page 2"
    assert links(head, "prev") == [f"{SITE}/"]
    assert links(head, "next") == []


def test_home_filtered_by_category(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/?category=platform")
    assert_common_tags(
        head,
        url=f"{SITE}/?category=platform",
        title=f"Platform · {SITE_NAME}",
        description="How we run things.",
        # The category's archive lists the same posts: that is the address to index.
        canonical=f"{SITE}/category/platform/",
    )
    assert meta(head, "og:title") == "Platform"
    page_two = head_of(client, "/page/2/?category=platform")
    assert links(page_two, "canonical") == [f"{SITE}/category/platform/page/2/"]
    # The featured post is hidden while a filter is on; the first card stands in.
    assert meta(head, "og:image") == f"{SITE}/placeholder/moving-a-monolith.png"
    assert links(head, "next") == [f"{SITE}/page/2/?category=platform"]
    assert f"{SITE}/category/platform/feed/" in links(head, "alternate")


def test_category(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/category/platform/")
    assert_common_tags(
        head,
        url=f"{SITE}/category/platform/",
        title=f"Platform · {SITE_NAME}",
        description="How we run things.",
    )
    assert meta(head, "og:type") == "website"
    assert meta(head, "og:image") == f"{SITE}/placeholder/moving-a-monolith.png"
    assert links(head, "next") == [f"{SITE}/category/platform/page/2/"]
    assert links(head, "alternate")[3:] == [
        f"{SITE}/category/platform/feed/",
        f"{SITE}/category/platform/feed/atom/",
        f"{SITE}/category/platform/feed/json/",
    ]


def test_category_page_two(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/category/platform/page/2/")
    assert_common_tags(
        head,
        url=f"{SITE}/category/platform/page/2/",
        title=f"Platform · Page 2 · {SITE_NAME}",
        description="Page 2 of Platform: How we run things.",
    )
    assert meta(head, "og:title") == "Platform · Page 2"
    assert links(head, "prev") == [f"{SITE}/category/platform/"]
    assert links(head, "next") == []


def test_category_without_description_falls_back_to_the_tagline(
    client: Client, site: SampleSite
) -> None:
    head = head_of(client, "/category/web/")
    assert meta(head, "description") == TAGLINE


def test_post(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/2024/09/moving-a-monolith/")
    url = f"{SITE}/2024/09/moving-a-monolith/"
    assert_common_tags(
        head,
        url=url,
        title=f"Moving a monolith · {SITE_NAME}",
        description="How we moved a monolith without stopping it.",
    )
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:title") == "Moving a monolith"
    assert meta(head, "article:published_time") == "2024-09-05T10:00:00+00:00"
    assert meta(head, "article:modified_time") >= meta(head, "article:published_time")
    assert meta_all(head, "article:author") == [f"{SITE}/author/ada/", f"{SITE}/author/grace/"]
    assert meta(head, "article:section") == "Platform"
    assert meta_all(head, "article:tag") == ["Platform", "Web"]
    assert meta(head, "og:image") == f"{SITE}/placeholder/moving-a-monolith.png"
    assert "Moving a monolith" in meta(head, "og:image:alt")
    assert links(head, "prev") == links(head, "next") == []


def test_link_post(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/2024/10/elsewhere/")
    assert_common_tags(
        head,
        url=f"{SITE}/2024/10/elsewhere/",
        title=f"Elsewhere · {SITE_NAME}",
        description="An article on another site.",
    )
    assert meta(head, "og:type") == "article"
    assert meta_all(head, "article:author") == [f"{SITE}/author/grace/"]


def test_post_with_a_hero_image_uses_it(client: Client, site: SampleSite, png: bytes) -> None:
    post = PostFactory.create(
        slug="pictured",
        hero_image=SimpleUploadedFile("hero.png", png, content_type="image/png"),
        hero_image_alt="A whiteboard full of boxes",
    )
    head = head_of(client, post.get_absolute_url())
    assert meta(head, "og:image") == f"{SITE}{post.hero_image.url}"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("40", "21")
    assert meta(head, "og:image:alt") == "A whiteboard full of boxes"


def test_author(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/author/ada/")
    assert_common_tags(
        head,
        url=f"{SITE}/author/ada/",
        title=f"Ada Lovelace · {SITE_NAME}",
        description="Writes about engines.",
    )
    assert meta(head, "og:type") == "website"
    assert links(head, "next") == [f"{SITE}/author/ada/page/2/"]
    assert f"{SITE}/author/ada/feed/atom/" in links(head, "alternate")
    # Without a bio the description says who the author is.
    grace = head_of(client, "/author/grace/")
    assert meta(grace, "description") == "Articles by Grace Hopper, Compiler Lead."


def test_static_page(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/about/")
    assert_common_tags(
        head, url=f"{SITE}/about/", title=f"About · {SITE_NAME}", description="We build things."
    )
    assert meta(head, "og:image") == f"{SITE}/social-image.png"


def test_footer_links_the_rss_feed(client: Client, site: SampleSite) -> None:
    page = BeautifulSoup(client.get("/").content, "lxml")
    feed = page.select_one('footer a[href="/feed/"]')
    assert feed is not None
    assert feed.get_text(strip=True) == "RSS feed"


def test_not_found_page_is_noindex_without_canonical(client: Client, site: SampleSite) -> None:
    head = head_of(client, "/no-such-page/", status=404)
    assert [tag.get_text() for tag in head.find_all("title")] == [f"Page not found · {SITE_NAME}"]
    assert meta(head, "robots") == "noindex, follow"
    assert links(head, "canonical") == []
    assert meta(head, "og:image") == f"{SITE}/social-image.png"


def test_posts_and_pages_marked_noindex_ask_not_to_be_indexed(
    client: Client, site: SampleSite
) -> None:
    post = PostFactory.create(noindex=True)
    page = PageFactory.create(slug="unlisted", noindex=True)
    for url in (post.get_absolute_url(), page.get_absolute_url()):
        head = head_of(client, url)
        assert meta(head, "robots") == "noindex, follow"
        assert links(head, "canonical") == []
    assert meta(head_of(client, site.post.get_absolute_url()), "robots") == INDEX_ROBOTS


def test_noindex_context_turns_indexing_off(rf: Any, site: SampleSite) -> None:
    from django.template import engines

    request = rf.get("/anything/")
    template = engines["django"].from_string("{% load seo %}{% seo_head %}")
    html = template.render({"noindex": True, "request": request}, request)
    head = BeautifulSoup(html, "lxml")
    assert meta(head, "robots") == "noindex, follow"
    assert links(head, "canonical") == []


def test_the_site_name_never_appears_twice(client: Client, site: SampleSite) -> None:
    PageFactory.create(title=SITE_NAME, slug="us")
    CategoryFactory.create(name=f"News from {SITE_NAME}", slug="news")
    for url in ("/us/", "/category/news/"):
        title = head_of(client, url).title.get_text()
        assert title.count(SITE_NAME) == 1, title


def test_search_results_are_described_and_not_indexed(client: Client, site: SampleSite) -> None:
    rebuild_index()
    head = head_of(client, "/?s=monolith&page=1")
    title = f"Search results for “monolith” · {SITE_NAME}"
    assert [tag.get_text() for tag in head.find_all("title")] == [title]
    assert meta(head, "og:title") == "Search results for “monolith”"
    assert meta(head, "og:url") == f"{SITE}/?s=monolith"
    assert meta(head, "description") == f"Posts on {SITE_NAME} that match “monolith”."
    assert meta(head, "robots") == "noindex, follow"
    assert links(head, "canonical") == []
    # The preview image is the first result's.
    assert site.post.title in meta(head, "og:image:alt")


def test_searching_for_the_site_name_names_it_once(client: Client, site: SampleSite) -> None:
    for url in (f"/?s={SITE_NAME}", f"/search/?q={SITE_NAME}"):
        title = head_of(client, url).title.get_text()
        assert title.count(SITE_NAME) == 1, title


def test_the_site_name_is_matched_as_a_whole_name(settings: Any) -> None:
    settings.LINERNOTES_SITE_NAME = "Dev"
    assert compose_title("DevOps tips") == "DevOps tips · Dev"
    assert compose_title("News from dev", "Page 2") == "News from dev · Page 2"


def test_twitter_site_and_settings_driven_images(
    client: Client, site: SampleSite, settings: Any
) -> None:
    settings.LINERNOTES_TWITTER_SITE = "@linernotes"
    settings.LINERNOTES_SOCIAL_IMAGE_URL = "/static/card.png"
    settings.LINERNOTES_SOCIAL_IMAGE_WIDTH, settings.LINERNOTES_SOCIAL_IMAGE_HEIGHT = 1600, 900
    head = head_of(client, "/about/")
    assert meta(head, "twitter:site") == "@linernotes"
    assert meta(head, "og:image") == f"{SITE}/static/card.png"
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1600", "900")


def test_markup_in_content_is_escaped_in_the_head(client: Client) -> None:
    post = PostFactory.create(
        title='Quotes " and <script>alert(1)</script>', summary="A </script> & <b>"
    )
    response = client.get(post.get_absolute_url())
    head = BeautifulSoup(response.content, "lxml")
    assert head.find_all("script", src=False)[0]["type"] == "application/ld+json"
    assert meta(head, "og:title") == 'Quotes " and <script>alert(1)</script>'
    assert b"<script>alert(1)" not in response.content.split(b"</head>")[0]


def test_every_page_of_a_listing_has_a_description_of_its_own(
    client: Client, site: SampleSite
) -> None:
    for first, second in [
        ("/", "/page/2/"),
        ("/category/platform/", "/category/platform/page/2/"),
        ("/author/ada/", "/author/ada/page/2/"),
    ]:
        descriptions = {meta(head_of(client, url), "description") for url in (first, second)}
        assert len(descriptions) == 2, first


def test_an_empty_category_is_not_offered_and_its_archive_is_not_indexed(
    client: Client, site: SampleSite
) -> None:
    CategoryFactory.create(name="Quiet", slug="quiet")
    home = client.get("/").content.decode()
    archive = client.get("/category/platform/").content.decode()
    assert "?category=quiet" not in home
    assert "/category/quiet/" not in home
    assert "/category/quiet/" not in archive
    head = head_of(client, "/category/quiet/")
    assert meta(head, "robots").startswith("noindex")
    assert links(head, "canonical") == []
    # A filter link kept from before goes to the archive, which says there is nothing yet.
    response = client.get("/?category=quiet")
    assert (response.status_code, response["Location"]) == (302, "/category/quiet/")
    sitemap = client.get("/sitemap-categories.xml").content.decode()
    assert "/category/platform/" in sitemap
    assert "/category/quiet/" not in sitemap
