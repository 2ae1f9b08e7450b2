"""The announcement bar in Chromium: dismissed once, it stays away until its text changes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import _wait_until_serving
from tests.processes import REPOSITORY, clean_environment, free_port

pytestmark = pytest.mark.browser

ANNOUNCEMENT = "We are hiring: [see the roles](/about/)."


@pytest.fixture(scope="module")
def announcing_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with an announcement, served by gunicorn as in production."""
    var_dir: Path = tmp_path_factory.mktemp("announcing")
    port = free_port()
    env = clean_environment(
        LINERNOTES_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'site.sqlite3'}",
        LINERNOTES_SITE_URL=f"http://127.0.0.1:{port}",
        LINERNOTES_ANNOUNCEMENT=ANNOUNCEMENT,
        LINERNOTES_ENV_FILE="none",
    )
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "-m", "linernotes.cli", *command], env=env, cwd=REPOSITORY, check=True
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "linernotes.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPOSITORY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url + "/", process, seconds=60)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_dismissed_announcement_stays_dismissed_until_a_new_one(
    page: Page, announcing_site: str
) -> None:
    page.goto(announcing_site + "/")
    bar = page.locator(".announcement")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("link", name="see the roles")).to_have_attribute("href", "/about/")
    dismiss = bar.get_by_role("button", name="Dismiss the announcement")
    dismiss.focus()
    page.keyboard.press("Enter")
    expect(bar).to_be_hidden()
    # Focus moves to the page rather than being lost with the bar.
    assert page.evaluate("document.activeElement.id") == "main"

    page.reload()
    expect(bar).to_be_hidden()
    # Never drawn at all: hidden by the time the document is parsed.
    assert page.evaluate("document.documentElement.classList.contains('announcement-dismissed')")
    # The key remembered is this text's; any other announcement is shown again.
    page.evaluate("localStorage.setItem('linernotes:announcement-dismissed', 'an-older-one')")
    page.reload()
    expect(bar).to_be_visible()


def test_without_the_script_the_bar_shows_without_a_button(browser, announcing_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(announcing_site + "/")
        expect(tab.locator(".announcement")).to_be_visible()
        expect(tab.locator(".announcement__dismiss")).to_be_hidden()
    finally:
        context.close()
