"""Sending through a provider's HTTP API with a django-anymail backend (Postmark's here).

A small HTTP server on 127.0.0.1 answers like Postmark's /email endpoint (the field names of
its documented responses, values made up here); anymail's real Postmark backend talks to it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import LazySettings
from django.utils import timezone

from linernotes.newsletter import mailings
from linernotes.newsletter.models import Delivery, DeliveryState, SubscriberState
from linernotes.newsletter.sending import SUSPECT_RUN, send_due_deliveries
from tests.factories import PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db

INACTIVE = (
    "You tried to send to a recipient that has been marked as inactive.\n"
    "Found inactive addresses: {address}.\n"
    "Inactive recipients are ones that have generated a hard bounce or a spam complaint."
)


class FakePostmark(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]
    inactive: set[str]
    failing: set[str]
    unknown_sender: bool

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        to = payload["To"]
        if self.unknown_sender:
            message = "The 'From' address you supplied is not a Sender Signature on your account."
            self._answer(422, {"ErrorCode": 400, "Message": message})
        elif to in self.failing:
            self._answer(500, {"ErrorCode": 100, "Message": "Maintenance"})
        elif to in self.inactive:
            self._answer(422, {"ErrorCode": 406, "Message": INACTIVE.format(address=to)})
        else:
            self.received.append(payload)
            number = len(self.received)
            message_id = f"5c7a1f2e-0000-4000-8000-{number:012d}"
            self._answer(200, {"To": to, "MessageID": message_id, "ErrorCode": 0, "Message": "OK"})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads what was received instead."""


@pytest.fixture
def postmark(settings: LazySettings) -> Iterator[type[FakePostmark]]:
    handler = type(
        "Handler",
        (FakePostmark,),
        {"received": [], "inactive": set(), "failing": set(), "unknown_sender": False},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": "server-token-for-tests",
        "POSTMARK_API_URL": f"http://127.0.0.1:{server.server_address[1]}/",
    }
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_provider_backend_sends_with_the_same_headers_and_records_its_ids(
    postmark: type[FakePostmark], make_subscriber: MakeSubscriber
) -> None:
    make_subscriber("later@example.com")  # the newest subscribers are queued first
    make_subscriber("reader@example.com")
    make_subscriber("gone@example.com")
    postmark.inactive.add("gone@example.com")
    postmark.failing.add("later@example.com")
    post = PostFactory.create(title="Sent by API", published_at=timezone.now())
    mailings.queue_post_delivery(post)

    report = send_due_deliveries()
    assert (report.sent, report.failed, report.retrying) == (1, 1, 1)
    assert report.server_error.startswith("AnymailRequestsAPIError")

    [payload] = postmark.received
    assert (payload["To"], payload["Subject"]) == ("reader@example.com", "Sent by API")
    assert payload["ReplyTo"] == "editors@blog.example.com"
    headers = {header["Name"]: header["Value"] for header in payload["Headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://blog.example.com/newsletter/")
    assert "Sent by API" in payload["HtmlBody"]
    assert "Sent by API" in payload["TextBody"]

    sent = Delivery.objects.get(subscriber__email="reader@example.com")
    assert sent.state == DeliveryState.SENT
    assert sent.message_id == "5c7a1f2e-0000-4000-8000-000000000001"  # the provider's id
    refused = Delivery.objects.get(subscriber__email="gone@example.com")
    assert refused.state == DeliveryState.FAILED
    assert refused.subscriber.state == SubscriberState.BOUNCED
    # A 500 from the provider is trouble on its side: kept for later, no attempt used up.
    waiting = Delivery.objects.get(subscriber__email="later@example.com")
    assert (waiting.state, waiting.attempts) == (DeliveryState.QUEUED, 0)
    assert waiting.next_attempt_at > timezone.now()
    assert waiting.last_error.startswith("AnymailRequestsAPIError")


def test_a_refusal_of_the_account_stops_the_send_instead_of_failing_everyone(
    postmark: type[FakePostmark], make_subscriber: MakeSubscriber
) -> None:
    for number in range(8):
        make_subscriber(f"reader{number}@example.com")
    postmark.unknown_sender = True  # a From address the provider was never told about
    mailings.queue_post_delivery(PostFactory.create(published_at=timezone.now()))

    report = send_due_deliveries()
    assert "Sender Signature" in report.server_error
    assert (report.sent, report.failed, report.retrying) == (0, 0, SUSPECT_RUN)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.QUEUED}

    postmark.unknown_sender = False  # the editor fixes the From address
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert send_due_deliveries().sent == 8
