"""The search result and social card previews of a post's admin page, redrawn as an editor types."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_security_policy import RECORD_VIOLATIONS, violations

pytestmark = pytest.mark.browser

META_TITLE = "Shipping on Fridays, safely"
LONG_TITLE = "Shipping on Fridays, safely, with one-click rollbacks and a checklist"


@pytest.fixture
def editor(browser: Browser, demo_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    sign_in(page, demo_url, "editor")
    yield page
    context.close()


def open_seo_fields(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/admin/content/post/")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_url("**/change/")
    page.locator("fieldset.seo-fields summary").click()
    expect(page.locator("#id_meta_title")).to_be_visible()


def test_typing_a_meta_title_updates_the_previews(editor: Page, demo_url: str) -> None:
    page = editor
    open_seo_fields(page, demo_url)
    search = page.get_by_role("region", name="As a search result")
    card = page.get_by_role("region", name="As a social card")
    post_title = page.locator("#id_title").input_value()
    # Before anything is typed: the post's own title, with the site's name.
    expect(search.locator("[data-seo-title]")).to_contain_text(post_title)
    expect(card.locator("[data-seo-card-title]")).to_have_text(post_title)

    meta_title = page.locator("#id_meta_title")
    meta_title.fill("")
    meta_title.press_sequentially(META_TITLE, delay=10)
    expect(search.locator("[data-seo-title]")).to_have_text(META_TITLE)
    expect(card.locator("[data-seo-card-title]")).to_have_text(META_TITLE)
    lengths = page.get_by_role("region", name="Lengths")
    expect(lengths.locator("[data-seo-title-length]")).to_have_text(
        f"The title has {len(META_TITLE)} characters; search results show about 60."
    )
    warning = lengths.locator("[data-seo-title-warning]")
    expect(warning).to_have_text("")

    meta_title.fill(LONG_TITLE)
    expect(warning).to_have_text(
        "Longer than 60 characters: search results may cut the title short."
    )
    meta_title.fill(META_TITLE)
    expect(warning).to_have_text("")
    # The field is described by its count.
    described = meta_title.get_attribute("aria-describedby") or ""
    assert "seo-title-length" in described.split()

    description = page.locator("#id_meta_description")
    description.fill("What we check before a Friday release, and how we undo one.")
    expect(search.locator("[data-seo-snippet]")).to_have_text(
        "What we check before a Friday release, and how we undo one."
    )
    expect(card.locator("[data-seo-card-description]")).to_have_text(
        "What we check before a Friday release, and how we undo one."
    )
    page.locator("#id_canonical_url").fill("https://original.example.org/fridays")
    expect(search.locator("[data-seo-canonical-note]")).to_be_visible()
    expect(search.locator("[data-seo-canonical]")).to_have_text(
        "https://original.example.org/fridays"
    )
    assert violations(page) == []


def test_the_fieldset_and_its_previews_have_no_accessibility_violations(
    editor: Page, demo_url: str
) -> None:
    page = editor
    open_seo_fields(page, demo_url)
    page.locator("#id_meta_title").fill(LONG_TITLE)
    expect(page.locator("[data-seo-title-warning]")).not_to_have_text("")
    results = Axe().run(page, context={"include": [["fieldset.seo-fields"]]})
    problems = [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]
    assert problems == [], "\n".join(problems)
