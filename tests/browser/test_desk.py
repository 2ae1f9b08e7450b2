"""The writing desk in Chromium, as the demo's editor uses it: co-authors in order, autosave
across a reload, a share link opened by someone without an account, restoring a revision."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(browser: Browser, demo_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, demo_url, "editor")
    yield page
    context.close()


def open_post(page: Page, demo_url: str, title: str) -> None:
    page.goto(demo_url + "/admin/content/post/?q=" + title.replace(" ", "+"))
    page.locator("#result_list tbody th a", has_text=title).first.click()
    page.locator(".field-body .CodeMirror").wait_for()


def byline_authors(page: Page) -> list[str]:
    selects = page.locator(
        "#bylines-group .inline-related:not(.empty-form) select[name$='-author']"
    )
    return [
        selects.nth(index).locator("option:checked").inner_text()
        for index in range(selects.count())
    ]


def test_reordering_co_authors_changes_the_published_byline(editor: Page, demo_url: str) -> None:
    page = editor
    open_post(page, demo_url, "Writing your first post")
    assert byline_authors(page) == ["Ada Okafor", "Lin Park"]
    page.get_by_role("button", name="Move Lin Park up").click()
    assert byline_authors(page) == ["Lin Park", "Ada Okafor"]
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert byline_authors(page) == ["Lin Park", "Ada Okafor"]
    page.goto(demo_url + "/2026/10/writing-your-first-post/")
    expect(page.locator(".post__byline")).to_contain_text(re.compile(r"Lin Park.*Ada Okafor"))
    # Dragging works as well as the buttons: Ada back to the front, as the demo had it.
    open_post(page, demo_url, "Writing your first post")
    rows = page.locator("#bylines-group .inline-related:not(.empty-form)")
    rows.nth(1).locator(".byline-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 5})
    assert byline_authors(page) == ["Ada Okafor", "Lin Park"]
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert byline_authors(page) == ["Ada Okafor", "Lin Park"]


def test_autosave_survives_a_reload(editor: Page, demo_url: str) -> None:
    page = editor
    open_post(page, demo_url, "Code blocks that read well")
    page.locator(".field-body .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nA paragraph written just before the tab closed.")
    expect(page.locator(".editor-statusbar .autosave-state")).to_contain_text(
        "Autosaved at", timeout=15_000
    )
    page.reload()
    notice = page.get_by_role("region", name="Unsaved changes")
    expect(notice).to_contain_text("that were not saved")
    notice.get_by_role("button", name="Restore them").click()
    body = page.locator("textarea[name=body]")
    assert body.input_value().endswith("A paragraph written just before the tab closed.")


def test_a_share_link_works_for_someone_without_an_account(
    editor: Page, browser: Browser, demo_url: str
) -> None:
    page = editor
    open_post(page, demo_url, "What we learned from a year of on-call")
    page.get_by_role("button", name="Create a share link").click()
    link = page.get_by_label("Post page").input_value()
    assert "/preview/" in link
    stranger = browser.new_context()
    try:
        visitor = stranger.new_page()
        answer = visitor.goto(link)
        assert answer is not None
        assert answer.status == 200
        expect(visitor.locator("h1#post-title")).to_have_text(
            "What we learned from a year of on-call"
        )
        expect(visitor.get_by_role("complementary", name="Preview")).to_contain_text(
            "readers cannot see it yet"
        )
        assert stranger.cookies() == []
    finally:
        stranger.close()


def test_restoring_a_revision_brings_the_old_text_back(editor: Page, demo_url: str) -> None:
    page = editor
    open_post(page, demo_url, "Moving URLs safely")
    original = page.locator("textarea[name=body]").input_value()
    # The demo's posts were loaded, not saved in the admin: a first save records the original.
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.locator(".field-body .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nA sentence to take back.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.locator("textarea[name=body]").input_value().endswith("A sentence to take back.")
    page.get_by_role("link", name=re.compile("Revisions")).click()
    page.get_by_role("link", name="Restore…").last.click()
    page.get_by_role("button", name=re.compile("Yes, restore revision")).click()
    open_post(page, demo_url, "Moving URLs safely")
    assert page.locator("textarea[name=body]").input_value().rstrip() == original.rstrip()
