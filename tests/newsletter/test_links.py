"""Signed links: confirming, the preference page, unsubscribing (with RFC 8058 one-click)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from linernotes.newsletter.models import (
    Frequency,
    Source,
    SubscriberEvent,
    SubscriberState,
)
from linernotes.newsletter.tokens import Purpose, make_token
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse

pytestmark = pytest.mark.django_db


def soup(response: ClientResponse) -> BeautifulSoup:
    return BeautifulSoup(response.content, "lxml")


def test_confirming_takes_a_deliberate_click(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("reader@example.com", state=SubscriberState.PENDING)
    url = f"/newsletter/confirm/{make_token(subscriber, Purpose.CONFIRM)}/"
    page = client.get(url)
    assert page.status_code == 200
    # Opening the link (as a mail scanner might) changes nothing.
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.PENDING
    button = soup(page).select_one("main form[method=post] button")
    assert button.get_text(strip=True) == "Yes, subscribe me"

    confirmed = client.post(url, follow=True)
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE
    assert subscriber.confirmed_at is not None
    event = subscriber.events.get()
    assert (event.from_state, event.to_state, event.source) == (
        "pending",
        "active",
        Source.CONFIRMATION,
    )
    preferences = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    assert confirmed.redirect_chain == [(preferences, 302)]
    assert "You are subscribed. Welcome!" in soup(confirmed).select_one(".newsletter-messages").text


def test_an_expired_link_offers_a_new_one(
    client: Client,
    make_subscriber: MakeSubscriber,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    subscriber = make_subscriber("late@example.com", state=SubscriberState.PENDING)
    eight_days_ago = time.time() - 8 * 86400
    with monkeypatch.context() as clock:
        clock.setattr("django.core.signing.time.time", lambda: eight_days_ago)
        token = make_token(subscriber, Purpose.CONFIRM)
    response = client.post(f"/newsletter/confirm/{token}/")
    assert response.status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.PENDING
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "This link has expired"
    form = page.select_one("main form")
    assert form["action"] == "/newsletter/confirm/resend/"
    assert form.select_one("input[name=token]")["value"] == token
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post("/newsletter/confirm/resend/", {"token": token})
    assert resent["Location"] == "/newsletter/check-your-inbox/"
    [message] = mail.outbox
    assert message.to == ["late@example.com"]
    fresh_link = next(line for line in message.body.splitlines() if "/confirm/" in line)
    assert (
        client.post(fresh_link.strip().removeprefix("https://blog.example.com")).status_code == 302
    )
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE


def test_links_are_bound_to_their_purpose_and_cannot_be_forged(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("reader@example.com")
    unsubscribe_token = make_token(subscriber, Purpose.UNSUBSCRIBE)
    assert client.get(f"/newsletter/preferences/{unsubscribe_token}/").status_code == 404
    forged = make_token(subscriber, Purpose.PREFERENCES)[:-2] + "xx"
    answer = client.post(f"/newsletter/preferences/{forged}/", {"action": "unsubscribe"})
    assert answer.status_code == 404
    assert soup(answer).select_one("h1").get_text(strip=True) == "This link does not work"
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE


def test_the_preference_page_changes_topics_and_frequency(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web", slug="web")
    PostFactory.create(categories=[data, web])
    subscriber = make_subscriber("reader@example.com")
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    page = soup(client.get(url))
    assert page.select_one("[data-subscriber-state]")["data-subscriber-state"] == "active"
    checked = page.select_one("input[name=frequency][checked]")
    assert checked["value"] == Frequency.IMMEDIATE
    assert page.select("input[name=topics][checked]") == []  # every topic

    saved = client.post(
        url, {"action": "save", "frequency": "weekly", "topics": [str(data.pk)]}, follow=True
    )
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.WEEKLY
    assert not subscriber.all_topics
    assert list(subscriber.topics.all()) == [data]
    page = soup(saved)
    assert page.select_one(".newsletter-messages").get_text(strip=True) == (
        "Your preferences are saved."
    )
    assert page.select_one("input[name=frequency][checked]")["value"] == "weekly"
    assert [box["value"] for box in page.select("input[name=topics][checked]")] == [str(data.pk)]
    event = subscriber.events.get()
    assert event.source == Source.PREFERENCES
    assert event.detail == "topics: Data; frequency: A weekly digest"

    everything = client.post(url, {"action": "save", "frequency": "weekly"})
    assert everything.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.all_topics
    assert not subscriber.topics.exists()


def test_a_bad_frequency_is_shown_not_saved(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("reader@example.com")
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    response = client.post(url, {"action": "save", "frequency": "hourly"})
    assert response.status_code == 400
    assert soup(response).select_one(".newsletter-form__error").get_text(strip=True)
    assert not SubscriberEvent.objects.exists()


def test_unsubscribe_and_resubscribe_from_the_preference_page(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("reader@example.com")
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    page = soup(client.post(url, {"action": "unsubscribe"}, follow=True))
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert page.select_one("button[value=resubscribe]").get_text(strip=True) == "Subscribe again"
    client.post(url, {"action": "resubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE
    history = list(subscriber.events.values_list("from_state", "to_state", "source"))
    assert history == [
        ("active", "unsubscribed", Source.PREFERENCES),
        ("unsubscribed", "active", Source.PREFERENCES),
    ]


def test_the_preference_page_of_a_pending_subscriber_sends_a_new_link_and_confirms_nothing(
    client: Client, make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    subscriber = make_subscriber("reader@example.com", state=SubscriberState.PENDING)
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    page = soup(client.get(url))
    assert page.select_one("button[value=resend]").get_text(strip=True) == (
        "Send me a new confirmation link"
    )
    # The preference link never expires, so it must not confirm: only a confirmation link does.
    client.post(url, {"action": "confirm"})
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "resend"})
    assert response["Location"] == "/newsletter/check-your-inbox/"
    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "/newsletter/confirm/" in message.body
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.PENDING


def test_new_confirmation_links_are_rate_limited(
    client: Client, make_subscriber: MakeSubscriber, settings: Any
) -> None:
    settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS = 2
    subscriber = make_subscriber("reader@example.com", state=SubscriberState.PENDING)
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    statuses = [client.post(url, {"action": "resend"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_opening_the_unsubscribe_link_asks_before_acting(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("reader@example.com")
    url = f"/newsletter/unsubscribe/{make_token(subscriber, Purpose.UNSUBSCRIBE)}/"
    page = soup(client.get(url))
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.ACTIVE
    assert page.select_one("main form button").get_text(strip=True) == "Unsubscribe"
    done = client.post(url)
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert subscriber.events.get().source == Source.UNSUBSCRIBE_PAGE
    assert soup(done).select_one("h1").get_text(strip=True) == "You are unsubscribed"


def test_one_click_unsubscribe_needs_no_cookie_or_token(make_subscriber: MakeSubscriber) -> None:
    subscriber = make_subscriber("reader@example.com")
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF token
    response = mail_client.post(
        f"/newsletter/unsubscribe/{make_token(subscriber, Purpose.UNSUBSCRIBE)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert subscriber.events.get().source == Source.ONE_CLICK


def test_a_chosen_topic_stays_on_offer_while_it_has_nothing_published(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    quiet = CategoryFactory.create(name="Quiet", slug="quiet")
    busy = CategoryFactory.create(name="Busy", slug="busy")
    PostFactory.create(categories=[busy])
    CategoryFactory.create(name="Never chosen", slug="never")
    subscriber = make_subscriber("reader@example.com")
    subscriber.topics.set([quiet])
    url = f"/newsletter/preferences/{make_token(subscriber, Purpose.PREFERENCES)}/"
    page = soup(client.get(url))
    offered = {
        label.get_text(strip=True) for label in page.select(".newsletter-form__topics label")
    }
    assert offered == {"Busy", "Quiet"}
    client.post(url, {"action": "save", "frequency": "immediate", "topics": [str(quiet.pk)]})
    assert list(subscriber.topics.all()) == [quiet]
