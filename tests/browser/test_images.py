"""Images on the writing screen in Chromium: paste, describe and see one; pick from the library."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.test_security_policy import violations

pytestmark = pytest.mark.browser

# A PNG drawn on a canvas in the page, put in a DataTransfer and pasted into the editor as a
# screenshot from the clipboard would be.
PASTE_PNG = """
async ([width, height, colour]) => {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = colour;
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#ffffff";
  context.fillRect(width / 4, height / 4, width / 2, height / 2);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const data = new DataTransfer();
  data.items.add(new File([blob], "screenshot.png", { type: "image/png" }));
  const target = document.querySelector(".field-body .CodeMirror [contenteditable]");
  target.focus();
  target.dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
  );
}
"""


def axe_problems(page: Page, selector: str) -> list[str]:
    seen = len(violations(page))
    results = Axe().run(page, context={"include": [[selector]]})
    # axe adds a <style> of its own, which the policy blocks; that is not the page's doing.
    page.evaluate("(seen) => { window.cspViolations.length = seen; }", seen)
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


def test_a_pasted_image_is_uploaded_described_and_shown(writer: Page, demo_url: str) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    page.fill("#id_title", "Pasted pictures")
    page.locator(".field-body .CodeMirror").click()
    page.keyboard.type("Before the picture.")
    page.keyboard.press("Enter")
    page.evaluate(PASTE_PNG, [640, 360, "#2f4bc7"])
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    assert violations(page) == []
    assert axe_problems(page, "dialog.media-dialog[open]") == []
    dialog.get_by_label("Alt text").fill("A blue square with a white square inside")
    dialog.get_by_role("button", name="Insert image").click()
    expect(dialog).to_be_hidden()
    body = page.locator("textarea[name=body]")
    expect(body).to_have_value(
        re.compile(
            r"!\[A blue square with a white square inside\]\(/media/media/\d{4}/\d{2}/[^)]+\.png\)"
        )
    )
    preview = page.frame_locator("iframe.editor-preview-frame")
    image = preview.locator(".post__body img[alt='A blue square with a white square inside']")
    expect(image).to_have_attribute("src", re.compile(r"^/media/media/"))
    expect(image).to_have_attribute("width", "640")
    expect(page.locator(".editor-statusbar .upload-image")).to_have_text(
        re.compile("Inserted screenshot")
    )
    assert violations(page) == []


def test_a_refused_paste_is_announced_in_the_status_bar(writer: Page, demo_url: str) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    page.locator(".field-body .CodeMirror").click()
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.items.add(new File(["<svg xmlns='http://www.w3.org/2000/svg'/>"], "logo.svg",
            { type: "image/svg+xml" }));
          const target = document.querySelector(".field-body .CodeMirror [contenteditable]");
          target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
        }"""
    )
    status = page.locator(".editor-statusbar .upload-image")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("SVG images are not accepted")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_an_image_is_picked_from_the_library(writer: Page, demo_url: str) -> None:
    page = writer
    page.goto(demo_url + "/admin/content/post/add/")
    page.locator(".field-body .CodeMirror").click()
    page.evaluate(PASTE_PNG, [480, 270, "#0a7a4f"])
    page.get_by_role("dialog", name="Describe the image").get_by_label("Alt text").fill("Green")
    page.get_by_role("button", name="Insert image").click()
    page.get_by_role("button", name="Pick from the media library").click()
    library = page.get_by_role("dialog", name="Media library")
    expect(library).to_be_visible()
    choice = library.get_by_role("button", name=re.compile(r"screenshot.*480 × 270"))
    expect(choice.first).to_be_visible()
    expect(library.get_by_role("status")).to_contain_text("Choose one to insert it")
    assert axe_problems(page, "dialog.media-dialog--library[open]") == []
    # Keyboard only: the choices are buttons in the tab order.
    choice.first.focus()
    page.keyboard.press("Enter")
    describe = page.get_by_role("dialog", name="Describe the image")
    expect(describe).to_be_visible()
    describe.get_by_label("Alt text").fill("The same green picture")
    page.keyboard.press("Enter")
    expect(page.locator("textarea[name=body]")).to_have_value(
        re.compile(r"!\[The same green picture\]\(/media/media/")
    )
    assert violations(page) == []
