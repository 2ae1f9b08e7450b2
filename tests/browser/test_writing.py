"""The writing screen in Chromium: a writer types Markdown and sees the published page beside it."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from linernotes.content.markdown import render_markdown
from tests.browser.conftest import sign_in
from tests.browser.test_security_policy import violations

pytestmark = pytest.mark.browser

BODY_LINES = [
    "Shipping on a Friday is fine when the rollback is **one click**.",
    "",
    "## The checklist",
    "",
    "```python",
    "def rollback(release):",
    "    return release.previous",
    "```",
]


def type_body(page: Page, lines: list[str]) -> None:
    editor = page.locator(".field-body .CodeMirror")
    editor.click()
    for line in lines:
        # CodeMirror continues lists and indents code itself; typed line by line, as a person.
        page.keyboard.type(line)
        page.keyboard.press("Enter")
        page.keyboard.press("Home")


def test_writing_a_post_shows_the_published_page_beside_the_text(
    writer: Page, demo_url: str
) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    page.fill("#id_title", "Friday deploys")
    type_body(page, BODY_LINES)
    preview = page.frame_locator("iframe.editor-preview-frame")
    expect(preview.locator("h1#post-title")).to_have_text("Friday deploys")
    expect(preview.locator(".post__body strong")).to_have_text("one click")
    expect(preview.locator(".post__body h2")).to_contain_text("The checklist")
    expect(preview.locator(".post__body .highlight")).to_have_count(1)
    # The source keeps what was typed, for the form to save; the counts are the pipeline's.
    source = page.locator("textarea[name=body]").input_value()
    assert "**one click**" in source
    words = render_markdown(source).word_count
    expect(page.locator(".editor-statusbar .word-count")).to_have_text(f"{words} words")
    expect(page.locator(".editor-statusbar .reading-time")).to_have_text("1 min read")
    assert violations(page) == []


def test_toolbar_and_shortcuts_format_the_selection(writer: Page, demo_url: str) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    type_body(page, ["careful"])
    page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+b")
    page.get_by_role("button", name="Code block").focus()
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    body = page.locator("textarea[name=body]")
    expect(body).to_have_value("**careful**\n")


def test_distraction_free_mode_and_narrow_screens_stack_the_preview(
    browser: Browser, demo_url: str
) -> None:
    context = browser.new_context(viewport={"width": 700, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_url, "author")
        page.goto(demo_url + "/admin/content/post/add/")
        page.get_by_role("button", name="Preview beside the text").click()
        preview = page.locator(".editor-preview-side")
        editor = page.locator(".field-body .CodeMirror")
        expect(preview).to_be_visible()
        # Stacked: the preview starts below the text, not beside it.
        text_box, preview_box = editor.bounding_box(), preview.bounding_box()
        assert text_box is not None
        assert preview_box is not None
        assert preview_box["y"] >= text_box["y"] + text_box["height"] - 1
        page.get_by_role("button", name="Focus: distraction-free writing").click()
        expect(page.locator(".EasyMDEContainer .CodeMirror-fullscreen")).to_be_visible()
    finally:
        context.close()


def test_the_writing_screen_has_no_accessibility_violations(writer: Page, demo_url: str) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    page.locator(".editor-statusbar .word-count").filter(has_text="word").wait_for()
    results = Axe().run(page, context={"include": [["#content-main"]]})
    problems = [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]
    assert problems == [], "\n".join(problems)
