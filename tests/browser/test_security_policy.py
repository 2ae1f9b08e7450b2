"""The Content-Security-Policy in a real browser: no page, and nothing its scripts do, breaks it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

# Recorded by the page itself, from before its first script runs.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    yield page
    context.close()


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.cspViolations")
    return found


def test_public_pages_and_their_scripts_keep_to_the_policy(watched: Page, demo_url: str) -> None:
    page = watched
    page.goto(demo_url + "/")
    page.get_by_role("link", name="Load More").click()
    # Locators, not wait_for_function, whose string predicate needs eval (which the CSP bans).
    page.locator("#cards .card").nth(24).wait_for()
    page.locator('[data-filter="data"]').click()
    page.wait_for_url(demo_url + "/?category=data")
    assert violations(page) == []
    # A post with a table (aligned cells), footnotes, task lists and highlighted code.
    page.goto(demo_url + "/2026/10/tables-footnotes-and-task-lists/")
    assert page.locator(".post__body table").count() > 0
    assert violations(page) == []
    page.goto(demo_url + "/search/")
    page.locator("#search-input").press_sequentially("kubernet", delay=40)
    page.wait_for_selector(".search-result__title a")
    assert violations(page) == []
    page.goto(demo_url + "/about/")
    footer = page.locator(".newsletter-signup")
    footer.get_by_label("Email address").fill("csp-reader@example.com")
    footer.get_by_role("button", name="Sign up").click()
    expect(footer.get_by_role("status")).to_contain_text("Check your inbox")
    assert violations(page) == []


def test_the_admin_keeps_to_the_policy(watched: Page, demo_url: str) -> None:
    page = watched
    page.goto(demo_url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "liner-notes-demo")
    page.click("input[type=submit]")
    page.wait_for_url(demo_url + "/admin/")
    for path in ["/admin/content/post/", "/admin/content/post/add/", "/admin/content/category/"]:
        page.goto(demo_url + path)
        assert violations(page) == [], path
