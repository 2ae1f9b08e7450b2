"""Sending to a real SMTP server: the messages, failures, retries, and a server that goes down."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.db import connection
from django.utils import timezone

from linernotes.newsletter import emails, mailings
from linernotes.newsletter.emails import message_id_for
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Source,
    Subscriber,
    SubscriberState,
)
from linernotes.newsletter.sending import (
    SUSPECT_RUN,
    claim_batch,
    retry_delay,
    send_due_deliveries,
)
from linernotes.newsletter.tokens import Purpose, make_token
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber, html_part, text_part
from tests.newsletter.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

BODY = """An opening paragraph that links to [the archive](/category/data/) and [a note](#notes).

![A chart](/media/chart.png)

```python
def answer() -> int:
    return 42
```

## Notes {#notes}

The end.
"""


def make_due() -> None:
    Delivery.objects.filter(state=DeliveryState.QUEUED).update(next_attempt_at=timezone.now())


@dataclass(frozen=True)
class SentPost:
    message: EmailMessage
    mail_from: str
    delivery: Delivery
    post_url: str
    unsubscribe_url: str


@pytest.fixture
def sent_post(smtp_sink: SmtpSink, make_subscriber: MakeSubscriber) -> SentPost:
    """One post with links, an image and code, sent to one subscriber through real SMTP."""
    data = CategoryFactory.create(name="Data", slug="data")
    post = PostFactory.create(
        title="Counting plays at scale",
        body=BODY,
        categories=[data],
        authors=[AuthorFactory.create(name="Ada Lovelace")],
        published_at=timezone.now(),
    )
    subscriber = make_subscriber("reader@example.com")
    mailings.queue_post_delivery(post)
    report = send_due_deliveries()
    assert (report.sent, report.failed) == (1, 0)
    [received] = smtp_sink.received
    assert received.recipients == ["reader@example.com"]
    token = make_token(subscriber, Purpose.UNSUBSCRIBE)
    return SentPost(
        message=received.message,
        mail_from=received.mail_from,
        delivery=Delivery.objects.get(),
        post_url=f"https://blog.example.com{post.get_absolute_url()}",
        unsubscribe_url=f"https://blog.example.com/newsletter/unsubscribe/{token}/",
    )


def test_a_post_email_has_the_right_headers(sent_post: SentPost) -> None:
    message = sent_post.message
    assert message["Subject"] == "Counting plays at scale"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Liner Notes Engineering",
        "newsletter@blog.example.com",
    )
    assert sent_post.mail_from == "newsletter@blog.example.com"
    assert message["Reply-To"] == "editors@blog.example.com"
    assert message["To"] == "reader@example.com"
    assert message["Message-ID"] == message_id_for(sent_post.delivery)
    assert message["Message-ID"] == sent_post.delivery.message_id
    # Long headers are folded onto a continuation line; unfolding leaves the leading space.
    assert message["List-Unsubscribe"].strip() == f"<{sent_post.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"


def test_a_post_email_is_themed_html_with_absolute_links(sent_post: SentPost) -> None:
    html = BeautifulSoup(html_part(sent_post.message), "lxml")
    assert html.select_one("h1").get_text(strip=True) == "Counting plays at scale"
    hrefs = [a["href"] for a in html.select("a[href]")] + [img["src"] for img in html("img")]
    assert all(link.startswith(("https://", "http://")) for link in hrefs), hrefs
    assert f"{sent_post.post_url}#notes" in hrefs
    assert "https://blog.example.com/category/data/" in hrefs
    assert "https://blog.example.com/media/chart.png" in hrefs
    assert sent_post.unsubscribe_url in hrefs
    assert not html.select("style")  # the theme's CSS is inlined into style attributes
    assert "color" in html.select_one("h1 a")["style"]
    assert html.select_one(".highlight .k")["style"]  # highlighted code keeps its colours
    assert "Ada Lovelace" in html.select_one(".meta").get_text()


def test_a_post_email_has_a_plain_text_part(sent_post: SentPost) -> None:
    text = text_part(sent_post.message)
    assert sent_post.post_url in text
    assert "def answer() -> int:\n    return 42" in text
    assert sent_post.unsubscribe_url in text
    assert "<p>" not in text


def test_link_posts_and_summaries_send_the_summary(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    settings.LINERNOTES_NEWSLETTER_FULL_POSTS = False
    post = PostFactory.create(summary="What we learned.", body=BODY, published_at=timezone.now())
    link = PostFactory.create(
        summary="Elsewhere.",
        external_url="https://engineering.example.org/a-story",
        published_at=timezone.now(),
    )
    make_subscriber("reader@example.com")
    mailings.queue_post_delivery(post)
    mailings.queue_post_delivery(link)
    send_due_deliveries()
    by_subject = {r.message["Subject"]: r.message for r in smtp_sink.received}
    summary = BeautifulSoup(html_part(by_subject[post.title]), "lxml")
    assert "What we learned." in summary.get_text()
    assert "return 42" not in summary.get_text()
    assert summary.select_one("a.button").get_text(strip=True) == "Read the post"
    linked = BeautifulSoup(html_part(by_subject[link.title]), "lxml")
    button = linked.select_one("a.button")
    assert button["href"] == "https://engineering.example.org/a-story"
    assert button.get_text(strip=True) == "Read the full article on engineering.example.org"


def test_sending_twice_delivers_once(smtp_sink: SmtpSink, make_subscriber: MakeSubscriber) -> None:
    for number in range(3):
        make_subscriber(f"reader{number}@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    mailings.queue_post_delivery(post)
    send_due_deliveries()
    mailings.queue_post_delivery(post, retry_failed=True)
    send_due_deliveries()
    assert Counter(r.recipients[0] for r in smtp_sink.received) == {
        "reader0@example.com": 1,
        "reader1@example.com": 1,
        "reader2@example.com": 1,
    }


def test_a_refused_address_fails_with_the_reason_and_bounces(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber
) -> None:
    make_subscriber("fine@example.com")
    nobody = make_subscriber("nobody@example.com")
    smtp_sink.refuse("nobody@example.com", "550 5.1.1 No such user here")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    report = send_due_deliveries()
    assert (report.sent, report.failed) == (1, 1)
    failed = Delivery.objects.get(subscriber=nobody)
    assert failed.state == DeliveryState.FAILED
    assert failed.last_error == "550 5.1.1 No such user here"
    nobody.refresh_from_db()
    assert nobody.state == SubscriberState.BOUNCED
    event = nobody.events.get()
    assert (event.source, event.detail) == (Source.SMTP, "550 5.1.1 No such user here")
    assert [r.recipients for r in smtp_sink.received] == [["fine@example.com"]]


def test_a_transient_refusal_is_retried_with_backoff_then_given_up(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    settings.LINERNOTES_NEWSLETTER_MAX_ATTEMPTS = 3
    make_subscriber("busy@example.com")
    smtp_sink.refuse("busy@example.com", "451 4.2.1 Mailbox busy, try later")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)

    before = timezone.now()
    assert send_due_deliveries().retrying == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 1)
    assert delivery.last_error == "451 4.2.1 Mailbox busy, try later"
    assert delivery.next_attempt_at >= before + timedelta(seconds=60)
    assert send_due_deliveries().claimed == 0  # not due yet

    make_due()
    send_due_deliveries()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=110)

    make_due()
    assert send_due_deliveries().failed == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error == "gave up after 3 attempts: 451 4.2.1 Mailbox busy, try later"
    assert smtp_sink.received == []


def test_the_backoff_doubles_up_to_a_ceiling(settings: LazySettings) -> None:
    settings.LINERNOTES_NEWSLETTER_RETRY_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == timedelta(hours=6)


def thirty_readers_owed_a_post(
    make_subscriber: MakeSubscriber, settings: LazySettings
) -> list[str]:
    """Thirty subscribers with a post queued for each, sent in batches of ten."""
    settings.LINERNOTES_NEWSLETTER_BATCH_SIZE = 10
    addresses = [f"reader{number:02d}@example.com" for number in range(30)]
    for address in addresses:
        make_subscriber(address)
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))
    return addresses


def test_a_server_that_goes_down_mid_batch_loses_and_repeats_nothing(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    """The fault test: stop the server after 12 of 30 messages, resume, count at the server."""
    addresses = thirty_readers_owed_a_post(make_subscriber, settings)

    smtp_sink.go_down_after(12)
    report = send_due_deliveries()
    assert report.sent == 12
    assert report.server_error.startswith("421")
    assert len(smtp_sink.received) == 12
    states = Counter(Delivery.objects.values_list("state", flat=True))
    assert states == {DeliveryState.SENT: 12, DeliveryState.QUEUED: 18}
    assert not Delivery.objects.exclude(claim_token="").exists()  # claims released

    smtp_sink.stop()  # now the server is gone altogether
    make_due()
    unreachable = send_due_deliveries()
    assert unreachable.sent == 0
    assert "ConnectionRefusedError" in unreachable.server_error
    assert Delivery.objects.filter(state=DeliveryState.QUEUED).count() == 18
    assert not Delivery.objects.filter(state=DeliveryState.FAILED).exists()

    smtp_sink.go_down_after(None)
    smtp_sink.start()
    make_due()
    resumed = send_due_deliveries()
    assert resumed.sent == 18
    per_recipient = Counter(r.recipients[0] for r in smtp_sink.received)
    assert per_recipient == dict.fromkeys(addresses, 1)
    ids = [r.message_id for r in smtp_sink.received]
    assert len(set(ids)) == 30
    assert set(ids) == set(Delivery.objects.values_list("message_id", flat=True))
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_server_killed_mid_batch_loses_and_repeats_nothing(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    """The server dies with the connection open after 12 of 30 messages; then it comes back."""
    addresses = thirty_readers_owed_a_post(make_subscriber, settings)

    smtp_sink.crash_after(12)
    report = send_due_deliveries()
    assert report.sent == 12
    assert report.server_error.startswith("SMTPServerDisconnected")
    assert smtp_sink.crashed.wait(timeout=10)  # really gone
    queued = Delivery.objects.filter(state=DeliveryState.QUEUED)
    assert queued.count() == 18
    # The server's death is not the messages' fault: none of them used up an attempt.
    assert set(queued.values_list("attempts", flat=True)) == {0}

    smtp_sink.crash_after(None)
    smtp_sink.start()
    make_due()
    assert send_due_deliveries().sent == 18
    assert Counter(r.recipients[0] for r in smtp_sink.received) == dict.fromkeys(addresses, 1)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_message_that_cannot_be_built_does_not_hold_up_the_rest(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, monkeypatch: pytest.MonkeyPatch
) -> None:
    for address in ("one@example.com", "broken@example.com", "two@example.com"):
        make_subscriber(address)
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))
    build = emails.newsletter_message

    def build_or_fail(delivery: Delivery, *args: Any) -> Any:
        if delivery.subscriber.email == "broken@example.com":
            raise ValueError("a template error")
        return build(delivery, *args)

    monkeypatch.setattr(emails, "newsletter_message", build_or_fail)
    report = send_due_deliveries()
    assert (report.sent, report.retrying, report.server_error) == (2, 1, "")
    assert sorted(r.recipients[0] for r in smtp_sink.received) == [
        "one@example.com",
        "two@example.com",
    ]
    broken = Delivery.objects.get(subscriber__email="broken@example.com")
    assert (broken.state, broken.attempts) == (DeliveryState.QUEUED, 1)
    assert broken.last_error == "ValueError: a template error"
    assert broken.next_attempt_at > timezone.now()


def test_the_same_unclear_failure_for_several_messages_stops_the_batch(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(6):
        make_subscriber(f"reader{number}@example.com")
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))

    def always_fail(*args: Any) -> Any:
        raise KeyError("site_name")

    monkeypatch.setattr(emails, "newsletter_message", always_fail)
    report = send_due_deliveries()
    assert report.server_error == "KeyError: 'site_name'"
    assert report.retrying == SUSPECT_RUN
    # Three tries used up an attempt each; the rest wait untouched, and nothing failed.
    attempts = Counter(Delivery.objects.values_list("attempts", flat=True))
    assert attempts == {1: SUSPECT_RUN, 0: 6 - SUSPECT_RUN}
    assert not Delivery.objects.exclude(state=DeliveryState.QUEUED).exists()
    assert smtp_sink.received == []


def test_senders_never_share_deliveries(make_subscriber: MakeSubscriber) -> None:
    for number in range(8):
        make_subscriber(f"reader{number}@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    first, second = claim_batch("a" * 32, 5), claim_batch("b" * 32, 5)
    assert len(first) == 5
    assert len(second) == 3
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert claim_batch("c" * 32, 5) == []
    # A sender that died leaves claims that lapse; another sender then takes its deliveries.
    Delivery.objects.filter(claim_token="a" * 32).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert {d.pk for d in claim_batch("c" * 32, 10)} == {d.pk for d in first}


def test_a_subscriber_who_left_before_sending_is_skipped(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber
) -> None:
    leaving = make_subscriber("leaving@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    Subscriber.objects.filter(pk=leaving.pk).update(state=SubscriberState.UNSUBSCRIBED)
    assert send_due_deliveries().cancelled == 1
    assert Delivery.objects.get().last_error == "the subscriber is no longer active (unsubscribed)"
    assert smtp_sink.received == []


class StoppedClock:
    """A clock that moves only when the sender sleeps, recording each sleep it asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_the_rate_setting_paces_messages(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    settings.LINERNOTES_NEWSLETTER_RATE = 20  # messages per second: 50 ms apart
    for number in range(5):
        make_subscriber(f"reader{number}@example.com")
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))
    clock = StoppedClock()
    assert send_due_deliveries(clock=clock).sent == 5
    # The first message goes at once; each of the others waits for its slot, 50 ms later.
    assert clock.sleeps == pytest.approx([0.05] * 4)
    assert len(smtp_sink.received) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_each_message_once(
    smtp_sink: SmtpSink, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite's test database is in memory")
    settings.LINERNOTES_NEWSLETTER_BATCH_SIZE = 7
    settings.LINERNOTES_NEWSLETTER_RATE = 300  # per sender, so no one sender finishes alone
    addresses = [f"reader{number:03d}@example.com" for number in range(120)]
    for address in addresses:
        make_subscriber(address)
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))

    def sender() -> int:
        try:
            return send_due_deliveries().sent
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(lambda _: sender(), range(4)))
    assert sum(sent) == 120
    assert sum(1 for count in sent if count) > 1  # the work really was shared
    assert Counter(r.recipients[0] for r in smtp_sink.received) == dict.fromkeys(addresses, 1)
