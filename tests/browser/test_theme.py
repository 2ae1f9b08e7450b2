"""The theme in Chromium: the header on phones, the home page's first screen, post bodies
(code blocks, task lists, footnotes) and related posts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 375, "height": 812}
# The demo post with code, a table, footnotes and task lists.
POST = "/2026/10/tables-footnotes-and-task-lists/"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def focused_class(page: Page) -> str:
    name: str = page.evaluate("document.activeElement.className")
    return name


def test_on_a_phone_the_header_is_one_row_and_its_menu_folds(phone: Page, demo_url: str) -> None:
    phone.goto(demo_url + "/")
    assert box(phone.locator(".site-header"))["height"] < 80
    toggle = phone.get_by_role("button", name="Menu")
    nav = phone.get_by_role("navigation", name="Main")
    search = phone.locator(".site-header").get_by_role("search")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "site-menu")
    expect(nav).to_be_hidden()
    expect(search).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(search).to_be_visible()
    expect(nav.get_by_role("link", name="Blog", exact=True)).to_be_visible()
    # The menu follows the button in the tab order; Escape closes it and focus goes back.
    phone.keyboard.press("Tab")
    assert focused_class(phone) == "site-search__input"
    phone.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert focused_class(phone) == "site-menu-toggle"

    # The keyboard works the button as a button.
    phone.keyboard.press("Enter")
    expect(nav).to_be_visible()
    phone.keyboard.press("Space")
    expect(nav).to_be_hidden()
    toggle.click()
    nav.get_by_role("link", name="About this blog").click()
    phone.wait_for_url(demo_url + "/about/")


def test_without_javascript_the_phone_header_shows_its_links(
    browser: Browser, demo_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/")
    expect(page.locator(".site-menu-toggle")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".site-header").get_by_role("search")).to_be_visible()
    context.close()


def test_wide_screens_show_the_menu_without_a_button(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/")
    expect(page.locator(".site-menu-toggle")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert box(page.locator(".site-header"))["height"] < 80


def test_on_a_phone_the_first_card_starts_on_the_first_screen(phone: Page, demo_url: str) -> None:
    phone.goto(demo_url + "/")
    card = box(phone.locator("#cards > li").first)
    # Enough of it to see its picture, not just a sliver.
    assert card["y"] + 80 < PHONE["height"]
    # The filter is one row of chips that scrolls sideways.
    chips = phone.locator(".filter__item")
    tops = {round(box(chips.nth(n))["y"]) for n in range(chips.count())}
    assert len(tops) == 1
    overflow = phone.locator(".filter__list").evaluate(
        "list => list.scrollWidth - list.clientWidth"
    )
    assert overflow > 0
    # A chip past the edge is scrolled into view once chosen, and filters as before.
    chip = phone.locator('[data-filter="web"]')
    chip.click()
    phone.wait_for_url(demo_url + "/?category=web")
    expect(phone.locator(".filter__heading")).to_have_text("Web")
    listed, shown = box(phone.locator(".filter__list")), box(chip)
    assert listed["x"] <= shown["x"]
    assert shown["x"] + shown["width"] <= listed["x"] + listed["width"]


@pytest.fixture
def clipboard_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    yield tab
    context.close()


def first_code_block(page: Page, demo_url: str) -> tuple[str, str]:
    """The first code block's language label and its code."""
    page.goto(demo_url + POST)
    block = page.locator(".post__body .highlight").first
    label: str = block.evaluate("block => getComputedStyle(block, '::before').content")
    code: str = block.locator("code").evaluate("code => code.textContent")
    return label, code


def test_code_blocks_show_their_language_and_copy_their_code(
    clipboard_phone: Page, demo_url: str
) -> None:
    page = clipboard_phone
    label, code = first_code_block(page, demo_url)
    assert label == '"markdown"'
    assert code.startswith("| Page")
    pre = page.locator(".post__body pre").first
    assert pre.evaluate("pre => getComputedStyle(pre).tabSize") == "4"

    button = page.locator(".post__body .highlight").first.locator(".code-copy")
    expect(button).to_have_accessible_name("Copy code")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Copied")
    expect(page.get_by_role("status")).to_have_attribute("aria-live", "polite")
    expect(button).to_have_text("Copied code")
    assert page.evaluate("navigator.clipboard.readText()") == code.removesuffix("\n")


