"""Provider webhooks (through anymail): bounces and complaints stop mail to an address.

The payloads follow the field names of Postmark's bounce webhook and Mailgun's signed event
webhook, as anymail's parsers read them; the values are made up for these tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.conf import LazySettings
from django.test import Client
from django.utils import timezone

from linernotes.newsletter import mailings
from linernotes.newsletter.models import Delivery, DeliveryState, Source, SubscriberState
from linernotes.newsletter.sending import send_due_deliveries
from tests.factories import PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db

WEBHOOK_USER = "anymail:s3cret-hook"
MAILGUN_KEY = "mailgun-signing-key-for-tests"


@pytest.fixture(autouse=True)
def provider_settings(settings: LazySettings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_USER, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


def basic_auth(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def postmark_bounce(email: str, message_id: str) -> str:
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "TypeCode": 1,
            "ID": 4242,
            "MessageID": message_id,
            "Email": email,
            "Description": "The server was unable to deliver your message (ex: unknown user).",
            "Details": "smtp;550 5.1.1 The email account does not exist.",
            "BouncedAt": "2026-06-01T10:00:00Z",
        }
    )


def test_a_postmark_bounce_marks_the_subscriber_and_the_delivery(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    reader = make_subscriber("gone@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    send_due_deliveries()
    Delivery.objects.update(message_id="0e7c1a5e-postmark-message")

    response = client.post(
        "/newsletter/webhooks/postmark/tracking/",
        postmark_bounce("Gone@Example.com", "0e7c1a5e-postmark-message"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.state == SubscriberState.BOUNCED
    event = reader.events.get()
    assert event.source == Source.WEBHOOK
    assert event.detail.startswith("Postmark: The server was unable to deliver")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith("bounced (Postmark:")

    # Mail stops: the next post is not even queued for a bounced address.
    later = PostFactory.create(published_at=timezone.now())
    assert mailings.queue_post_delivery(later).queued == 0


def test_a_webhook_without_the_secret_changes_nothing(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    reader = make_subscriber("reader@example.com")
    response = client.post(
        "/newsletter/webhooks/postmark/tracking/",
        postmark_bounce("reader@example.com", "any"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth("anymail:guess"),
    )
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.state == SubscriberState.ACTIVE


def mailgun_event(event: str, email: str, key: str = MAILGUN_KEY) -> str:
    timestamp, token = str(int(time.time())), "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": event,
                "timestamp": float(timestamp),
                "id": "event-id-for-tests",
                "recipient": email,
                "message": {"headers": {"message-id": "20260601.abc@mg.example.com"}},
            },
        }
    )


def test_a_signed_mailgun_complaint_stops_mail_for_good(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    reader = make_subscriber("annoyed@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)  # queued, not yet sent

    forged = client.post(
        "/newsletter/webhooks/mailgun/tracking/",
        mailgun_event("complained", "annoyed@example.com", key="wrong-key"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
    )
    assert forged.status_code == 400
    reader.refresh_from_db()
    assert reader.state == SubscriberState.ACTIVE

    signed = client.post(
        "/newsletter/webhooks/mailgun/tracking/",
        mailgun_event("complained", "annoyed@example.com"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
    )
    assert signed.status_code == 200
    reader.refresh_from_db()
    assert reader.state == SubscriberState.COMPLAINED
    assert reader.events.get().detail.startswith("Mailgun")
    report = send_due_deliveries()
    assert (report.sent, report.cancelled) == (0, 1)
    assert Delivery.objects.get().last_error == "the subscriber is no longer active (complained)"


def test_opens_and_deliveries_change_nothing(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    reader = make_subscriber("reader@example.com")
    for event in ("opened", "delivered", "clicked"):
        response = client.post(
            "/newsletter/webhooks/mailgun/tracking/",
            mailgun_event(event, "reader@example.com"),
            content_type="application/json",
            HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
        )
        assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.state == SubscriberState.ACTIVE
    assert not reader.events.exists()
