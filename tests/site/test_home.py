from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from PIL import Image

from linernotes.content.models import CategoryAlias, Status
from tests.factories import CategoryFactory, PostFactory
from tests.site.helpers import card_titles, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_size(settings) -> int:
    settings.LINERNOTES_PAGE_SIZE = 4
    return 4


def test_home_shows_intro_featured_post_and_newest_cards_first(
    client: Client, page_size: int
) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    posts = [PostFactory.create(categories=[data]) for _ in range(6)]
    featured = PostFactory.create(featured=True, published_at=timezone.now() - timedelta(days=3000))

    response = client.get("/")
    page = parse(response)

    assert page.select_one(".intro h1").get_text(strip=True) == "Engineering"
    assert page.select_one("#featured-title").get_text(strip=True) == featured.title
    # The featured post leads the page and is not repeated in the grid.
    newest_first = [p.title for p in reversed(posts)]
    assert card_titles(page) == newest_first[:page_size]
    assert response.context["featured"] == featured
    assert list(response.context["listing"].posts) == list(reversed(posts))[:page_size]


def test_without_a_featured_flag_the_newest_post_leads(client: Client) -> None:
    older, newest = PostFactory.create(), PostFactory.create()
    page = parse(client.get("/"))
    assert page.select_one("#featured-title").get_text(strip=True) == newest.title
    assert card_titles(page) == [older.title]


def test_cards_carry_date_excerpt_chips_and_image(client: Client, settings) -> None:
    settings.LINERNOTES_DATE_FORMAT = "M j, Y"
    web, data = (
        CategoryFactory.create(name="Web", slug="web"),
        CategoryFactory.create(name="Data", slug="data"),
    )
    PostFactory.create()  # becomes the featured post
    post = PostFactory.create(
        title="Cards",
        summary="A hand-written summary.",
        categories=[web, data],
        published_at=datetime(2020, 9, 5, 12, tzinfo=UTC),
    )
    card = parse(client.get("/")).select_one("#cards .card")

    assert card.select_one("time").get_text() == "Sep 5, 2020"
    assert card.select_one("time")["datetime"].startswith("2020-09-05T12:00:00")
    assert card.select_one(".card__excerpt").get_text() == "A hand-written summary."
    # Primary category first, then the rest alphabetically.
    assert [a.get_text() for a in card.select(".chip")] == ["Web", "Data"]
    assert card.select_one(".chip")["href"] == "/category/web/"
    image = card.select_one("img")
    assert image["src"] == f"/placeholder/{post.slug}.svg"
    assert (image["width"], image["height"]) == ("1200", "630")
    assert image["loading"] == "lazy"


def test_featured_image_is_the_only_eager_image(client: Client) -> None:
    for _ in range(3):
        PostFactory.create()
    images = parse(client.get("/")).select("main img")
    assert images[0].get("fetchpriority") == "high"
    assert not images[0].get("loading")
    assert all(img.get("loading") == "lazy" for img in images[1:])


def test_load_more_is_a_link_to_the_next_page(client: Client, page_size: int) -> None:
    posts = [PostFactory.create() for _ in range(11)]  # 1 featured + 10 cards
    page = parse(client.get("/"))
    load_more = page.select_one("a[data-load-more]")
    assert load_more.get_text(strip=True) == "Load More"
    assert load_more["href"] == "/page/2/"
    assert page.select_one('link[rel="next"]')["href"].endswith("/page/2/")

    second = parse(client.get("/page/2/"))
    expected = [p.title for p in reversed(posts[:-1])][page_size : 2 * page_size]
    assert card_titles(second) == expected
    assert second.select_one('link[rel="prev"]')["href"].endswith("/")
    last = parse(client.get("/page/3/"))
    assert last.select_one("a[data-load-more]") is None
    assert len(card_titles(last)) == 2


def test_fragment_returns_only_cards_and_the_next_link(client: Client, page_size: int) -> None:
    for _ in range(10):
        PostFactory.create()
    response = client.get("/page/2/", {"fragment": "cards"})
    page = parse(response)
    assert page.select_one("header") is None
    assert len(page.select("#cards > li")) == page_size
    assert page.select_one("a[data-load-more]")["href"] == "/page/3/"


def test_category_filter_narrows_the_grid(client: Client, page_size: int) -> None:
    data, web = (
        CategoryFactory.create(name="Data", slug="data"),
        CategoryFactory.create(name="Web", slug="web"),
    )
    data_posts = [PostFactory.create(categories=[data]) for _ in range(5)]
    PostFactory.create(categories=[web])

    page = parse(client.get("/", {"category": "data"}))
    assert card_titles(page) == [p.title for p in reversed(data_posts)][:page_size]
    assert page.select_one('[data-filter="data"]')["aria-current"] == "page"
    assert page.select_one('[data-filter=""]').get("aria-current") is None
    assert page.select_one("a[data-load-more]")["href"] == "/page/2/?category=data"
    assert page.select_one(".featured").has_attr("hidden")

    rest = parse(client.get("/page/2/", {"category": "data"}))
    assert card_titles(rest) == [data_posts[0].title]


