"""The signup form: on every page and at /newsletter/, accessible, CSRF-protected, guarded."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.core import mail
from django.test import Client
from django.utils import timezone

from linernotes.newsletter.forms import consent_text
from linernotes.newsletter.models import (
    RateLimitCounter,
    Source,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
)
from linernotes.newsletter.rate_limits import WINDOW_SECONDS
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse

pytestmark = pytest.mark.django_db


def soup(response: ClientResponse) -> BeautifulSoup:
    return BeautifulSoup(response.content, "lxml")


def signup(client: Client, email: str, **extra: str | list[str]) -> ClientResponse:
    return client.post("/newsletter/", {"email": email, "placement": "footer", **extra})


def test_every_page_has_an_accessible_signup_form(client: Client) -> None:
    post = PostFactory.create()
    for path in ("/", post.get_absolute_url()):
        page = soup(client.get(path))
        forms = page.select("form[data-newsletter-form]")
        assert len(forms) == 1
        form = forms[0]
        assert form["action"] == "/newsletter/"
        assert form["method"] == "post"
        # Shared, cached pages: the form is checked by where it is posted from, not by a token.
        assert form.select_one("input[name=csrfmiddlewaretoken]") is None
        field = form.select_one("input[name=email]")
        assert field["type"] == "email"
        assert field.has_attr("required")
        label = form.select_one(f"label[for={field['id']}]")
        assert label.get_text(strip=True) == "Email address"
        consent = page.find(id=field["aria-describedby"].split()[-1])
        assert consent.get_text(strip=True) == consent_text()
        trap = form.select_one("input[name=website]")
        assert trap["tabindex"] == "-1"
        assert trap.find_parent(attrs={"aria-hidden": "true"}) is not None
        heading = page.select_one(".newsletter-signup h2")
        assert heading.get_text(strip=True) == "Sign up for engineering updates"


def test_the_signup_page_offers_topics_and_no_second_form(client: Client) -> None:
    PostFactory.create(
        categories=[
            CategoryFactory.create(name="Data", slug="data"),
            CategoryFactory.create(name="Web", slug="web"),
        ]
    )
    # Nothing published in it yet: not offered.
    CategoryFactory.create(name="Empty", slug="empty")
    page = soup(client.get("/newsletter/"))
    forms = page.select("form[data-newsletter-form]")
    assert len(forms) == 1  # the footer block is left out on newsletter pages
    boxes = forms[0].select("fieldset#topics input[type=checkbox][name=topics]")
    labels = [page.select_one(f"label[for={box['id']}]").get_text(strip=True) for box in boxes]
    assert labels == ["Data", "Web"]
    assert page.select_one("h1").get_text(strip=True) == "Get new posts by email"


def test_an_invalid_address_comes_back_with_a_message_tied_to_the_field(client: Client) -> None:
    response = signup(client, "not an address")
    assert response.status_code == 400
    page = soup(response)
    field = page.select_one("form[data-newsletter-form] input[name=email]")
    assert field["value"] == "not an address"
    assert field["aria-invalid"] == "true"
    error_id = field["aria-describedby"].split()[0]
    error = page.find(id=error_id)
    assert error.get_text(strip=True) == "Enter a valid email address, like name@example.com."
    assert not Subscriber.objects.exists()


def test_javascript_gets_the_form_alone_back(client: Client) -> None:
    response = signup(client, "", fragment="1")
    assert response.status_code == 400
    page = soup(response)
    assert page.body.find().name == "form"  # only the form, to swap in place
    assert page.select_one(".newsletter-form__error").get_text(strip=True) == (
        "Enter your email address."
    )
    done = signup(client, "reader@example.com", fragment="1")
    assert done.status_code == 200
    result = soup(done).select_one("[data-newsletter-result]")
    assert result["role"] == "status"
    assert result.get_text(" ", strip=True).startswith("Check your inbox")


def test_a_new_address_becomes_pending_and_gets_a_confirmation_link(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    PostFactory.create(categories=[data])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletter/", {"email": " Reader@Example.COM ", "topics": [str(data.pk)]}
        )
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.state == SubscriberState.PENDING
    assert list(subscriber.topics.all()) == [data]
    assert not subscriber.all_topics
    event = SubscriberEvent.objects.get()
    assert (event.from_state, event.to_state, event.source) == ("", "pending", Source.SIGNUP)
    assert event.detail == consent_text()
    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "https://blog.example.com/newsletter/confirm/" in message.body


@pytest.mark.parametrize(
    ("state", "emails_sent"),
    [
        (None, 1),  # new: a confirmation
        (SubscriberState.PENDING, 1),  # a reminder to confirm
        (SubscriberState.ACTIVE, 0),  # nothing new
        (SubscriberState.UNSUBSCRIBED, 1),  # back to pending, confirm again
        (SubscriberState.BOUNCED, 1),  # the mailbox may work again: confirm again
        (SubscriberState.COMPLAINED, 0),  # marked us as spam: only their own link brings back
    ],
)
def test_known_addresses_get_the_same_answer_as_new_ones(
    client: Client,
    make_subscriber: MakeSubscriber,
    django_capture_on_commit_callbacks,
    state: str | None,
    emails_sent: int,
) -> None:
    if state:
        make_subscriber("known@example.com", state=state)
    with django_capture_on_commit_callbacks(execute=True):
        page = signup(client, "KNOWN@example.com")
        fragment = signup(client, "known@example.com", fragment="1")
    assert page.status_code == 302
    assert page["Location"] == "/newsletter/check-your-inbox/"
    assert fragment.status_code == 200
    answer = soup(fragment).select_one("[data-newsletter-result]").get_text(" ", strip=True)
    assert answer == (
        "Check your inbox If this address is not subscribed yet, we have sent it a link to "
        "confirm. Open it to start getting new posts."
    )
    assert len(mail.outbox) == 2 * emails_sent
    unchanged = {SubscriberState.ACTIVE, SubscriberState.COMPLAINED}
    expected = state if state in unchanged else SubscriberState.PENDING
    assert Subscriber.objects.get().state == expected


def test_an_active_subscriber_keeps_their_topics(
    client: Client, make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    web = CategoryFactory.create(name="Web", slug="web")
    subscriber = make_subscriber("reader@example.com", topics=[web])
    other = CategoryFactory.create(name="Data", slug="data")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "reader@example.com", topics=[str(other.pk)])
    assert list(subscriber.topics.all()) == [web]
    assert mail.outbox == []


def test_the_honeypot_answers_like_success_and_stores_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "bot@example.com", website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/check-your-inbox/"
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_too_many_signups_from_one_address_get_a_readable_429(
    client: Client, settings: LazySettings
) -> None:
    settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP = 2
    for number in range(2):
        assert signup(client, f"reader{number}@example.com").status_code == 302
    refused = signup(client, "reader9@example.com")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert soup(refused).select_one("h1").get_text(strip=True) == "Too many attempts"
    assert Subscriber.objects.count() == 2
    other_reader = Client(REMOTE_ADDR="192.0.2.7")
    assert signup(other_reader, "someone@example.com").status_code == 302


def test_one_address_signed_up_from_many_places_is_limited(
    settings: LazySettings, django_capture_on_commit_callbacks
) -> None:
    settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS = 2
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            visitor = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
            answers.append(signup(visitor, "victim@example.com").status_code)
    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2  # the address is not flooded with confirmations


def test_a_trusted_proxy_header_names_the_client(settings: LazySettings) -> None:
    settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP = 1
    settings.LINERNOTES_CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    first = signup(proxy, "a@example.com", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = proxy.post(
        "/newsletter/",
        {"email": "b@example.com"},
        HTTP_X_FORWARDED_FOR="203.0.113.1, 203.0.113.2",
    )
    third = proxy.post(
        "/newsletter/", {"email": "c@example.com"}, HTTP_X_FORWARDED_FOR="203.0.113.2"
    )
    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 429]


def test_the_counters_name_no_address(client: Client) -> None:
    assert signup(client, "Reader@Example.com").status_code == 302
    counters = list(RateLimitCounter.objects.values_list("key", "count"))
    assert sorted(key.split(":")[0] for key, _ in counters) == ["email", "ip"]
    assert [count for _, count in counters] == [1, 1]
    stored = " ".join(key for key, _ in counters).lower()
    assert "reader" not in stored
    assert "example" not in stored
    assert "127.0.0.1" not in stored


def test_a_window_that_ended_starts_again_and_ended_counters_go(
    client: Client, settings: LazySettings
) -> None:
    settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP = 2
    assert signup(client, "one@example.com").status_code == 302
    assert signup(client, "two@example.com").status_code == 302
    assert signup(client, "three@example.com").status_code == 429
    an_hour_ago = timezone.now() - timedelta(seconds=WINDOW_SECONDS + 1)
    RateLimitCounter.objects.update(window_start=an_hour_ago)
    assert signup(client, "three@example.com").status_code == 302
    # The new windows replaced every counter whose window had ended, the other emails' too.
    assert RateLimitCounter.objects.filter(window_start__lte=an_hour_ago).count() == 0
    assert sorted(RateLimitCounter.objects.values_list("count", flat=True)) == [1, 1]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "https://news.blog.example.com"},
        {"origin": "null"},
    ],
)
def test_a_signup_posted_from_another_site_is_refused(
    client: Client, headers: dict[str, str], mailoutbox: list[Any]
) -> None:
    response = client.post("/newsletter/", {"email": "victim@example.com"}, headers=headers)
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://blog.example.com", "sec-fetch-site": "same-origin"},
        {"origin": "http://testserver"},
        {"sec-fetch-site": "same-origin"},
        {},  # no browser: a script, held to the same limits as anyone
    ],
)
def test_a_signup_from_the_site_itself_needs_no_csrf_cookie(headers: dict[str, str]) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/newsletter/")
    assert page.cookies == {}
    response = client.post("/newsletter/", {"email": "reader@example.com"}, headers=headers)
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="reader@example.com").exists()


def test_a_trusted_origin_such_as_a_static_copy_may_post(settings: LazySettings) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://static.example.net"]
    response = Client(enforce_csrf_checks=True).post(
        "/newsletter/",
        {"email": "reader@example.com"},
        headers={"origin": "https://static.example.net", "sec-fetch-site": "cross-site"},
    )
    assert response.status_code == 302
