"""The search page at /?s= and /search/?q=, and the search form in the site header."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.test import Client

from linernotes.content.models import Post, Status
from linernotes.search.backends.base import SearchBackend
from linernotes.search.indexer import rebuild_index
from linernotes.search.query import parse_query
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def kafka_posts(backend: SearchBackend, settings: LazySettings) -> None:
    settings.LINERNOTES_PAGE_SIZE = 2
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web", slug="web")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor", role="Staff Engineer")
    PostFactory.create(
        title="Kafka consumer lag",
        body="We measured the kafka consumer lag.",
        categories=[data, web],
        authors=[ada],
        published_at=datetime(2024, 3, 5, 12, tzinfo=UTC),
    )
    for year in (2022, 2023):
        PostFactory.create(
            title=f"Kafka in {year}",
            body="Kafka brokers.",
            categories=[web],
            published_at=datetime(year, 6, 1, 12, tzinfo=UTC),
        )
    PostFactory.create(
        title="Unrelated",
        body="Nothing here.",
        categories=[web],
        published_at=datetime(2024, 6, 10, 12, tzinfo=UTC),
    )
    PostFactory.create(title="Kafka draft", status=Status.DRAFT, published_at=None)
    rebuild_index()


def result_titles(page: BeautifulSoup) -> list[str]:
    return [" ".join(h.get_text().split()) for h in page.select(".search-result__title")]


@pytest.mark.usefixtures("kafka_posts")
@pytest.mark.parametrize(
    ("address", "page_two"),
    [("/?s=kafka", "/?s=kafka&page=2"), ("/search/?q=kafka", "/search/?q=kafka&page=2")],
)
def test_both_addresses_show_ranked_results(client: Client, address: str, page_two: str) -> None:
    response = client.get(address)
    page = parse(response)
    assert page.select_one("h1").get_text() == "Search results for “kafka”"
    assert page.title.get_text() == "Search results for “kafka” · Liner Notes Engineering"
    first = result_titles(page)
    assert len(first) == 2
    assert page.select_one("#search-status").get_text(strip=True) == (
        "3 results for “kafka”, page 1 of 2."
    )
    assert page.select_one(".pagination a[rel=next]")["href"] == page_two
    assert response.context["noindex"] is True
    assert response["X-Robots-Tag"] == "noindex"
    second = parse(client.get(page_two))
    assert sorted(first + result_titles(second)) == [
        "Kafka consumer lag",
        "Kafka in 2022",
        "Kafka in 2023",
    ]
    assert second.select_one(".pagination [aria-current=page]").get_text() == "2"


@pytest.mark.usefixtures("kafka_posts")
def test_a_result_shows_title_date_bylines_categories_and_marked_snippet(client: Client) -> None:
    result = parse(client.get("/search/?q=lag")).select_one(".search-result")
    link = result.select_one(".search-result__title a")
    assert link["href"] == Post.objects.get(title="Kafka consumer lag").get_absolute_url()
    assert link.get_text() == "Kafka consumer lag"
    assert [m.get_text() for m in link.select("mark")] == ["lag"]
    assert result.select_one("time")["datetime"].startswith("2024-03-05T12:00:00")
    assert result.select_one("time").get_text() == "March 5, 2024"
    assert result.select_one(".byline").get_text() == "Ada Okafor, Staff Engineer"
    assert [a.get_text() for a in result.select(".chip")] == ["Data", "Web"]
    snippet = result.select_one(".search-result__snippet")
    assert [m.get_text() for m in snippet.select("mark")] == ["lag"]


@pytest.mark.usefixtures("kafka_posts")
def test_filter_choices_follow_the_content(client: Client, settings: LazySettings) -> None:
    def years() -> list[str]:
        page = parse(client.get("/search/?q=kafka"))
        return [str(o["value"]) for o in page.select("select[name=year] option") if o["value"]]

    settings.LINERNOTES_PAGE_CACHE_SECONDS = 0  # the choices' own cache, not the page's
    assert years() == ["2024", "2023", "2022"]
    PostFactory.create(title="Kafka in 2019", published_at=datetime(2019, 5, 1, tzinfo=UTC))
    assert years() == ["2024", "2023", "2022", "2019"]
    Post.objects.get(title="Kafka in 2019").delete()
    assert years() == ["2024", "2023", "2022"]


@pytest.mark.usefixtures("kafka_posts")
def test_filters_are_selects_that_keep_their_choice(client: Client) -> None:
    response = client.get("/search/?q=kafka&category=web&year=2023")
    page = parse(response)
    assert result_titles(page) == ["Kafka in 2023"]
    form = page.select_one("form.search-form")
    assert (form["method"], form["action"]) == ("get", "/search/")
    options = {
        select["name"]: [(o["value"], o.has_attr("selected")) for o in select.select("option")]
        for select in form.select("select")
    }
    assert options["category"] == [("", False), ("data", False), ("web", True)]
    assert options["author"] == [("", False), ("ada-okafor", False)]
    assert options["year"] == [("", False), ("2024", False), ("2023", True), ("2022", False)]
    assert page.select_one(".search-filters__clear")["href"] == "/search/?q=kafka"
    assert page.select_one("#search-status").get_text(strip=True) == (
        "1 result for “kafka” in Web from 2023."
    )


@pytest.mark.usefixtures("kafka_posts")
@pytest.mark.parametrize(
    "query",
    [
        "q=kafka&category=nope",
        "q=kafka&author=nobody",
        "q=kafka&year=20x4",
        "q=kafka&year=0000",
        "q=kafka&page=9",
        "q=kafka&page=0",
        "q=kafka&page=two",
        "q=kafka&category=%00",
    ],
)
def test_filters_and_pages_that_name_nothing_are_not_found(client: Client, query: str) -> None:
    assert client.get(f"/search/?{query}").status_code == 404


@pytest.mark.usefixtures("kafka_posts")
def test_no_results_suggest_recent_posts_and_categories(client: Client) -> None:
    response = client.get("/?s=zeppelin")
    page = parse(response)
    assert result_titles(page) == []
    assert page.select_one("#search-empty-heading").get_text() == "No posts match"
    assert page.select_one("#search-status").get_text(strip=True) == "No results for “zeppelin”."
    recent = [a.get_text() for a in page.select(".search-suggestions__posts a")]
    assert recent == ["Unrelated", "Kafka consumer lag", "Kafka in 2023", "Kafka in 2022"]
    assert "Kafka draft" not in recent
    categories = [a["href"] for a in page.select(".search-suggestions__categories a")]
    assert categories == ["/category/data/", "/category/web/"]
    assert response.context["noindex"] is True


@pytest.mark.usefixtures("kafka_posts")
def test_an_empty_search_invites_a_query(client: Client) -> None:
    page = parse(client.get("/search/"))
    assert page.select_one("h1").get_text() == "Search"
    assert page.title.get_text() == "Search · Liner Notes Engineering"
    assert page.select_one("#search-empty-heading").get_text() == "Looking for something?"
    assert page.select_one("#search-status").get_text(strip=True) == ""


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "NEAR(", "a\x00b", "x" * 5000, "AND OR", "title:*", "^", "<script>x</script>"],
)
def test_hostile_queries_get_a_page(client: Client, query: str) -> None:
    PostFactory.create(title="Kafka")
    rebuild_index()
    response = client.get("/", {"s": query})
    page = parse(response)
    shown = parse_query(query).text
    assert page.select_one("#search-input")["value"] == shown
    assert page.select_one("h1").get_text() == f"Search results for “{shown}”"
    assert "<script>x" not in response.content.decode()


@pytest.mark.usefixtures("kafka_posts")
def test_the_page_costs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries, uncached_pages: None, settings: LazySettings
) -> None:
    settings.LINERNOTES_PAGE_SIZE = 24
    # Ranked hits with their total, marked text; the cards (posts, category links, categories,
    # bylines); the three filter lists; the latest posts of the (hidden) "no results"
    # suggestions; the navigation.
    with django_assert_num_queries(11):
        page = parse(client.get("/search/?q=kafka"))
    assert len(result_titles(page)) == 3
    assert page.select_one("#search-empty").has_attr("hidden")


def test_the_header_has_a_labelled_search_form(client: Client) -> None:
    page = parse(client.get("/"))
    form = page.select_one("header form[role=search]")
    assert form["action"] == "/"
    assert form["method"] == "get"
    field = form.select_one("input[name=s]")
    label = form.select_one(f"label[for={field['id']}]")
    assert label.get_text(strip=True) == "Search posts"
    button = form.select_one("button[type=submit]")
    assert button.get_text(strip=True) == "Search"
