"""axe-core on every kind of public page, on a desktop and a phone, in light and dark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "home filtered": "/?category=data",
    # Highlighted code, a table, footnotes and task lists.
    "post": "/2026/10/tables-footnotes-and-task-lists/",
    "category page 2": "/category/platform/page/2/",
    "author": "/author/lin-park/",
    "static page": "/about/",
    "search results": "/?s=markdown",
    "not found": "/no-such-page/",
}
WIDTHS = {"desktop": 1280, "phone": 375}
SCHEMES: tuple[Literal["light"], Literal["dark"]] = ("light", "dark")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(
    scope="module",
    params=[(width, scheme) for width in WIDTHS for scheme in SCHEMES],
    ids=lambda param: "-".join(param),
)
def context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    width, scheme = request.param
    made = browser.new_context(
        viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme
    )
    yield made
    made.close()


@pytest.fixture
def tab(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    yield page
    page.close()


def problems(results: dict[str, Any]) -> list[str]:
    """Each violation with the elements it was found on and why, to read in a failure."""
    found = []
    for violation in results["violations"]:
        nodes = "; ".join(
            f"{node['target']} {node.get('failureSummary', '')}".replace("\n", " ")
            for node in violation["nodes"]
        )
        found.append(f"{violation['id']} ({violation['impact']}): {nodes}")
    return found


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(tab: Page, axe: Axe, demo_url: str, path: str) -> None:
    response = tab.goto(demo_url + path)
    assert response is not None
    assert response.status == (404 if path == "/no-such-page/" else 200)
    assert tab.locator("main h1").count() == 1
    results = axe.run(tab)
    assert results.response["passes"], "axe checked nothing"
    assert problems(results.response) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_with_the_phone_menu_open(
    browser: Browser, axe: Axe, demo_url: str, scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(
        viewport={"width": WIDTHS["phone"], "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(demo_url + "/")
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert problems(axe.run(page).response) == []
    context.close()
