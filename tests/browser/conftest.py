"""The demo site in a real server process, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.processes import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the demo server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the demo server did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``linernotes demo`` on a free port with its own SQLite database."""
    var_dir: Path = tmp_path_factory.mktemp("demo-var")
    port = free_port()
    env = {
        **os.environ,
        # The real settings, not the test suite's (whose database lives in memory).
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "LINERNOTES_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'demo.sqlite3'}",
        "LINERNOTES_SITE_URL": f"http://127.0.0.1:{port}",
    }
    log = (var_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "linernotes.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url + "/", process, seconds=90)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (Debian package 'chromium')")

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Page, demo_url: str, username: str) -> None:
    page.goto(demo_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "liner-notes-demo")
    page.click("input[type=submit]")
    page.wait_for_url(demo_url + "/admin/")


@pytest.fixture
def writer(browser: Browser, demo_url: str) -> Iterator[Page]:
    """The demo's author, signed in, on a page that records policy violations."""
    from tests.browser.test_security_policy import RECORD_VIOLATIONS

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    sign_in(page, demo_url, "author")
    yield page
    context.close()
