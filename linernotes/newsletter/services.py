"""A subscriber's life: signup, confirmation, preferences, unsubscribing, bounces and complaints.

Every state change goes through ``_move``, which records it with its time and source. Emails
are sent by background tasks queued after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

from django.db import transaction
from django.utils import timezone

from linernotes.content.models import Category
from linernotes.newsletter import tasks
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Frequency,
    Source,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
    normalise_email,
)

# States from which a reader who holds a link from one of our emails may subscribe again.
RESUBSCRIBABLE = frozenset(
    {SubscriberState.UNSUBSCRIBED, SubscriberState.BOUNCED, SubscriberState.COMPLAINED}
)
RECEIVING_OR_PENDING = frozenset({SubscriberState.ACTIVE, SubscriberState.PENDING})

# Provider events (anymail's normalised event types) that change a subscriber's state.
TRACKED_EVENTS = {
    "bounced": SubscriberState.BOUNCED,
    "complained": SubscriberState.COMPLAINED,
    "unsubscribed": SubscriberState.UNSUBSCRIBED,
}


class SignupOutcome(Enum):
    """What a signup did. Readers are never told: every outcome gets the same answer."""

    CREATED = "created"
    REMINDED = "reminded"
    ALREADY_ACTIVE = "already active"
    RESTARTED = "restarted"
    COMPLAINED_BEFORE = "complained before"


@transaction.atomic
def signup(*, email: str, topics: Sequence[Category], consent: str) -> SignupOutcome:
    """Sign ``email`` up for ``topics`` (none means all), pending confirmation by email.

    An active subscriber is left as it is and sent nothing, so a stranger who types someone's
    address can neither change their topics nor learn that they subscribe. An address that
    reported our mail as spam is not mailed on a form's word either: its owner can subscribe
    again from the preference link of an email they received.
    """
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=normalise_email(email)
    )
    if created:
        _record(subscriber, "", SubscriberState.PENDING, Source.SIGNUP, consent)
        outcome = SignupOutcome.CREATED
    elif subscriber.state == SubscriberState.ACTIVE:
        return SignupOutcome.ALREADY_ACTIVE
    elif subscriber.state == SubscriberState.COMPLAINED:
        return SignupOutcome.COMPLAINED_BEFORE
    elif subscriber.state == SubscriberState.PENDING:
        outcome = SignupOutcome.REMINDED
    else:
        _move(subscriber, SubscriberState.PENDING, Source.SIGNUP, consent)
        outcome = SignupOutcome.RESTARTED
    _set_topics(subscriber, topics)
    _send_confirmation_after_commit(subscriber)
    return outcome


@transaction.atomic
def confirm(subscriber: Subscriber) -> bool:
    """Activate a pending subscriber. False when there was nothing to confirm."""
    if subscriber.state != SubscriberState.PENDING:
        return False
    _move(subscriber, SubscriberState.ACTIVE, Source.CONFIRMATION)
    return True


def resend_confirmation(subscriber: Subscriber) -> bool:
    """Send a pending subscriber a fresh confirmation link (after theirs expired)."""
    if subscriber.state != SubscriberState.PENDING:
        return False
    _send_confirmation_after_commit(subscriber)
    return True


@transaction.atomic
def change_preferences(
    subscriber: Subscriber,
    *,
    topics: Sequence[Category],
    frequency: Frequency,
    source: Source = Source.PREFERENCES,
) -> None:
    """Choose topics (none means all) and how often mail comes; recorded in the history."""
    subscriber.frequency = frequency
    subscriber.save(update_fields=["frequency"])
    _set_topics(subscriber, topics)
    detail = f"topics: {subscriber.topic_names()}; frequency: {Frequency(frequency).label}"
    _record(subscriber, subscriber.state, subscriber.state, source, detail)


@transaction.atomic
def unsubscribe(subscriber: Subscriber, *, source: Source, detail: str = "") -> bool:
    """Stop all mail to ``subscriber``. False when it was not receiving or pending anyway."""
    if subscriber.state not in RECEIVING_OR_PENDING:
        return False
    _move(subscriber, SubscriberState.UNSUBSCRIBED, source, detail)
    return True


@transaction.atomic
def resubscribe(subscriber: Subscriber, *, source: Source) -> bool:
    """Start mail again for a subscriber who left (or whose address failed) and came back."""
    if subscriber.state not in RESUBSCRIBABLE:
        return False
    _move(subscriber, SubscriberState.ACTIVE, source)
    return True


@transaction.atomic
def record_tracking_event(
    *, recipient: str, event_type: str, message_id: str, description: str, esp_name: str
) -> bool:
    """Apply a provider's bounce, complaint or unsubscribe report. True when state changed.

    A complaint outranks a bounce; neither brings back someone who already left.
    """
    to_state = TRACKED_EVENTS.get(event_type)
    subscriber = Subscriber.objects.filter(email=normalise_email(recipient or "")).first()
    if to_state is None or subscriber is None:
        return False
    detail = f"{esp_name}: {description}".strip(": ")
    if to_state == SubscriberState.BOUNCED and message_id:
        # The message was accepted, then bounced: the delivery did not reach the reader.
        Delivery.objects.filter(subscriber=subscriber, message_id=message_id).update(
            state=DeliveryState.FAILED, last_error=f"bounced ({detail})"
        )
    leaving = subscriber.state in RECEIVING_OR_PENDING
    complaining = to_state == SubscriberState.COMPLAINED != subscriber.state
    if not (leaving or complaining):
        return False
    _move(subscriber, to_state, Source.WEBHOOK, detail)
    return True


@transaction.atomic
def mark_refused(subscriber: Subscriber, *, reason: str) -> None:
    """The receiving server refused the address permanently (for example "550 no such user")."""
    if subscriber.state in RECEIVING_OR_PENDING:
        _move(subscriber, SubscriberState.BOUNCED, Source.SMTP, reason)


def _set_topics(subscriber: Subscriber, topics: Sequence[Category]) -> None:
    subscriber.all_topics = not topics
    subscriber.save(update_fields=["all_topics"])
    subscriber.topics.set(topics)


def _move(subscriber: Subscriber, to_state: str, source: Source, detail: str = "") -> None:
    from_state, now = subscriber.state, timezone.now()
    subscriber.state = to_state
    subscriber.state_changed_at = now
    if to_state == SubscriberState.ACTIVE and subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
    subscriber.save(update_fields=["state", "state_changed_at", "confirmed_at"])
    _record(subscriber, from_state, to_state, source, detail, at=now)


def _record(
    subscriber: Subscriber,
    from_state: str,
    to_state: str,
    source: Source,
    detail: str = "",
    *,
    at: datetime | None = None,
) -> None:
    SubscriberEvent.objects.create(
        subscriber=subscriber,
        from_state=from_state,
        to_state=to_state,
        source=source,
        detail=detail,
        at=at or timezone.now(),
    )


def _send_confirmation_after_commit(subscriber: Subscriber) -> None:
    subscriber_id = subscriber.pk
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscriber_id))
