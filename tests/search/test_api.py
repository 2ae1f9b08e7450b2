"""The JSON API at /api/search, which the live search box also uses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import LazySettings
from django.test import Client

from linernotes.content import services
from linernotes.search.backends.base import SearchBackend
from linernotes.search.indexer import rebuild_index
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

SITE = "https://blog.example.com"


@pytest.fixture
def posts(backend: SearchBackend, settings: LazySettings) -> None:
    settings.LINERNOTES_SITE_URL = SITE
    settings.LINERNOTES_PAGE_SIZE = 2
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web", slug="web")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor", role="Staff Engineer")
    tomas = AuthorFactory.create(name="Tomás Reyes", slug="tomas-reyes", role="")
    post = PostFactory.create(
        title="Kafka consumer lag",
        slug="kafka-consumer-lag",
        summary="How we keep up.",
        body="We measured the kafka consumer lag <em>every</em> minute.",
        categories=[web, data],
        published_at=datetime(2024, 3, 5, 12, tzinfo=UTC),
    )
    PostFactory.create(title="Kafka brokers", body="More kafka.", categories=[data])
    PostFactory.create(title="Kafka partitions", body="Even more kafka.")
    services.set_post_bylines(
        post=post,
        credits=[services.Credit(author=ada), services.Credit(author=tomas, role="Reviewer")],
    )
    rebuild_index()


def get_json(client: Client, query: str, status: int = 200) -> dict[str, Any]:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["X-Robots-Tag"] == "noindex"
    payload: dict[str, Any] = json.loads(response.content)
    return payload


@pytest.mark.usefixtures("posts")
def test_results_carry_everything_a_result_shows(client: Client) -> None:
    payload = get_json(client, "q=lag")
    keys = ("query", "has_words", "count", "page", "pages", "next")
    assert {key: payload[key] for key in keys} == {
        "query": "lag",
        "has_words": True,
        "count": 1,
        "page": 1,
        "pages": 1,
        "next": None,
    }
    (result,) = payload["results"]
    assert result["title"] == "Kafka consumer lag"
    assert result["title_html"] == "Kafka consumer <mark>lag</mark>"
    assert result["url"] == f"{SITE}/2024/03/kafka-consumer-lag/"
    assert datetime.fromisoformat(result["published"]) == datetime(2024, 3, 5, 12, tzinfo=UTC)
    assert result["excerpt"] == "How we keep up."
    assert result["snippet"].count("<mark>") == 1
    assert "<mark>lag</mark>" in result["snippet"]
    assert "<em>" not in result["snippet"]  # body text, not HTML
    assert result["authors"] == [
        {"name": "Ada Okafor", "url": f"{SITE}/author/ada-okafor/", "role": "Staff Engineer"},
        {"name": "Tomás Reyes", "url": f"{SITE}/author/tomas-reyes/", "role": "Reviewer"},
    ]
    assert result["categories"] == [
        {"name": "Web", "url": f"{SITE}/category/web/"},
        {"name": "Data", "url": f"{SITE}/category/data/"},
    ]


@pytest.mark.usefixtures("posts")
def test_pages_link_to_the_next_one(client: Client) -> None:
    first = get_json(client, "q=kafka&category=data")
    assert (first["count"], first["pages"], len(first["results"])) == (2, 1, 2)
    everything = get_json(client, "q=kafka")
    assert (everything["count"], everything["pages"]) == (3, 2)
    next_url = urlsplit(everything["next"])
    assert f"{next_url.scheme}://{next_url.netloc}{next_url.path}" == f"{SITE}/api/search"
    assert parse_qs(next_url.query) == {"q": ["kafka"], "page": ["2"]}
    second = get_json(client, f"{next_url.query}")
    assert second["page"] == 2
    assert second["next"] is None
    titles = [r["title"] for r in everything["results"] + second["results"]]
    assert sorted(titles) == ["Kafka brokers", "Kafka consumer lag", "Kafka partitions"]


@pytest.mark.usefixtures("posts")
def test_partial_queries_match_the_word_being_typed(client: Client) -> None:
    assert get_json(client, "q=partitio")["count"] == 0
    typed = get_json(client, "q=partitio&partial=1")
    assert [r["title"] for r in typed["results"]] == ["Kafka partitions"]


@pytest.mark.usefixtures("posts")
def test_an_empty_query_has_no_results(client: Client) -> None:
    payload = get_json(client, "q=")
    assert (payload["count"], payload["results"], payload["next"]) == (0, [], None)
    exclusions = get_json(client, "q=-kafka")
    assert (exclusions["count"], exclusions["has_words"]) == (0, False)


@pytest.mark.usefixtures("posts")
@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("q=kafka&category=nope", 400, "No category 'nope'."),
        ("q=kafka&author=nobody", 400, "No author 'nobody'."),
        ("q=kafka&year=abcd", 400, "Not a valid year: 'abcd'."),
        ("q=kafka&page=two", 400, "The page must be a whole number from 1."),
        ("q=kafka&page=3", 404, "No such page."),
    ],
)
def test_bad_parameters_are_explained(
    client: Client, query: str, status: int, message: str
) -> None:
    assert get_json(client, query, status) == {"error": message}


@pytest.mark.usefixtures("posts")
def test_the_api_costs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, uncached_pages: None
) -> None:
    # The category filter; ranked hits with their total, marked text; the cards (posts,
    # category links, categories, bylines).
    with django_assert_num_queries(7):
        payload = get_json(client, "q=kafka&category=data")
    assert len(payload["results"]) == 2
