"""Helpers for tests that run the site in processes of its own and talk to it over HTTP."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from bs4 import BeautifulSoup

from tests.newsletter.smtp_sink import SmtpSink


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


class Site:
    """A throwaway installation: its own var directory, database and settings."""

    def __init__(self, root: Path, sink: SmtpSink) -> None:
        self.root = root
        self.database = root / "site.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
            "LINERNOTES_VAR_DIR": str(root),
            "DATABASE_URL": f"sqlite:///{self.database}",
            "LINERNOTES_SITE_URL": "https://blog.example.com",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "LINERNOTES_NEWSLETTER_RATE": "25",
            "LINERNOTES_NEWSLETTER_BATCH_SIZE": "10",
            "LINERNOTES_NEWSLETTER_CLAIM_SECONDS": "2",
            "LINERNOTES_NEWSLETTER_POLL_SECONDS": "1",
        }

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "linernotes.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start_worker(self) -> subprocess.Popen[bytes]:
        with (self.root / "worker.log").open("ab") as log:  # the child keeps its own copy
            return subprocess.Popen(
                [sys.executable, "-m", "linernotes.cli", "worker", "--interval", "0.2"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def delivery_states(self) -> Counter[str]:
        with sqlite3.connect(self.database) as db:
            rows = db.execute("SELECT state, count(*) FROM newsletter_delivery GROUP BY state")
            return Counter(dict(rows.fetchall()))
