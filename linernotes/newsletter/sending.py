"""Sending queued deliveries: claim a batch, send it over one connection, record each outcome.

The guarantee: a delivery is marked sent in its own commit right after the server (or the
provider's API) accepted it. Only a crash between that acceptance and that commit sends a
message twice, and then with the same Message-ID. Everything else is sent exactly once:
unsent claims are released when a sender stops, and lapse when it dies.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import Enum
from typing import Protocol, Self

from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from linernotes.content.models import Post
from linernotes.newsletter import digests, emails, mailings, services
from linernotes.newsletter.models import Delivery, DeliveryState, SubscriberState

logger = logging.getLogger(__name__)

# Set by the worker when it is asked to stop: senders finish the message in hand and return.
stop_requested = threading.Event()


class Clock(Protocol):
    """Time as a sender sees it; tests pass one that records waits instead of waiting."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        # A stop request ends the wait early: a worker at a low rate still stops at once.
        stop_requested.wait(seconds)


REAL_CLOCK = RealClock()

LONGEST_RETRY = timedelta(hours=6)
# This many different messages failing in a row for the same unclear reason means the reason
# is not theirs (a From address the provider refuses, a broken template): stop the batch.
SUSPECT_RUN = 3


class FailureKind(Enum):
    PERMANENT = "permanent"  # this message will never go through
    TRANSIENT = "transient"  # this message may go through later
    SERVER = "server"  # the server or our account is in trouble: stop the batch
    # This message, or every message: retried like a transient failure, and a run of the
    # same one stops the batch like a server failure.
    SUSPECT = "suspect"


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    reason: str
    address_refused: bool = False


@dataclass
class SendReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    server_error: str = ""

    def add(self, other: SendReport) -> None:
        for name in ("claimed", "sent", "failed", "retrying", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.server_error = other.server_error or self.server_error

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}


def classify(error: Exception) -> Failure:
    """Sort a sending error into permanent, transient or server-wide trouble."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        reason = f"{code} {_decode(text)}"
        if code >= 500:
            return Failure(FailureKind.PERMANENT, reason, address_refused=True)
        return Failure(FailureKind.TRANSIENT, reason)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        return Failure(FailureKind.SERVER, f"{error.smtp_code} {_decode(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        reason = f"{error.smtp_code} {_decode(error.smtp_error)}"
        if error.smtp_code == 421:
            return Failure(FailureKind.SERVER, reason)
        kind = FailureKind.PERMANENT if error.smtp_code >= 500 else FailureKind.TRANSIENT
        return Failure(kind, reason)
    if isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return Failure(FailureKind.PERMANENT, str(error), address_refused=True)
    if isinstance(error, AnymailAPIError) and error.status_code in (400, 422):
        # The provider refused the request: for this message, or for the account's settings.
        return Failure(FailureKind.SUSPECT, str(error))
    # Anymail's configuration errors are ImproperlyConfigured: a missing key stops every send.
    if isinstance(error, smtplib.SMTPException | OSError | AnymailError | ImproperlyConfigured):
        return Failure(FailureKind.SERVER, f"{type(error).__name__}: {error}")
    # Building this message failed (a template or its data): it must not hold up the others.
    return Failure(FailureKind.SUSPECT, f"{type(error).__name__}: {error}")


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the configured delay, doubled after each failed attempt."""
    first = timedelta(seconds=settings.LINERNOTES_NEWSLETTER_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def claim_batch(token: str, limit: int) -> list[Delivery]:
    """Take up to ``limit`` due deliveries for this sender, so no other sender takes them."""
    lease = timezone.now() + timedelta(seconds=settings.LINERNOTES_NEWSLETTER_CLAIM_SECONDS)
    due = Delivery.objects.filter(mailings.due_deliveries())
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: concurrent senders skip each other's rows instead of waiting for them.
        with transaction.atomic():
            ids = list(
                due.order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:limit]
            )
            due.filter(pk__in=ids).update(claim_token=token, claimed_until=lease)
    else:
        # SQLite: one conditional UPDATE; its WHERE clause re-checks that nobody holds the rows.
        batch = due.order_by("next_attempt_at").values("pk")[:limit]
        due.filter(pk__in=batch).update(claim_token=token, claimed_until=lease)
    claimed = Delivery.objects.filter(claim_token=token, state=DeliveryState.QUEUED)
    return list(claimed.select_related("subscriber", "post").order_by("pk"))


