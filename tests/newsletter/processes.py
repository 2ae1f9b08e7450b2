"""Helpers for tests that run the site in processes of its own and talk to it over HTTP."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping

from bs4 import BeautifulSoup


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/newsletter/", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def sign_up(base: str, email: str, headers: Mapping[str, str] | None = None) -> int:
    """One reader's signup through the form, as a browser sends it (from the site's own page).

    The answer's status after redirects: 200 for "check your inbox", 429 over a rate limit.
    """
    page = urllib.request.Request(f"{base}/newsletter/", headers=dict(headers or {}))
    with urllib.request.urlopen(page, timeout=30) as response:
        form = BeautifulSoup(response.read(), "lxml").select_one("form[data-newsletter-form]")
    assert form is not None
    data = urllib.parse.urlencode({"email": email})
    sent_from_the_page = {**page.headers, "Origin": base, "Sec-Fetch-Site": "same-origin"}
    post = urllib.request.Request(page.full_url, data=data.encode(), headers=sent_from_the_page)
    try:
        with urllib.request.urlopen(post, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
