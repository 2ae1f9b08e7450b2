from __future__ import annotations

import pytest
from django.test import Client

from linernotes.content.models import Category, CategoryAlias, Status
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import card_titles, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(settings) -> Category:
    settings.LINERNOTES_PAGE_SIZE = 3
    return CategoryFactory.create(
        name="Platform", slug="platform", description="How we run things."
    )


def test_archive_has_heading_count_description_and_bylines(
    client: Client, platform: Category
) -> None:
    ada = AuthorFactory.create(
        name="Ada Lovelace", slug="ada-lovelace", role="Senior Data Scientist"
    )
    bob = AuthorFactory.create(name="Bob Chen", slug="bob-chen", role="Product Manager")
    posts = [PostFactory.create(categories=[platform], authors=[ada, bob]) for _ in range(4)]
    PostFactory.create(categories=[platform], status=Status.DRAFT, published_at=None)
    PostFactory.create()  # in no category

    response = client.get("/category/platform/")
    page = parse(response)

    assert page.select_one("h1").get_text() == "Platform"
    assert page.select_one(".page-heading__count").get_text() == "4 articles"
    assert "How we run things." in page.select_one(".page-heading").get_text()
    assert card_titles(page) == [p.title for p in reversed(posts)][:3]
    byline = page.select_one(".card__byline")
    assert " ".join(byline.get_text().split()) == (
        "Published by Ada Lovelace, Senior Data Scientist and Bob Chen, Product Manager"
    )
    assert [a["href"] for a in byline.select("a")] == ["/author/ada-lovelace/", "/author/bob-chen/"]
    assert response.context["category"] == platform
    assert response.context["listing"].count == 4


def test_singular_count(client: Client, platform: Category) -> None:
    PostFactory.create(categories=[platform])
    page = parse(client.get("/category/platform/"))
    assert page.select_one(".page-heading__count").get_text() == "1 article"


def test_numbered_pagination(client: Client, platform: Category) -> None:
    posts = [PostFactory.create(categories=[platform]) for _ in range(7)]
    first = parse(client.get("/category/platform/"))
    nav = first.select_one("nav.pagination")
    assert [
        el.get_text(" ", strip=True) for el in nav.find_all(["a", "span"], recursive=False)
    ] == [
        "1",
        "Page 2",
        "Page 3",
        "Next »",
    ]
    assert nav.select_one('[aria-current="page"]').get_text() == "1"
    assert nav.select_one('a[rel="next"]')["href"] == "/category/platform/page/2/"
    assert first.select_one('link[rel="next"]')["href"].endswith("/category/platform/page/2/")
    assert first.select_one('link[rel="prev"]') is None

    last = parse(client.get("/category/platform/page/3/"))
    assert card_titles(last) == [posts[0].title]
    assert last.select_one('nav.pagination a[rel="prev"]')["href"] == "/category/platform/page/2/"
    assert last.select_one('nav.pagination a[rel="next"]') is None


def test_sidebar_lists_every_category_and_marks_the_current_one(
    client: Client, platform: Category
) -> None:
    for name in ("Web", "Backstage"):
        PostFactory.create(categories=[CategoryFactory.create(name=name, slug=name.lower())])
    PostFactory.create(categories=[platform])
    CategoryFactory.create(name="Empty", slug="empty")
    aside = parse(client.get("/category/platform/")).select_one("aside")
    assert aside.select_one("h2").get_text() == "Other categories"
    assert [a.get_text() for a in aside.select("a")] == ["Backstage", "Platform", "Web"]
    assert aside.select_one('[aria-current="page"]').get_text() == "Platform"


def test_old_slug_redirects_permanently(client: Client, settings) -> None:
    ml = CategoryFactory.create(name="Machine Learning", slug="machine-learning")
    CategoryAlias.objects.create(category=ml, slug="maching-learning")
    response = client.get("/category/maching-learning/")
    assert response.status_code == 301
    assert response["Location"] == "/category/machine-learning/"
    settings.LINERNOTES_PAGE_SIZE = 1
    PostFactory.create(categories=[ml])
    PostFactory.create(categories=[ml])
    paged = client.get("/category/maching-learning/page/2/")
    assert paged["Location"] == "/category/machine-learning/page/2/"


def test_renaming_a_slug_keeps_the_old_address(client: Client) -> None:
    category = CategoryFactory.create(name="Dev Tools", slug="dev-tools")
    category.slug = "developer-tools"
    category.save()
    response = client.get("/category/dev-tools/")
    assert response.status_code == 301
    assert response["Location"] == "/category/developer-tools/"
    assert client.get("/category/developer-tools/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/category/unknown/", "/category/platform/page/2/", "/category/platform/page/0/"]
)
def test_unknown_category_and_bad_pages_are_404(
    client: Client, platform: Category, path: str
) -> None:
    PostFactory.create(categories=[platform])
    assert client.get(path).status_code == 404


def test_category_query_count_does_not_grow(
    client: Client, platform: Category, django_assert_num_queries, uncached_pages: None
) -> None:
    author = AuthorFactory.create()
    PostFactory.create(categories=[platform], authors=[author])
    with django_assert_num_queries(CATEGORY_QUERIES):
        client.get("/category/platform/")
    for _ in range(8):
        PostFactory.create(
            categories=[platform, CategoryFactory.create()],
            authors=[author, AuthorFactory.create()],
        )
    with django_assert_num_queries(CATEGORY_QUERIES):
        client.get("/category/platform/")
    with django_assert_num_queries(CATEGORY_QUERIES):
        client.get("/category/platform/page/2/")


# category, count, cards (posts, category links, categories, bylines), sidebar categories,
# navigation pages
CATEGORY_QUERIES = 8
