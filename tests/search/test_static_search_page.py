"""The search page of a static copy: rendered once, empty, for search.js to fill from the
Pagefind index; and the live page, unchanged."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from tests.factories import CategoryFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def posts() -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    for _ in range(3):
        PostFactory.create(categories=[data])


def static_page(client: Client) -> BeautifulSoup:
    with override_settings(LINERNOTES_STATIC_EXPORT=True):
        return parse(client.get("/search/"))


def test_static_search_page_points_the_script_at_pagefind(client: Client) -> None:
    root = static_page(client).select_one("[data-search]")
    assert root["data-pagefind"] == "/pagefind/pagefind.js"
    assert root["data-page"] == "/search/"
    assert not root.has_attr("data-api")


def test_static_search_form_sends_q_to_the_search_page(client: Client) -> None:
    form = static_page(client).select_one("form.search-form")
    assert (form["action"], form["method"]) == ("/search/", "get")
    assert form.select_one("#search-input")["name"] == "q"
    # Pagefind's index holds no category, author or year filters.
    assert not form.select("select, fieldset")
    help_text = form.select_one("#search-help").get_text()
    assert "quotes" not in help_text
    assert "minus" not in help_text
    assert "JavaScript" in form.select_one("noscript").get_text()


def test_static_search_page_keeps_the_parts_the_script_fills(client: Client) -> None:
    page = static_page(client)
    assert page.select_one("#search-status")["role"] == "status"
    assert page.select_one("#search-status").get_text(strip=True) == ""
    assert page.select_one("#search-results").get_text(strip=True) == ""
    empty = page.select_one("#search-empty")
    assert not empty.has_attr("hidden")
    assert empty.select_one('[data-tip="needs-words"]') is not None
    assert empty.select_one('[data-tip="filters"] a')["href"] == "/search/"
    assert len(empty.select(".search-suggestions__posts li")) == 3


def test_live_search_page_is_unchanged(client: Client) -> None:
    before = client.get("/search/").content
    static_page(client)
    assert client.get("/search/").content == before
    root = BeautifulSoup(before, "lxml").select_one("[data-search]")
    assert root["data-api"] == "/api/search"
    assert not root.has_attr("data-pagefind")
    assert [select["name"] for select in root.select("select")] == ["category", "author", "year"]
