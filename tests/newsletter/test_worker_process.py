"""`linernotes worker` as a real process, sending to a real SMTP server, stopped mid-send.

Each test sets up its own SQLite database file through the command line (migrate, a post,
a CSV import, `newsletter send`), so the worker processes share nothing with the test run.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.newsletter.processes import Site, answers, sign_up, wait_for
from tests.newsletter.smtp_sink import SmtpSink
from tests.processes import free_port

SUBSCRIBERS = 60
CREATE_POST = """
from datetime import timedelta
from django.utils import timezone
from linernotes.content.models import Post, Status
Post.objects.create(
    title="Delivered exactly once", slug="exactly-once", body="Hello.",
    status=Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=5),
)
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, SmtpSink]]:
    sink = SmtpSink()
    sink.start()
    installation = Site(tmp_path, sink)
    installation.run("migrate", "--verbosity=0")
    installation.run("shell", "-c", CREATE_POST)
    rows = "".join(f"reader{n:02d}@example.com,yes\n" for n in range(SUBSCRIBERS))
    (tmp_path / "subscribers.csv").write_text("email,consent\n" + rows, encoding="utf-8")
    installation.run("newsletter", "import", str(tmp_path / "subscribers.csv"))
    assert "Queued 60 new" in installation.run("newsletter", "send", "--post", "exactly-once")
    try:
        yield installation, sink
    finally:
        sink.stop()


def stop(worker: subprocess.Popen[bytes], how: signal.Signals) -> int:
    worker.send_signal(how)
    return worker.wait(timeout=30)


def everyone_received(sink: SmtpSink) -> bool:
    return len({r.recipients[0] for r in sink.received}) == SUBSCRIBERS


def test_a_worker_asked_to_stop_finishes_its_message_and_another_finishes_the_send(
    site: tuple[Site, SmtpSink],
) -> None:
    installation, sink = site
    worker = installation.start_worker()
    wait_for(lambda: len(sink.received) >= 10, 60, "the first messages")
    assert stop(worker, signal.SIGTERM) == 0
    accepted = len(sink.received)
    assert accepted < SUBSCRIBERS  # it stopped mid-send...
    assert installation.delivery_states() == {"sent": accepted, "queued": SUBSCRIBERS - accepted}

    successor = installation.start_worker()
    wait_for(lambda: everyone_received(sink), 60, "every subscriber")
    assert stop(successor, signal.SIGTERM) == 0
    per_recipient = Counter(r.recipients[0] for r in sink.received)
    assert set(per_recipient.values()) == {1}  # ...and nobody got the post twice
    assert installation.delivery_states() == {"sent": SUBSCRIBERS}


def test_a_killed_worker_loses_nothing_and_repeats_at_most_its_message_in_hand(
    site: tuple[Site, SmtpSink],
) -> None:
    installation, sink = site
    worker = installation.start_worker()
    wait_for(lambda: len(sink.received) >= 15, 60, "the first messages")
    assert stop(worker, signal.SIGKILL) == -signal.SIGKILL
    assert len(sink.received) < SUBSCRIBERS

    successor = installation.start_worker()  # picks up once the dead worker's claims lapse
    wait_for(lambda: everyone_received(sink), 60, "every subscriber")
    assert stop(successor, signal.SIGTERM) == 0
    assert installation.delivery_states() == {"sent": SUBSCRIBERS}
    by_recipient: dict[str, list[str]] = {}
    for received in sink.received:
        by_recipient.setdefault(received.recipients[0], []).append(received.message_id)
    repeated = {address: ids for address, ids in by_recipient.items() if len(ids) > 1}
    # The one message a kill can repeat is the one accepted but not yet recorded; its copy
    # carries the same Message-ID, so it can be recognised.
    assert len(repeated) <= 1
    assert all(len(set(ids)) == 1 for ids in repeated.values())
    assert len(sink.received) <= SUBSCRIBERS + 1


def test_signups_succeed_while_a_worker_writes_to_the_same_sqlite_file(
    site: tuple[Site, SmtpSink],
) -> None:
    installation, sink = site
    port = free_port()
    installation.env["LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP"] = "1000"
    # Plain http here, so cookies (the CSRF one among them) must not be marked secure.
    installation.env["LINERNOTES_SITE_URL"] = f"http://127.0.0.1:{port}"
    installation.run("collectstatic", "--noinput", "--verbosity=0")  # pages name hashed files
    with (installation.root / "server.log").open("ab") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "linernotes.cli",
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            env=installation.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = installation.start_worker()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(base), 60, "the server")
        wait_for(lambda: len(sink.received) >= 5, 60, "the worker to be sending")
        emails = [f"new{n:02d}@example.org" for n in range(40)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda email: sign_up(base, email), emails))
        assert statuses == [200] * len(emails)
        # The worker sends the post and every confirmation email, each once.
        wait_for(lambda: len(sink.received) >= SUBSCRIBERS + len(emails), 60, "every email")
        assert stop(worker, signal.SIGTERM) == 0
        recipients = Counter(r.recipients[0] for r in sink.received)
        assert {address for address in recipients if address.startswith("new")} == set(emails)
        assert set(recipients.values()) == {1}
    finally:
        server.terminate()
        server.wait(timeout=10)
        if worker.poll() is None:
            stop(worker, signal.SIGTERM)