def send_due_deliveries(*, batch_size: int | None = None, clock: Clock = REAL_CLOCK) -> SendReport:
    """Send batch after batch until nothing is due, the server fails, or a stop is requested."""
    total = SendReport()
    while not stop_requested.is_set():
        report = send_batch(batch_size or settings.LINERNOTES_NEWSLETTER_BATCH_SIZE, clock=clock)
        total.add(report)
        if report.claimed == 0 or report.server_error:
            break
    return total


def send_batch(limit: int, *, clock: Clock = REAL_CLOCK) -> SendReport:
    token = uuid.uuid4().hex
    deliveries = claim_batch(token, limit)
    if not deliveries:
        return SendReport()
    with BatchSender(token, clock=clock) as sender:
        sender.send_all(deliveries)
    return sender.report


class BatchSender:
    """Sends one claimed batch over one connection, paced to the configured rate."""

    def __init__(self, token: str, *, clock: Clock = REAL_CLOCK) -> None:
        self.token = token
        self.clock = clock
        self.report = SendReport()
        self.connection: BaseEmailBackend | None = None
        rate = settings.LINERNOTES_NEWSLETTER_RATE
        self.interval = 1 / rate if rate else 0.0
        self.next_slot = clock.monotonic()
        self.lease_seconds = settings.LINERNOTES_NEWSLETTER_CLAIM_SECONDS
        self.renew_at = clock.monotonic() + self.lease_seconds / 2
        self.suspect_reason, self.suspect_count = "", 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Whatever happened, deliveries this sender did not settle go back to the queue.
        Delivery.objects.filter(claim_token=self.token, state=DeliveryState.QUEUED).update(
            claim_token="", claimed_until=None
        )
        if self.connection is not None:
            self.connection.close()

    def send_all(self, deliveries: list[Delivery]) -> None:
        self.report.claimed = len(deliveries)
        public = set(
            Post.objects.published()
            .filter(pk__in={d.post_id for d in deliveries if d.post_id})
            .values_list("pk", flat=True)
        )
        for delivery in deliveries:
            if stop_requested.is_set() or self.report.server_error:
                return
            self._keep_claim()
            self._send_one(delivery, public)

    def _send_one(self, delivery: Delivery, public_posts: set[int]) -> None:
        try:
            rendered, why_not = self._content(delivery, public_posts)
            if rendered is None:
                self._settle(delivery, DeliveryState.CANCELLED, last_error=why_not)
                self.report.cancelled += 1
                return
            self._pace()
            if stop_requested.is_set() or not self._connect():
                return
            assert self.connection is not None
            message = emails.newsletter_message(delivery, rendered, self.connection)
            message.send()
        except Exception as error:
            failure = classify(error)
            if failure.kind is FailureKind.SUSPECT:
                logger.warning("Delivery %s failed: %s", delivery.pk, failure.reason, exc_info=True)
            self._record_failure(delivery, failure)
            return
        status = getattr(message, "anymail_status", None)
        message_id = (status and status.message_id) or message.extra_headers["Message-ID"]
        self._settle(
            delivery, DeliveryState.SENT, message_id=str(message_id), sent_at=timezone.now()
        )
        self.report.sent += 1
        self.suspect_reason, self.suspect_count = "", 0

    def _connect(self) -> bool:
        """Open the batch's one connection on first use. False when the server is unreachable."""
        if self.connection is not None:
            return True
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:
            failure = classify(error)
            self.report.server_error = failure.reason
            logger.warning("Sending stopped: %s", failure.reason)
            self._postpone_rest()
            return False
        self.connection = connection
        return True

    def _content(
        self, delivery: Delivery, public_posts: set[int]
    ) -> tuple[emails.RenderedEmail | None, str]:
        if delivery.subscriber.state != SubscriberState.ACTIVE:
            return None, f"the subscriber is no longer active ({delivery.subscriber.state})"
        if delivery.post is not None:
            if delivery.post.pk not in public_posts:
                return None, "the post is not published"
            return emails.render_post(delivery.post), ""
        posts = digests.posts_for(delivery)
        if not posts:
            return None, "no new posts in the subscriber's topics"
        return emails.render_digest(posts), ""

    def _record_failure(self, delivery: Delivery, failure: Failure) -> None:
        # A server's trouble is not the message's: it postpones without using up an attempt.
        own = failure.kind is not FailureKind.SERVER
        attempts = delivery.attempts + own
        if failure.kind is FailureKind.PERMANENT:
            self._fail(delivery, failure.reason, address_refused=failure.address_refused)
        elif attempts >= settings.LINERNOTES_NEWSLETTER_MAX_ATTEMPTS:
            self._fail(delivery, f"gave up after {attempts} attempts: {failure.reason}")
        else:
            self._settle(
                delivery,
                DeliveryState.QUEUED,
                last_error=failure.reason,
                next_attempt_at=timezone.now() + retry_delay(max(attempts, 1)),
                attempted=own,
            )
            self.report.retrying += 1
        if failure.kind is FailureKind.SERVER or self._suspects_all(failure):
            self.report.server_error = failure.reason
            logger.warning("Sending stopped: %s", failure.reason)
            self._postpone_rest()

    def _suspects_all(self, failure: Failure) -> bool:
        if failure.kind is not FailureKind.SUSPECT:
            self.suspect_reason, self.suspect_count = "", 0
            return False
        same = failure.reason == self.suspect_reason
        self.suspect_reason, self.suspect_count = failure.reason, self.suspect_count * same + 1
        return self.suspect_count >= SUSPECT_RUN

    def _fail(self, delivery: Delivery, reason: str, *, address_refused: bool = False) -> None:
        self._settle(delivery, DeliveryState.FAILED, last_error=reason, attempted=True)
        self.report.failed += 1
        if address_refused:
            services.mark_refused(delivery.subscriber, reason=reason)

    def _postpone_rest(self) -> None:
        # Untried messages keep their attempt count: the server's trouble is not theirs.
        Delivery.objects.filter(claim_token=self.token, state=DeliveryState.QUEUED).update(
            claim_token="", claimed_until=None, next_attempt_at=timezone.now() + retry_delay(1)
        )

    def _settle(
        self, delivery: Delivery, state: DeliveryState, *, attempted: bool = False, **fields: object
    ) -> None:
        counted = (
            {"attempts": F("attempts") + 1} if attempted or state == DeliveryState.SENT else {}
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            state=state, claim_token="", claimed_until=None, **counted, **fields
        )

    def _pace(self) -> None:
        if not self.interval:
            return
        wait = self.next_slot - self.clock.monotonic()
        if wait > 0:
            self.clock.sleep(wait)
        self.next_slot = max(self.next_slot, self.clock.monotonic()) + self.interval

    def _keep_claim(self) -> None:
        # A slow batch (a low rate) must not outlive its claim, or another sender could take it.
        if self.clock.monotonic() < self.renew_at:
            return
        lease = timezone.now() + timedelta(seconds=self.lease_seconds)
        Delivery.objects.filter(claim_token=self.token, state=DeliveryState.QUEUED).update(
            claimed_until=lease
        )
        self.renew_at = self.clock.monotonic() + self.lease_seconds / 2
