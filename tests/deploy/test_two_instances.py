"""Two web servers behind one address, as docs/deploy.md scales out: two `linernotes serve`
instances, each with its own var folder and port, sharing one PostgreSQL database and one
Redis, with a `linernotes worker` on each.

What the readers and staff of such a site rely on: a post published through one is on the
other within the page cache's promise (a second), the signup limit counts requests to both,
a sign-in on one is a sign-in on both and so is a lockout, and two workers send a newsletter
to every subscriber exactly once.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from shutil import copytree

import psycopg
import pytest

from linernotes.site.freshness import CHECK_SECONDS
from tests.deploy.instances import Browser, Instance
from tests.deploy.shared_services import claimed_redis_database, scratch_postgres_database
from tests.newsletter.processes import sign_up, wait_for
from tests.newsletter.smtp_sink import SmtpSink
from tests.processes import clean_environment, free_port

SIGNUPS_PER_IP = 5
LOGIN_FAILURE_LIMIT = 3
SUBSCRIBERS = 40
PASSWORD = "a-long-shared-test-password"
SET_UP = f"""
from django.contrib.auth import get_user_model
from linernotes.content.models import Category, Post, Status
Post.objects.create(title="Shared across instances", slug="shared-across-instances",
                    body="Published on one, read on the other.", status=Status.DRAFT)
users = get_user_model()
for name in ("editor-a", "locked-out"):
    users.objects.create_superuser(name, f"{{name}}@example.com", {PASSWORD!r})
"""
PUBLISH = """
from linernotes.content.models import Post
from linernotes.content.services import publish_post
publish_post(post=Post.objects.get(slug="shared-across-instances"))
"""
NEWSLETTER_POST = """
from datetime import timedelta
from django.utils import timezone
from linernotes.content.models import Post, Status
Post.objects.create(title="Sent exactly once", slug="sent-exactly-once", body="Hello.",
                    status=Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=5))