def test_filter_lists_categories_by_position_then_name(client: Client) -> None:
    for name, position in [("Web", 0), ("Backstage", 0), ("Data", 0), ("Zeta", 0), ("Mobile", 1)]:
        PostFactory.create(
            categories=[CategoryFactory.create(name=name, slug=name.lower(), position=position)]
        )
    announcements = CategoryFactory.create(name="Announcements", slug="announcements", position=2)
    PostFactory.create(categories=[announcements])
    # A category with nothing published yet is not offered.
    CategoryFactory.create(name="Empty", slug="empty", position=0)
    page = parse(client.get("/"))
    labels = [a.get_text() for a in page.select(".filter__item")]
    assert labels == [
        "All categories",
        *("Backstage", "Data", "Web", "Zeta", "Mobile", "Announcements"),
    ]


def test_an_old_category_slug_in_the_filter_redirects(client: Client) -> None:
    machine_learning = CategoryFactory.create(name="Machine Learning", slug="machine-learning")
    CategoryAlias.objects.create(slug="maching-learning", category=machine_learning)
    response = client.get("/page/2/", {"category": "maching-learning"})
    assert response.status_code == 301
    assert response["Location"] == "/page/2/?category=machine-learning"


def test_featured_post_leads_only_the_first_page(client: Client, page_size: int) -> None:
    posts = [PostFactory.create() for _ in range(2 * page_size + 1)]
    first, second = parse(client.get("/")), parse(client.get("/page/2/"))
    assert first.select_one("#featured-title").get_text(strip=True) == posts[-1].title
    assert second.select_one(".featured") is None
    assert posts[-1].title not in card_titles(second)
    # Without the featured image above it, the first card is the image to load first.
    images = second.select("main img")
    assert images[0].get("fetchpriority") == "high"
    assert all(image.get("loading") == "lazy" for image in images[1:])
    assert second.select_one(".cards-region .newer a")["href"] == "/"


def test_with_a_filter_on_the_first_card_loads_first(client: Client) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    for _ in range(3):
        PostFactory.create(categories=[data])
    page = parse(client.get("/", {"category": "data"}))
    featured_image = page.select_one(".featured img")
    assert featured_image["loading"] == "lazy"
    first_card_image = page.select_one("#cards img")
    assert first_card_image.get("fetchpriority") == "high"


def test_drafts_and_future_posts_never_appear(client: Client) -> None:
    visible = PostFactory.create(title="Visible")
    PostFactory.create(title="Draft", status=Status.DRAFT, published_at=None)
    PostFactory.create(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    page = parse(client.get("/"))
    text = page.get_text()
    assert visible.title in text
    assert "Draft" not in card_titles(page)
    assert "Draft" not in text
    assert "Scheduled" not in text


@pytest.mark.parametrize("path", ["/page/0/", "/page/3/", "/?category=nope"])
def test_bad_pages_are_404(client: Client, path: str) -> None:
    PostFactory.create()
    assert client.get(path).status_code == 404


def test_page_one_redirects_to_the_home_page(client: Client) -> None:
    response = client.get("/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/"


def test_home_query_count_does_not_grow_with_cards(
    client: Client, django_assert_num_queries, uncached_pages: None, page_size: int
) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    PostFactory.create(categories=[data])
    PostFactory.create(categories=[data])
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")
    for _ in range(10):
        PostFactory.create(categories=[data, CategoryFactory.create()])
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")
    # Later pages need the featured post's id (to leave it out), not its card.
    with django_assert_num_queries(HOME_QUERIES - 1):
        client.get("/page/2/")
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/", {"category": "data"})
    # The fragment "Load More" fetches renders no navigation.
    with django_assert_num_queries(HOME_QUERIES - 2):
        client.get("/page/2/", {"fragment": "cards"})


# categories; the featured post's id (none is featured here, so the newest is looked up too)
# and its row; the grid's rows; the category links, categories and bylines of all those cards
# at once; navigation pages. The home page never counts its posts.
HOME_QUERIES = 9


def test_favicon_ico_is_a_real_icon_at_three_sizes(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert sorted(icon.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    assert client.post("/favicon.ico").status_code == 405


def test_the_icons_a_page_names_answer_at_their_sizes(client: Client) -> None:
    page = BeautifulSoup(client.get("/").content, "lxml")
    named = {
        str(link["href"]): link.get("sizes")
        for link in page.find_all("link", rel=["icon", "apple-touch-icon"])
    }
    assert named["/apple-touch-icon.png"] == "180x180"
    manifest_link = page.find("link", rel="manifest")
    assert manifest_link is not None
    manifest = json.loads(client.get(str(manifest_link["href"])).content)
    icons = [(icon["src"], icon["sizes"]) for icon in manifest["icons"]]
    assert icons == [("/icon-192.png", "192x192"), ("/icon-512.png", "512x512")]
    for address, size in [
        ("/apple-touch-icon.png", 180),
        ("/icon-192.png", 192),
        ("/icon-512.png", 512),
    ]:
        response = client.get(address)
        assert response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size == (size, size)
    assert client.get("/icon-64.png").status_code == 404
