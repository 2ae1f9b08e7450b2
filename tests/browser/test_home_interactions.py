"""Load More and the category filter, in Chromium, on the demo site."""

from __future__ import annotations

import urllib.request

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CARD_TITLES = "#cards .card__title"


def server_titles(url: str) -> list[str]:
    """Card titles as the server renders them without JavaScript."""
    with urllib.request.urlopen(url, timeout=10) as response:
        page = BeautifulSoup(response.read(), "lxml")
    return [h.get_text(strip=True) for h in page.select(CARD_TITLES)]


def titles(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(CARD_TITLES).all_inner_texts()]


def test_load_more_appends_the_next_page_in_place(page: Page, demo_url: str) -> None:
    first, second = server_titles(demo_url + "/"), server_titles(demo_url + "/page/2/")
    assert len(first) == 24
    assert second

    page.goto(demo_url + "/")
    assert titles(page) == first
    page.get_by_role("link", name="Load More").click()
    # Locators, not wait_for_function: the site's CSP forbids the eval that one needs.
    page.locator(CARD_TITLES).nth(24).wait_for()

    assert titles(page) == first + second
    assert page.url == demo_url + "/"
    # Focus moves to the first new card so keyboard users carry on from there.
    assert page.evaluate("document.activeElement.textContent.trim()") == second[0]
    load_more = page.locator("a[data-load-more]")
    if len(second) == 24:
        assert load_more.get_attribute("href") == "/page/3/"
    else:
        assert load_more.count() == 0


def test_category_filter_swaps_the_grid_and_keeps_the_url(page: Page, demo_url: str) -> None:
    home = server_titles(demo_url + "/")
    data = server_titles(demo_url + "/?category=data")
    assert data
    assert data != home

    page.goto(demo_url + "/")
    page.evaluate("window.notReloaded = true")
    page.locator('[data-filter="data"]').click()
    page.wait_for_url(demo_url + "/?category=data")
    expect(page.locator(".filter__heading")).to_have_text("Data")

    assert titles(page) == data
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no navigation
    assert page.locator('[data-filter="data"]').get_attribute("aria-current") == "page"
    assert page.locator(".featured").is_hidden()

    page.go_back()
    page.wait_for_url(demo_url + "/")
    expect(page.locator(".filter__heading")).to_have_text("Latest posts")
    assert titles(page) == home
    assert page.locator(".featured").is_visible()

    page.go_forward()
    page.wait_for_url(demo_url + "/?category=data")
    expect(page.locator(".filter__heading")).to_have_text("Data")
    assert titles(page) == data

    page.reload()
    assert titles(page) == data
    assert page.locator('[data-filter="data"]').get_attribute("aria-current") == "page"


def test_back_from_an_in_page_link_keeps_the_loaded_cards(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/")
    page.get_by_role("link", name="Load More").click()
    # Locators, not wait_for_function: the site's CSP forbids the eval that one needs.
    page.locator(CARD_TITLES).nth(24).wait_for()
    loaded = titles(page)

    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(demo_url + "/#main")
    page.go_back()
    page.wait_for_url(demo_url + "/")
    page.wait_for_timeout(300)  # a reload of the grid would have replaced it by now
    assert titles(page) == loaded


def server_title(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        page = BeautifulSoup(response.read(), "lxml")
    return page.title.get_text()


def test_the_title_follows_the_filter(page: Page, demo_url: str) -> None:
    home = server_title(demo_url + "/")
    data = server_title(demo_url + "/category/data/")
    assert data != home

    page.goto(demo_url + "/")
    page.locator('[data-filter="data"]').click()
    page.wait_for_url(demo_url + "/?category=data")
    expect(page).to_have_title(data)
    page.locator('[data-filter=""]').click()
    page.wait_for_url(demo_url + "/")
    expect(page).to_have_title(home)
    page.go_back()
    page.wait_for_url(demo_url + "/?category=data")
    expect(page).to_have_title(data)

    # Loaded filtered, "All categories" gives the home page its own title in place.
    page.goto(demo_url + "/?category=data")
    page.evaluate("window.notReloaded = true")
    page.locator('[data-filter=""]').click()
    page.wait_for_url(demo_url + "/")
    expect(page).to_have_title(home)
    assert page.evaluate("window.notReloaded") is True
