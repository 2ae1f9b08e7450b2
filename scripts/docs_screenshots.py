"""Take the screenshots of docs/editing.md from a fresh demo, in Debian's Chromium.

    .venv/bin/python scripts/docs_screenshots.py [--output docs/images]

Starts `linernotes demo` on a free port with its own database, signs in as the demo's editor
and writer accounts, and saves one PNG per screen the guide shows.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "liner-notes-demo"
BODY = [
    "Our deploys used to wait for Monday. Now a rollback is **one click**, so we ship on",
    "any day that has a person awake to watch the graphs.",
    "",
    "## What changed",
    "",
    "```python",
    "def rollback(release):",
    "    return release.previous",
    "```",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_demo(var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "LINERNOTES_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'demo.sqlite3'}",
        "LINERNOTES_SITE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "linernotes.cli", "demo", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the demo did not start")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def writing_screen(page: Page, base: str, output: Path) -> None:
    page.goto(base + "/admin/content/post/add/")
    page.fill("#id_title", "Shipping on a Friday")
    page.locator(".field-body .CodeMirror").click()
    for line in BODY:
        page.keyboard.type(line)
        page.keyboard.press("Enter")
        page.keyboard.press("Home")
    frame = page.frame_locator("iframe.editor-preview-frame")
    frame.locator(".post__body .highlight").wait_for()
    page.locator(".field-body").screenshot(path=output / "writing-screen.png")


def review_queue(page: Page, base: str, output: Path) -> None:
    page.goto(base + "/admin/content/post/?status=review")
    page.locator("#changelist").screenshot(path=output / "waiting-for-review.png")


def share_links(page: Page, base: str, output: Path) -> None:
    page.goto(base + "/admin/content/post/?status=review")
    page.locator("#result_list tbody th a").first.click()
    page.get_by_role("button", name="Create a share link").click()
    page.locator("#share-links").screenshot(path=output / "share-links.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "images")
    output: Path = parser.parse_args().output
    output.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as var, sync_playwright() as playwright:
        server = start_demo(Path(var), port)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            sign_in(page, base, "editor")
            writing_screen(page, base, output)
            review_queue(page, base, output)
            share_links(page, base, output)
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=20)
    print(f"Screenshots in {output}")


if __name__ == "__main__":
    main()
