"""A scheduled post goes live through a real `linernotes worker`, with no request to the site,
and its newsletter goes out once, then."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

from tests.newsletter.processes import Site, wait_for
from tests.newsletter.smtp_sink import SmtpSink

READERS = 5
SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from linernotes.content import services
from linernotes.content.models import Post
post = Post.objects.create(title="Out on time", slug="out-on-time", body="Hello.")
services.publish_post(post=post, at=timezone.now() + timedelta(seconds=3))
print(post.status)
"""
HOME_PAGE = """
from django.test import Client
page = Client().get("/", HTTP_HOST="blog.example.com").content.decode()
print("Out on time" in page)
"""


def status_of(database: Path, slug: str) -> str:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT status FROM content_post WHERE slug = ?", [slug]).fetchone()
        return str(row[0])


def test_the_worker_publishes_a_scheduled_post_and_mails_it_once(tmp_path: Path) -> None:
    sink = SmtpSink()
    sink.start()
    site = Site(tmp_path, sink)
    site.env["LINERNOTES_DEBUG"] = "true"  # pages without collected static files
    try:
        site.run("migrate", "--verbosity=0")
        rows = "".join(f"reader{n}@example.com,yes\n" for n in range(READERS))
        (tmp_path / "readers.csv").write_text("email,consent\n" + rows, encoding="utf-8")
        site.run("newsletter", "import", str(tmp_path / "readers.csv"))
        assert site.run("shell", "--no-imports", "-c", SCHEDULE).strip() == "scheduled"
        assert site.run("shell", "--no-imports", "-c", HOME_PAGE).strip() == "False"
        worker = site.start_worker()
        try:
            wait_for(lambda: status_of(site.database, "out-on-time") == "published", 60, "live")
            wait_for(lambda: len(sink.received) >= READERS, 60, "the newsletter")
            assert site.run("shell", "--no-imports", "-c", HOME_PAGE).strip() == "True"
            # Ten more of the worker's checks (every 0.2 s) later, still one message each.
            time.sleep(2)
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        per_reader = Counter(message.recipients[0] for message in sink.received)
        assert per_reader == {f"reader{n}@example.com": 1 for n in range(READERS)}
    finally:
        sink.stop()
