"""Search in a real browser: the header form without JavaScript, live results with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def test_the_header_form_searches_without_javascript(browser: Browser, demo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(demo_url + "/")
        field = page.get_by_role("searchbox", name="Search posts")
        field.fill("fleet management")
        field.press("Enter")
        page.wait_for_url(re.compile(r"/\?s=fleet\+management$"))
        expect(page.locator("h1")).to_have_text("Search results for “fleet management”")
        titles = page.locator(".search-result__title")
        expect(titles.first).to_contain_text("Fleet Management at Spotify")
        expect(page.locator(".search-result__snippet mark").first).to_be_visible()
        page.get_by_label("Year").select_option("2023")
        page.get_by_role("button", name="Search", exact=True).last.click()
        page.wait_for_url(re.compile(r"/search/\?q=fleet\+management&category=&author=&year=2023"))
        expect(page.locator("#search-status")).to_contain_text("from 2023")
    finally:
        context.close()


def test_results_update_while_typing(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/search/")
    field = page.locator("#search-input")
    field.press_sequentially("kubernet", delay=40)
    status = page.get_by_role("status")
    expect(status).to_have_text("1 result for “kubernet”.")
    expect(page.locator(".search-result__title a")).to_have_text(
        "Analyzing Volatile Memory on a Google Kubernetes Engine Node"
    )
    # The word being typed is highlighted in the title, as on the server's page.
    expect(page.locator(".search-result__title mark")).to_have_text("Kubernetes")
    expect(page).to_have_url(re.compile(r"/search/\?q=kubernet$"))
    expect(page.locator("h1")).to_have_text("Search results for “kubernet”")

    field.fill("permanent redirec")
    expect(status).to_have_text(re.compile(r"^\d+ results? for “permanent redirec”\.$"))
    first = page.locator(".search-result").first
    expect(first.locator(".search-result__title")).to_have_text("Moving URLs safely")
    expect(first.locator(".search-result__snippet mark").first).to_be_visible()

    field.fill("zeppelin airship")
    expect(status).to_have_text("No results for “zeppelin airship”.")
    expect(page.locator(".search-result")).to_have_count(0)
    # What the server shows when nothing matches comes back in place: tips, posts, categories.
    empty = page.locator("#search-empty")
    expect(empty.locator("h2")).to_have_text("No posts match")
    expect(empty.locator(".search-empty__tips")).to_be_visible()
    expect(empty.locator(".search-suggestions__posts a").first).to_be_visible()
    expect(empty.locator(".search-suggestions__categories a").first).to_be_visible()

    field.fill("-zeppelin")
    expect(empty.get_by_text("Add a word to look for")).to_be_visible()
    field.fill("")
    expect(empty.locator("h2")).to_have_text("Looking for something?")
    expect(empty.locator(".search-empty__tips")).to_be_hidden()

    field.fill("fleet management")
    expect(page.locator(".search-result").first).to_be_visible()
    expect(empty).to_be_hidden()