def test_copying_falls_back_to_the_selection(browser: Browser, demo_url: str) -> None:
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    # A browser that refuses the asynchronous clipboard, as one may outside a secure page.
    context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
    )
    page = context.new_page()
    _, code = first_code_block(page, demo_url)
    page.locator(".post__body .code-copy").first.click()
    expect(page.get_by_role("status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == code.removesuffix("\n")
    context.close()


def test_wide_code_blocks_and_tables_can_be_scrolled_from_the_keyboard(
    phone: Page, demo_url: str
) -> None:
    phone.goto(demo_url + POST)
    scrollers = phone.locator(".post__body pre, .post__body table")
    seen = scrollers.evaluate_all(
        """elements => elements.map((element) => ({
            scrolls: element.scrollWidth > element.clientWidth + 1,
            tabindex: element.getAttribute("tabindex"),
            role: element.getAttribute("role"),
            name: element.getAttribute("aria-label"),
            tag: element.tagName,
        }))"""
    )
    wide = [element for element in seen if element["scrolls"]]
    assert [element for element in wide if element["tag"] == "PRE"]
    for element in seen:
        assert (element["tabindex"] == "0") == element["scrolls"], element
    blocks = [element for element in wide if element["tag"] == "PRE"]
    assert {element["role"] for element in blocks} == {"region"}
    names = [element["name"] for element in blocks]
    assert len(set(names)) == len(names)
    assert names[0].startswith("Code block 1")

    first = phone.locator(".post__body pre[tabindex='0']").first
    first.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: wait for the block to move rather than read it at once.
    phone.wait_for_function(
        "() => document.querySelector(\".post__body pre[tabindex='0']\").scrollLeft > 0",
        timeout=5000,
    )
    assert first.evaluate("pre => pre.scrollLeft") > 0


CHECKBOX_COLOURS = """
() => {
  const page = getComputedStyle(document.body).backgroundColor;
  const accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  const probe = document.createElement("span");
  probe.style.color = accent;
  document.body.append(probe);
  const accentColour = getComputedStyle(probe).color;
  probe.remove();
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const done = style(".task-list-item-checkbox:checked");
  const open = style(".task-list-item-checkbox:not(:checked)");
  return {
    page, accent: accentColour,
    done: done.backgroundColor, doneImage: done.backgroundImage,
    open: open.backgroundColor, openImage: open.backgroundImage, openBorder: open.borderTopColor,
  };
}
"""


def luminance(colour: str) -> float:
    channels = [float(value) / 255 for value in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_done_and_open_tasks_look_different(page: Page, demo_url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(demo_url + POST)
    colours = page.evaluate(CHECKBOX_COLOURS)
    # A done task's box is filled with the accent and ticked; an open one is empty.
    assert colours["done"] == colours["accent"]
    assert "url(" in colours["doneImage"]
    assert colours["open"] == colours["page"]
    assert colours["openImage"] == "none"
    # Both boxes stand out from the page as much as controls must (WCAG 1.4.11).
    assert contrast(colours["done"], colours["page"]) >= 3
    assert contrast(colours["openBorder"], colours["page"]) >= 3


LINE_GAPS = """
(paragraph) => {
  // The tops of the lines of the paragraph's own text (footnote references left out).
  const tops = new Set();
  for (const node of paragraph.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) tops.add(Math.round(rect.top * 10) / 10);
  }
  const sorted = Array.from(tops).sort((a, b) => a - b);
  return {
    gaps: sorted.slice(1).map((top, index) => top - sorted[index]),
    lineHeight: parseFloat(getComputedStyle(paragraph).lineHeight),
  };
}
"""


def test_footnotes_have_one_rule_and_their_references_keep_lines_even(
    phone: Page, demo_url: str
) -> None:
    phone.goto(demo_url + POST)
    rule = phone.locator(".post__body hr.footnotes-sep")
    expect(rule).to_be_visible()
    assert rule.evaluate("hr => parseFloat(getComputedStyle(hr).borderTopWidth)") >= 1
    section = phone.locator(".post__body section.footnotes")
    assert section.evaluate("s => getComputedStyle(s).borderTopStyle") == "none"

    paragraphs = phone.locator(".post__body p:has(> sup.footnote-ref)")
    assert paragraphs.count() >= 3
    for index in range(paragraphs.count()):
        measured = paragraphs.nth(index).evaluate(LINE_GAPS)
        height = measured["lineHeight"]
        assert measured["gaps"], "the paragraph should run over several lines"
        for gap in measured["gaps"]:
            # Every line is one line height below the last (or a few, past a line of links).
            assert abs(gap - round(gap / height) * height) < 1, measured


def test_related_posts_sit_in_the_article_column_and_fill_their_row(
    page: Page, demo_url: str
) -> None:
    page.goto(demo_url + POST)
    article, related = box(page.locator("article.post")), box(page.locator("section.related"))
    grid = box(page.locator("section.related .cards"))
    assert abs(related["x"] - article["x"]) <= 1
    assert abs(related["width"] - article["width"]) <= 1
    cards = page.locator("section.related .card")
    boxes = [box(cards.nth(n)) for n in range(cards.count())]
    assert len(boxes) == 3
    # One row of three: no empty cell after the last card.
    assert len({round(found["y"]) for found in boxes}) == 1
    last = boxes[-1]
    assert abs(last["x"] + last["width"] - (grid["x"] + grid["width"])) <= 1
