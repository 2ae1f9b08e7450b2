from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.conf import LazySettings
from django.utils import timezone

from linernotes.content.models import Category
from linernotes.newsletter.apps import connect_receivers
from linernotes.newsletter.emails import forget_rendered_emails
from linernotes.newsletter.models import Frequency, Subscriber, SubscriberState
from tests.newsletter.smtp_sink import SmtpSink

URL_RE = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def newsletter_fresh_state(settings: LazySettings) -> Iterator[None]:
    """Receivers connected, no cached renderings, a known site URL."""
    settings.LINERNOTES_SITE_URL = "https://blog.example.com"
    settings.DEFAULT_FROM_EMAIL = '"Liner Notes Engineering" <newsletter@blog.example.com>'
    settings.LINERNOTES_NEWSLETTER_REPLY_TO = "editors@blog.example.com"
    connect_receivers()
    forget_rendered_emails()
    yield
    forget_rendered_emails()


@pytest.fixture
def smtp_sink(settings: LazySettings) -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    sink = SmtpSink()
    sink.start()
    for name, value in sink.settings().items():
        setattr(settings, name, value)
    try:
        yield sink
    finally:
        sink.stop()


MakeSubscriber = Callable[..., Subscriber]


@pytest.fixture
def make_subscriber() -> MakeSubscriber:
    def make(
        email: str,
        *,
        state: str = SubscriberState.ACTIVE,
        frequency: str = Frequency.IMMEDIATE,
        topics: Sequence[Category] = (),
    ) -> Subscriber:
        subscriber = Subscriber.objects.create(
            email=email,
            state=state,
            frequency=frequency,
            all_topics=not topics,
            confirmed_at=timezone.now() if state == SubscriberState.ACTIVE else None,
        )
        subscriber.topics.set(topics)
        return subscriber

    return make


def urls_in(text: str) -> list[str]:
    return URL_RE.findall(text)


def text_part(message: Any) -> str:
    """The text/plain body of an email.message.EmailMessage."""
    return str(message.get_body(preferencelist=("plain",)).get_content()).replace("\r\n", "\n")


def html_part(message: Any) -> str:
    return str(message.get_body(preferencelist=("html",)).get_content())
