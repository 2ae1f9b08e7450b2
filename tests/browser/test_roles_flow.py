"""The demo's contributor, editor and author each do their job, end to end, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@contextmanager
def signed_in(browser: Browser, demo_url: str, username: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        sign_in(page, demo_url, username)
        yield page
    finally:
        context.close()


def write(page: Page, demo_url: str, title: str, text: str) -> None:
    page.goto(demo_url + "/admin/content/post/add/")
    page.fill("#id_title", title)
    page.locator(".field-body .CodeMirror").click()
    page.keyboard.type(text)


def test_a_contributor_submits_and_an_editor_publishes(browser: Browser, demo_url: str) -> None:
    title = "Notes from the incident review"
    with signed_in(browser, demo_url, "contributor") as contributor:
        write(contributor, demo_url, title, "What we changed after the outage.")
        status = contributor.get_by_label("Status")
        assert status.locator("option").all_inner_texts() == ["Draft", "In review"]
        status.select_option(label="In review")
        contributor.get_by_role("button", name="Save", exact=True).click()
        expect(contributor.locator(".messagelist .success")).to_be_visible()
        expect(contributor.locator("#result_list")).to_contain_text(title)
    with signed_in(browser, demo_url, "editor") as editor:
        editor.goto(demo_url + "/admin/content/post/?status=review")
        editor.get_by_role("link", name=title).click()
        editor.get_by_label("Status").select_option(label="Published")
        editor.get_by_role("button", name="Save", exact=True).click()
        expect(editor.locator(".messagelist .success")).to_be_visible()
    reader = browser.new_context()
    try:
        page = reader.new_page()
        page.goto(demo_url + "/")
        expect(page.get_by_role("link", name=title).first).to_be_visible()
    finally:
        reader.close()


def test_an_author_publishes_their_own_post(browser: Browser, demo_url: str) -> None:
    title = "Our flaky test budget"
    with signed_in(browser, demo_url, "author") as author:
        write(author, demo_url, title, "A budget of one flaky test per team, and what it bought.")
        author.get_by_label("Status").select_option(label="Published")
        author.get_by_role("button", name="Save", exact=True).click()
        expect(author.locator(".messagelist .success")).to_be_visible()
        author.goto(demo_url + "/")
        expect(author.get_by_role("link", name=title).first).to_be_visible()
