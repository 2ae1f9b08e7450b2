"""Public pages as `linernotes build` renders them (LINERNOTES_STATIC_EXPORT on): every link,
form and script hook must work on a plain file host, and live pages stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from linernotes.content.models import Post
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db

SIGNUP_URL = "https://live.example.com/newsletter/"


def static(client: Client, path: str, *, signup_url: str = "") -> BeautifulSoup:
    with override_settings(LINERNOTES_STATIC_EXPORT=True, LINERNOTES_STATIC_SIGNUP_URL=signup_url):
        return parse(client.get(path))


@pytest.fixture
def site(settings) -> Post:
    """Two pages of home, category and author listings, and a post with everything around it."""
    settings.LINERNOTES_PAGE_SIZE = 2
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web", slug="web")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada")
    for day in range(1, 6):
        PostFactory.create(
            categories=[data, web],
            authors=[ada],
            published_at=datetime(2024, 3, day, 12, tzinfo=UTC),
        )
    PageFactory.create(title="About", slug="about")
    return PostFactory.create(
        title="Kafka consumer lag",
        slug="kafka-consumer-lag",
        summary="What we measured.",
        categories=[data],
        authors=[ada],
        published_at=datetime(2024, 3, 10, 12, tzinfo=UTC),
    )


def test_home_filter_links_to_category_archives(client: Client, site: Post) -> None:
    page = static(client, "/")
    section = page.select_one("[data-card-list]")
    assert section.has_attr("data-static-fragments")
    filters = {item["data-filter"]: item["href"] for item in section.select("[data-filter]")}
    assert filters == {"": "/", "data": "/category/data/", "web": "/category/web/"}


def test_live_home_filter_is_unchanged(client: Client, site: Post) -> None:
    before = client.get("/").content
    static(client, "/")
    assert client.get("/").content == before
    section = BeautifulSoup(before, "lxml").select_one("[data-card-list]")
    assert not section.has_attr("data-static-fragments")
    hrefs = [item["href"] for item in section.select("[data-filter]")]
    assert hrefs == ["/", "/?category=data", "/?category=web"]


@pytest.mark.parametrize(
    ("path", "next_link"),
    [
        ("/", "[data-load-more]"),
        ("/page/2/", "[data-load-more]"),
        # Archives have numbered pages instead; their cards fragment (what the home page's
        # filter shows in place) still ends with "Load More".
        ("/category/data/", ".pagination a[rel=next]"),
        ("/author/ada/", ".pagination a[rel=next]"),
    ],
)
def test_load_more_leads_to_a_folder_whose_cards_file_the_script_reads(
    client: Client, site: Post, path: str, next_link: str
) -> None:
    # site.js asks for <next page's path>cards.html, which needs a path ending in "/".
    more = static(client, path).select_one(next_link)
    address = urlsplit(str(more["href"]))
    assert address.path.endswith("/")
    assert not address.query
    fragment = static(client, f"{path}?fragment=cards")
    assert fragment.select_one("[data-load-more]")["href"] == more["href"]


def test_post_page_marks_what_pagefind_indexes(client: Client, site: Post) -> None:
    page = static(client, site.get_absolute_url())
    bodies = page.select("[data-pagefind-body]")
    assert len(bodies) == 1
    article = bodies[0]
    assert article.name == "article"
    assert "post" in article["class"]
    assert article["data-pagefind-meta"] == "date:2024-03-10T12:00:00+00:00"
    title = article.select_one("h1")
    assert title.get_text(strip=True) == "Kafka consumer lag"
    assert title["data-pagefind-meta"] == "title"
    assert article.select_one(".post__body")
    # The byline is indexed (search finds posts by author); date, reading time and the
    # category chips are not text of the post.
    assert "Ada Okafor" in article.select_one(".post__byline").get_text()
    assert not article.select_one(".post__byline").find_parent(attrs={"data-pagefind-ignore": True})
    assert article.select_one(".post__meta").has_attr("data-pagefind-ignore")
    assert article.select_one(".chips").has_attr("data-pagefind-ignore")
    # Neighbours and related posts lie outside the indexed element.
    for other in page.select(".post-nav, .related, .site-header, .site-footer"):
        assert not other.find_parent(attrs={"data-pagefind-body": True})


def test_link_posts_leave_their_button_out_of_the_index(client: Client) -> None:
    post = PostFactory.create(body="", summary="Elsewhere.", external_url="https://example.org/a")
    article = static(client, post.get_absolute_url()).select_one("[data-pagefind-body]")
    assert article.select_one(".button").find_parent("p").has_attr("data-pagefind-ignore")


def test_live_pages_carry_no_pagefind_attributes(client: Client, site: Post) -> None:
    before = client.get(site.get_absolute_url()).content
    static(client, site.get_absolute_url())
    assert client.get(site.get_absolute_url()).content == before
    assert b"data-pagefind" not in before


def test_header_search_goes_to_the_search_page(client: Client, site: Post) -> None:
    form = static(client, "/").select_one("form.site-search")
    assert (form["action"], form["method"]) == ("/search/", "get")
    assert form.select_one("input[type=search]")["name"] == "q"
    live = parse(client.get("/")).select_one("form.site-search")
    assert (live["action"], live.select_one("input[type=search]")["name"]) == ("/", "s")


def newsletter_links(page: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in page.select("a[href]") if "/newsletter/" in str(a["href"])]


def test_signup_posts_to_the_configured_address(client: Client, site: Post) -> None:
    page = static(client, site.get_absolute_url(), signup_url=SIGNUP_URL)
    form = page.select_one(".newsletter-signup form")
    assert (form["action"], form["method"]) == (SIGNUP_URL, "post")
    # An ordinary cross-site post: newsletter.js must not take it over, and is not loaded.
    assert not form.has_attr("data-newsletter-form")
    assert not page.select('script[src*="newsletter"]')
    assert form.select_one("input[type=email][name=email]")
    assert newsletter_links(page) == []


def test_without_a_signup_address_there_is_no_signup(client: Client, site: Post) -> None:
    for path in ("/", site.get_absolute_url(), "/about/", "/search/"):
        page = static(client, path)
        assert not page.select(".newsletter-signup, .newsletter-form"), path
        assert not page.select('script[src*="newsletter"]'), path
        assert newsletter_links(page) == [], path


def test_live_signup_is_unchanged(client: Client, site: Post) -> None:
    before = client.get("/about/").content
    static(client, "/about/", signup_url=SIGNUP_URL)
    assert client.get("/about/").content == before
    form = BeautifulSoup(before, "lxml").select_one(".newsletter-signup form")
    assert (form["action"], form.has_attr("data-newsletter-form")) == ("/newsletter/", True)
    assert "/newsletter/#topics" in newsletter_links(BeautifulSoup(before, "lxml"))


STATIC_PAGES = [
    "/",
    "/page/2/",
    "/category/data/",
    "/category/data/page/2/",
    "/author/ada/",
    "/author/ada/page/2/",
    "/2024/03/kafka-consumer-lag/",
    "/about/",
    "/search/",
]


@pytest.mark.parametrize("path", STATIC_PAGES)
@pytest.mark.parametrize("signup_url", ["", SIGNUP_URL])
def test_static_pages_ask_nothing_only_a_server_answers(
    client: Client, site: Post, path: str, signup_url: str
) -> None:
    page = static(client, path, signup_url=signup_url)
    for node in page.select("[href], [src], [action]"):
        for name in ("href", "src", "action"):
            address = urlsplit(str(node.get(name, "")))
            if address.scheme or address.netloc or not address.path:
                continue  # another site's address, or none
            assert not address.query, node
            assert not address.path.startswith(("/api/", "/newsletter/")), node
    for form in page.select("form"):
        if urlsplit(str(form["action"])).netloc:
            continue
        # A form sent here puts its fields in a query string, which a file host ignores:
        # only the search page reads one, in the browser.
        assert (form["method"].lower(), form["action"]) == ("get", "/search/"), form
    assert not page.select("[data-newsletter-form], [data-api]")
