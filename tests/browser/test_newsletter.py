"""Signing up and managing a subscription in Chromium, on the demo site with its worker.

The demo sends its email to a real SMTP server run by this test, so the confirmation link is
read from the message the demo's worker actually sent.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import _wait_until_serving
from tests.newsletter.smtp_sink import SmtpSink
from tests.processes import free_port

pytestmark = pytest.mark.browser

CONFIRM_LINK_RE = re.compile(r"https?://\S+/newsletter/confirm/\S+/")


@pytest.fixture(scope="module")
def mail_server() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def newsletter_demo(
    tmp_path_factory: pytest.TempPathFactory, mail_server: SmtpSink
) -> Iterator[str]:
    """``linernotes demo`` (server and worker) sending its email to ``mail_server``."""
    var_dir: Path = tmp_path_factory.mktemp("newsletter-demo")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "LINERNOTES_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'demo.sqlite3'}",
        "LINERNOTES_SITE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.port),
        "LINERNOTES_NEWSLETTER_POLL_SECONDS": "1",
    }
    with (var_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "linernotes.cli", "demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url + "/", process, seconds=90)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def confirmation_link(sink: SmtpSink, address: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for received in sink.to(address):
            body = received.message.get_body(preferencelist=("plain",))
            match = CONFIRM_LINK_RE.search(str(body.get_content()))
            if match:
                return match.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no confirmation email for {address} arrived")


def test_footer_signup_works_in_place(
    page: Page, newsletter_demo: str, mail_server: SmtpSink
) -> None:
    page.goto(newsletter_demo + "/")
    page.evaluate("window.notReloaded = true")
    footer = page.locator(".newsletter-signup")
    field = footer.get_by_label("Email address")

    field.fill("not an address")
    footer.get_by_role("button", name="Sign up").click()
    error = footer.locator(".newsletter-form__error")
    expect(error).to_have_text("Enter a valid email address, like name@example.com.")
    field = footer.get_by_label("Email address")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    described_by = field.get_attribute("aria-describedby") or ""
    assert error.get_attribute("id") in described_by.split()

    field.fill("browser-reader@example.com")
    footer.get_by_role("button", name="Sign up").click()
    result = footer.get_by_role("status")
    expect(result).to_contain_text("Check your inbox")
    expect(result).to_be_focused()
    assert page.evaluate("window.notReloaded") is True  # no page load: swapped in place
    assert page.url == newsletter_demo + "/"
    # The demo's worker sent the confirmation to the mail server.
    assert confirmation_link(mail_server, "browser-reader@example.com").startswith(
        newsletter_demo + "/newsletter/confirm/"
    )


def test_confirm_then_manage_the_subscription(
    page: Page, newsletter_demo: str, mail_server: SmtpSink
) -> None:
    page.goto(newsletter_demo + "/newsletter/")
    page.get_by_label("Email address").fill("preferences@example.com")
    page.get_by_label("Data", exact=True).check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status")).to_contain_text("Check your inbox")

    page.goto(confirmation_link(mail_server, "preferences@example.com"))
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.locator(".newsletter-messages")).to_have_text("You are subscribed. Welcome!")
    expect(page.locator("[data-subscriber-state]")).to_have_text("Active")
    expect(page.get_by_label("Data", exact=True)).to_be_checked()
    expect(page.get_by_label("Each new post")).to_be_checked()

    page.get_by_label("A weekly digest").check()
    page.get_by_label("Mobile", exact=True).check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".newsletter-messages")).to_have_text("Your preferences are saved.")
    page.reload()
    expect(page.get_by_label("A weekly digest")).to_be_checked()
    expect(page.get_by_label("Data", exact=True)).to_be_checked()
    expect(page.get_by_label("Mobile", exact=True)).to_be_checked()

    page.get_by_role("button", name="Unsubscribe from all emails").click()
    expect(page.locator("[data-subscriber-state]")).to_have_text("Unsubscribed")
    page.get_by_role("button", name="Subscribe again").click()
    expect(page.locator("[data-subscriber-state]")).to_have_text("Active")


# Another origin than the demo's 127.0.0.1, as a stranger's site would be; the browser is
# handed the page for it directly, so nothing needs to listen there.
OTHER_SITE = "http://localhost:9"


def test_a_signup_posted_by_another_site_is_refused(
    page: Page, newsletter_demo: str, mail_server: SmtpSink
) -> None:
    victim = "cross-site-victim@example.com"
    # The stranger's page posts the site's signup form as soon as it loads.
    page.route(
        OTHER_SITE + "/trap.html",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<form id="trap" method="post" action="{newsletter_demo}/newsletter/">'
            f'<input name="email" value="{victim}"></form>'
            "<script>document.getElementById('trap').submit()</script>",
        ),
    )
    with page.expect_response(newsletter_demo + "/newsletter/") as answer:
        page.goto(OTHER_SITE + "/trap.html")
    assert answer.value.status == 403
    expect(page.locator("body")).to_contain_text("only be sent from this site")
    # The same address signing up on the site itself does get its email, and it is the only one.
    page.goto(newsletter_demo + "/newsletter/")
    page.get_by_label("Email address").first.fill(victim)
    page.get_by_role("button", name="Sign up").first.click()
    confirmation_link(mail_server, victim)
    assert len(mail_server.to(victim)) == 1
