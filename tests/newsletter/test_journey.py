"""The whole journey against a real SMTP server, with real commits (no test transaction):
sign up, confirm from the email, publish, receive, unsubscribe in one click, hear nothing more.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from linernotes.content import services as content
from linernotes.content.models import Category, Status
from linernotes.newsletter.models import Source, Subscriber, SubscriberState
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import html_part, text_part, urls_in
from tests.newsletter.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://blog.example.com"
    return parts.path


def sign_up_and_confirm(reader: Client, sink: SmtpSink, topic: Category) -> None:
    signed_up = reader.post("/newsletter/", {"email": "Reader@Example.com", "topics": [topic.pk]})
    assert signed_up.status_code == 302
    [confirmation] = sink.to("reader@example.com")
    assert confirmation.message["Subject"] == "Confirm your subscription to Liner Notes Engineering"
    confirm_url = next(
        url for url in urls_in(text_part(confirmation.message)) if "/confirm/" in url
    )
    html_link = BeautifulSoup(html_part(confirmation.message), "lxml").select_one("a.button")
    assert html_link["href"] == confirm_url
    assert reader.get(path_of(confirm_url)).status_code == 200
    assert reader.post(path_of(confirm_url)).status_code == 302


def test_signup_confirm_publish_receive_unsubscribe(smtp_sink: SmtpSink) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    # A topic is offered once its category has something published.
    PostFactory.create(title="An earlier post", categories=[data])
    sign_up_and_confirm(Client(), smtp_sink, data)
    assert Subscriber.objects.get().state == SubscriberState.ACTIVE

    post = PostFactory.create(
        title="How we count plays", status=Status.DRAFT, published_at=None, categories=[data]
    )
    content.publish_post(post=post)
    assert len(smtp_sink.to("reader@example.com")) == 2
    received = smtp_sink.to("reader@example.com")[-1].message
    assert received["Subject"] == "How we count plays"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = received["List-Unsubscribe"].strip().strip("<>")

    # What a mail provider does for RFC 8058: a POST with no cookie and no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    answer = provider.post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert [event.source for event in subscriber.events.all()] == [
        Source.SIGNUP,
        Source.CONFIRMATION,
        Source.ONE_CLICK,
    ]

    later = PostFactory.create(
        title="Nothing more", status=Status.DRAFT, published_at=None, categories=[data]
    )
    content.publish_post(post=later)
    assert len(smtp_sink.to("reader@example.com")) == 2
    assert len(smtp_sink.received) == 2