"""


@dataclass(frozen=True)
class Pair:
    a: Instance
    b: Instance
    database_url: str
    sink: SmtpSink


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("two-instances")
    with (
        scratch_postgres_database("linernotes_twoinst") as database_url,
        claimed_redis_database() as redis_url,
    ):
        sink = SmtpSink()
        sink.start()
        ports = free_port(), free_port()
        shared = clean_environment(
            DJANGO_SETTINGS_MODULE="linernotes.config.settings",
            LINERNOTES_ENV_FILE="none",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            # Set on every host alike, as docs/deploy.md says: sessions and links are signed.
            LINERNOTES_SECRET_KEY="two-instances-shared-key-" + "s" * 40,
            # The load balancer's address; plain http, so cookies are not marked secure.
            LINERNOTES_SITE_URL=f"http://127.0.0.1:{ports[0]}",
            LINERNOTES_CLIENT_IP_HEADER="X-Forwarded-For",
            LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP=str(SIGNUPS_PER_IP),
            LINERNOTES_LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            LINERNOTES_NEWSLETTER_RATE="25",
            LINERNOTES_NEWSLETTER_BATCH_SIZE="5",
            LINERNOTES_NEWSLETTER_CLAIM_SECONDS="5",
            LINERNOTES_NEWSLETTER_POLL_SECONDS="1",
        )
        a, b = (
            Instance(name, port, root / name, {**shared, "LINERNOTES_VAR_DIR": str(root / name)})
            for name, port in zip(("a", "b"), ports, strict=True)
        )
        a.var_dir.mkdir()
        a.run("migrate", "--verbosity=0")
        a.run("collectstatic", "--noinput", "--verbosity=0")
        # The same release's static files, as each host's own collectstatic would write them.
        copytree(a.var_dir, b.var_dir)
        a.run("shell", "-c", SET_UP)
        try:
            a.serve()
            b.serve()
            yield Pair(a, b, database_url, sink)
        finally:
            a.stop_all()
            b.stop_all()
            sink.stop()


def test_a_post_published_on_one_is_on_the_other_within_a_second(pair: Pair) -> None:
    reader = Browser()
    assert "Shared across instances" not in reader.get(pair.b.base + "/").text
    # B has the home page cached now; only the content version can tell it to let go.
    cached = reader.opener.open(pair.b.base + "/", timeout=30)
    assert cached.headers["Cache-Status"] == "linernotes; hit"
    cached.close()

    pair.a.run("shell", "-c", PUBLISH)
    # Each process reads the content version at most CHECK_SECONDS after it last did.
    time.sleep(CHECK_SECONDS + 0.5)
    for instance in (pair.b, pair.a):
        home = reader.get(instance.base + "/")
        assert "Shared across instances" in home.text, instance.name


def test_the_signup_limit_counts_requests_to_both(pair: Pair) -> None:
    client = {"X-Forwarded-For": "203.0.113.50"}
    statuses: dict[str, list[int]] = {pair.a.name: [], pair.b.name: []}
    for attempt in range(2 * SIGNUPS_PER_IP):
        instance = (pair.a, pair.b)[attempt % 2]
        status = sign_up(instance.base, f"limit{attempt}@example.org", headers=client)
        statuses[instance.name].append(status)
    every = [status for pair_ in zip(*statuses.values(), strict=True) for status in pair_]
    assert every == [200] * SIGNUPS_PER_IP + [429] * SIGNUPS_PER_IP
    # Each instance let some through and refused others: the count is one count.
    assert all({200, 429} <= set(seen) for seen in statuses.values())


def test_a_sign_in_on_one_is_a_sign_in_on_the_other(pair: Pair) -> None:
    editor = Browser()
    assert editor.sign_in(pair.a.base, "editor-a", PASSWORD).status == 302
    admin = editor.get(pair.b.base + "/admin/")
    assert admin.status == 200
    assert "editor-a" in admin.text
    stranger = Browser().get(pair.b.base + "/admin/")
    assert (stranger.status, stranger.location.split("?")[0]) == (302, "/admin/login/")


def test_a_lockout_on_one_holds_on_the_other(pair: Pair) -> None:
    attacker = Browser(client_address="198.51.100.77")
    answers = [
        attacker.sign_in(pair.a.base, "locked-out", f"wrong-{n}").status
        for n in range(LOGIN_FAILURE_LIMIT)
    ]
    # The form again with the error, until the last failure allowed locks the pair out.
    assert answers == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]
    # Even the right password is refused now, on the other instance too.
    assert attacker.sign_in(pair.b.base, "locked-out", PASSWORD).status == 429
    # The lockout is of that address: the account itself still signs in from elsewhere.
    elsewhere = Browser(client_address="192.0.2.10")
    assert elsewhere.sign_in(pair.b.base, "locked-out", PASSWORD).status == 302


def delivery_states(database_url: str) -> Counter[str]:
    with psycopg.connect(database_url) as database:
        rows = database.execute(
            "SELECT d.state, count(*) FROM newsletter_delivery d"
            " JOIN content_post p ON p.id = d.post_id"
            " WHERE p.slug = 'sent-exactly-once' GROUP BY d.state"
        ).fetchall()
    return Counter(dict(rows))


def test_two_workers_send_a_newsletter_exactly_once(pair: Pair, tmp_path: Path) -> None:
    pair.a.run("shell", "-c", NEWSLETTER_POST)
    readers = [f"reader{n:02d}@example.com" for n in range(SUBSCRIBERS)]
    (tmp_path / "readers.csv").write_text(
        "email,consent\n" + "".join(f"{email},yes\n" for email in readers), encoding="utf-8"
    )
    pair.a.run("newsletter", "import", str(tmp_path / "readers.csv"))
    assert f"Queued {SUBSCRIBERS} new" in pair.a.run(
        "newsletter", "send", "--post", "sent-exactly-once"
    )
    workers = [instance.start("worker", "--interval", "0.2") for instance in (pair.a, pair.b)]

    def post_received() -> list[str]:
        return [
            address
            for received in pair.sink.received
            if "Sent exactly once" in str(received.message["Subject"])
            for address in received.recipients
        ]

    wait_for(lambda: set(post_received()) == set(readers), 120, "every subscriber")
    wait_for(lambda: delivery_states(pair.database_url) == {"sent": SUBSCRIBERS}, 60, "records")
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    assert Counter(post_received()) == dict.fromkeys(readers, 1)
    # Nothing else they sent (confirmations of earlier signups, the post published earlier)
    # went twice either.
    sent = Counter(
        (address, str(received.message["Subject"]))
        for received in pair.sink.received
        for address in received.recipients
    )
    assert set(sent.values()) == {1}
    # Both took part: each ran a sender while the other was sending.
    for instance, worker in zip((pair.a, pair.b), workers, strict=True):
        assert "send_deliveries" in instance.output_of(worker), instance.name
