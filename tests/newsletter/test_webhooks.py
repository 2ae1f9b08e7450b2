"""Provider webhooks (through anymail): bounces and complaints stop mail to an address.

The payloads follow the field names of Postmark's bounce webhook, SendGrid's event webhook
and Mailgun's signed event webhook, as anymail's parsers read them; the values are made up
for these tests. A webhook refuses everything until its credential is configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.conf import LazySettings
from django.core.checks import WARNING, CheckMessage, run_checks
from django.test import Client
from django.utils import timezone

from linernotes.newsletter import mailings
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Source,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
)
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


def sendgrid_batch(*emails: str) -> str:
    """SendGrid's event webhook: one POST reports many events, here one of each that counts."""
    kinds = [("bounce", "550 5.1.1 unknown user"), ("spamreport", ""), ("unsubscribe", "")]
    return json.dumps(
        [
            {
                "email": email,
                "event": event,
                "reason": reason,
                "timestamp": int(time.time()),
                "sg_event_id": f"event-{number}",
                "smtp-id": f"<message-{number}@example.com>",
            }
            for number, (email, (event, reason)) in enumerate(zip(emails, kinds, strict=True))
        ]
    )


READERS = ("ada@example.com", "grace@example.com", "alan@example.com")
SENDGRID_NOT_SUPPORTED = pytest.mark.filterwarnings(
    "ignore::anymail.exceptions.AnymailNotSupportedWarning"  # anymail's notice, on every use
)


def forged(provider: str, credential: str) -> tuple[str, dict[str, str]]:
    """A report that bounces or stops mail to READERS, and its headers: a wrong credential,
    or none."""
    headers = {"Authorization": basic_auth("anymail:guess")} if credential == "wrong" else {}
    if provider == "postmark":
        return postmark_bounce(READERS[0], "0e7c1a5e-postmark-message"), headers
    if provider == "sendgrid":
        return sendgrid_batch(*READERS), headers
    return mailgun_event("complained", READERS[0], key="a-guessed-key"), headers


def snapshot() -> tuple[object, ...]:
    return (
        sorted(Subscriber.objects.values_list("email", "state", "state_changed_at")),
        sorted(Delivery.objects.values_list("pk", "state", "last_error")),
        SubscriberEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("provider", "credential", "status"),
    [
        ("postmark", "none", 403),
        ("postmark", "wrong", 400),
        ("sendgrid", "none", 403),
        pytest.param("sendgrid", "wrong", 400, marks=SENDGRID_NOT_SUPPORTED),
        ("mailgun", "none", 403),
        ("mailgun", "wrong", 400),
    ],
)
def test_a_forged_report_changes_nothing(
    client: Client,
    make_subscriber: MakeSubscriber,
    settings: LazySettings,
    provider: str,
    credential: str,
    status: int,
) -> None:
    if credential == "none":
        settings.ANYMAIL = {}  # the default: no ANYMAIL_* variables set
    for address in READERS:
        make_subscriber(address)
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))
    send_due_deliveries()
    Delivery.objects.filter(subscriber__email=READERS[0]).update(
        message_id="0e7c1a5e-postmark-message"
    )
    before = snapshot()
    payload, headers = forged(provider, credential)
    response = client.post(
        f"/newsletter/webhooks/{provider}/tracking/",
        payload,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status
    assert snapshot() == before
    assert set(Subscriber.objects.values_list("state", flat=True)) == {SubscriberState.ACTIVE}


@SENDGRID_NOT_SUPPORTED
def test_a_sendgrid_batch_with_the_secret_reports_on_each_reader(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    for address in READERS:
        make_subscriber(address)
    response = client.post(
        "/newsletter/webhooks/sendgrid/tracking/",
        sendgrid_batch(*READERS),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
    )
    assert response.status_code == 200
    assert dict(Subscriber.objects.values_list("email", "state")) == {
        "ada@example.com": SubscriberState.BOUNCED,
        "grace@example.com": SubscriberState.COMPLAINED,
        "alan@example.com": SubscriberState.UNSUBSCRIBED,
    }


def test_a_mailgun_webhook_needs_its_signing_key_not_only_the_secret(
    client: Client, make_subscriber: MakeSubscriber, settings: LazySettings
) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_USER}
    reader = make_subscriber("annoyed@example.com")
    response = client.post(
        "/newsletter/webhooks/mailgun/tracking/",
        mailgun_event("complained", "annoyed@example.com"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_USER),
    )
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.state == SubscriberState.ACTIVE


def test_only_tracking_webhooks_are_served(client: Client) -> None:
    inbound = client.post("/newsletter/webhooks/postmark/inbound/", "{}", "application/json")
    assert inbound.status_code == 404


def deploy_warnings() -> list[CheckMessage]:
    found = run_checks(include_deployment_checks=True)
    return [message for message in found if message.id == "linernotes.newsletter.W001"]


def test_the_deploy_check_warns_of_a_provider_without_a_webhook_credential(
    settings: LazySettings,
) -> None:
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token"}
    [warning] = deploy_warnings()
    assert warning.level == WARNING
    assert "postmark" in warning.msg
    assert "ANYMAIL_WEBHOOK_SECRET" in (warning.hint or "")
    # Only `check --deploy` says so: a development set-up needs no webhook.
    assert not [m for m in run_checks() if m.id == "linernotes.newsletter.W001"]

    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token", "WEBHOOK_SECRET": WEBHOOK_USER}
    assert deploy_warnings() == []


def test_the_deploy_check_names_the_signing_key_a_provider_requires(
    settings: LazySettings,
) -> None:
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {"MAILGUN_API_KEY": "api-key", "WEBHOOK_SECRET": WEBHOOK_USER}
    [warning] = deploy_warnings()
    assert "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY" in (warning.hint or "")
    settings.ANYMAIL = {"MAILGUN_API_KEY": "api-key", "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    assert deploy_warnings() == []


@pytest.mark.parametrize(
    "backend",
    ["django.core.mail.backends.smtp.EmailBackend", "anymail.backends.test.EmailBackend"],
)
def test_the_deploy_check_is_quiet_without_a_provider_webhook(
    settings: LazySettings, backend: str
) -> None:
    settings.EMAIL_BACKEND = backend
    settings.ANYMAIL = {}
    assert deploy_warnings() == []
