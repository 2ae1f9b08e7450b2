"""Weekly digests: when they are due, who gets them, and what is in each one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from linernotes.newsletter import mailings
from linernotes.newsletter.digests import next_digest_time, queue_due_digests
from linernotes.newsletter.models import Delivery, DeliveryState, Digest, Frequency
from linernotes.newsletter.sending import send_due_deliveries
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in June 2026, whose 1st is a Monday."""
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(3, 12), at(8, 9)),  # Wednesday -> next Monday
        (at(8, 8, 59), at(8, 9)),  # Monday morning -> the same morning
        (at(8, 9), at(15, 9)),  # the digest moment itself -> a week later
        (at(14, 23), at(15, 9)),  # Sunday night -> Monday
    ],
)
def test_digests_are_due_each_monday_at_nine(now: datetime, expected: datetime) -> None:
    assert next_digest_time(now) == expected


def test_the_day_and_hour_are_settings(settings: LazySettings) -> None:
    settings.LINERNOTES_NEWSLETTER_DIGEST_WEEKDAY = 4  # Friday
    settings.LINERNOTES_NEWSLETTER_DIGEST_HOUR = 16
    assert next_digest_time(at(3, 12)) == at(5, 16)


def html_of(message: EmailMessage) -> str:
    assert isinstance(message, EmailMultiAlternatives)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(html)


def make_digest_due() -> None:
    Digest.objects.update(period_end=timezone.now() - timedelta(minutes=1))


def test_weekly_readers_get_one_digest_of_their_topics(make_subscriber: MakeSubscriber) -> None:
    data, web = CategoryFactory.create(name="Data"), CategoryFactory.create(name="Web")
    music = CategoryFactory.create(name="Music")
    everything = make_subscriber("all@example.com", frequency=Frequency.WEEKLY)
    make_subscriber("data@example.com", frequency=Frequency.WEEKLY, topics=[data])
    make_subscriber("music@example.com", frequency=Frequency.WEEKLY, topics=[music])
    make_subscriber("instant@example.com")
    first = PostFactory.create(title="Pipelines", categories=[data], published_at=timezone.now())
    second = PostFactory.create(title="Browsers", categories=[web], published_at=timezone.now())
    for post in (first, second):
        mailings.queue_post_delivery(post)
    send_due_deliveries()
    assert sorted(m.to[0] for m in mail.outbox) == ["instant@example.com"] * 2
    mail.outbox.clear()

    assert queue_due_digests(timezone.now()) == []  # not Monday yet
    make_digest_due()
    [(digest, count)] = queue_due_digests(timezone.now())
    assert count == 2  # the weekly reader of every topic, and the one who chose Data
    assert queue_due_digests(timezone.now()) == []  # queued once
    send_due_deliveries()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"all@example.com", "data@example.com"}
    everything_html = html_of(by_address[everything.email])
    titles = [h.get_text(strip=True) for h in BeautifulSoup(everything_html, "lxml")("h2")]
    assert sorted(titles) == ["Browsers", "Pipelines"]
    assert by_address[everything.email].subject == "Liner Notes Engineering: 2 new posts"
    data_html = html_of(by_address["data@example.com"])
    assert [h.get_text(strip=True) for h in BeautifulSoup(data_html, "lxml")("h2")] == ["Pipelines"]
    assert "List-Unsubscribe" in by_address["data@example.com"].extra_headers
    assert set(Delivery.objects.filter(digest=digest).values_list("state", flat=True)) == {
        DeliveryState.SENT
    }


def test_a_post_already_sent_on_its_own_is_left_out(make_subscriber: MakeSubscriber) -> None:
    reader = make_subscriber("switched@example.com")
    post = PostFactory.create(title="Already read", published_at=timezone.now())
    mailings.queue_post_delivery(post)
    send_due_deliveries()
    reader.frequency = Frequency.WEEKLY
    reader.save()
    make_digest_due()
    queue_due_digests(timezone.now())
    report = send_due_deliveries()
    assert report.cancelled == 1
    assert Delivery.objects.get(digest__isnull=False).last_error == (
        "no new posts in the subscriber's topics"
    )
    assert [m.subject for m in mail.outbox] == ["Already read"]


def test_sending_the_digest_early_starts_the_next_one(make_subscriber: MakeSubscriber) -> None:
    make_subscriber("weekly@example.com", frequency=Frequency.WEEKLY)
    early = PostFactory.create(title="Early", published_at=timezone.now())
    mailings.queue_post_delivery(early)
    call_command("newsletter", "digest", "--dry-run")
    assert not Delivery.objects.exists()
    call_command("newsletter", "digest", "--now")
    assert [m.subject for m in mail.outbox] == ["Liner Notes Engineering: 1 new post"]
    late = PostFactory.create(title="Late", published_at=timezone.now())
    mailings.queue_post_delivery(late)
    first, second = Digest.objects.order_by("period_end")
    assert list(first.posts.all()) == [early]
    assert list(second.posts.all()) == [late]
    assert second.period_end == first.period_end + timedelta(days=7)
