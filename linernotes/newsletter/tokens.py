"""Signed links in emails. Each purpose has its own salt, so one kind of link never works as
another. Confirmation links carry a timestamp and expire; preference and unsubscribe links
must keep working in old emails, so they carry none and are the same in every email.
"""

from __future__ import annotations

from enum import Enum

from django.conf import settings
from django.core import signing

from linernotes.newsletter.models import Subscriber


class Purpose(Enum):
    CONFIRM = "linernotes.newsletter.confirm"
    PREFERENCES = "linernotes.newsletter.preferences"
    UNSUBSCRIBE = "linernotes.newsletter.unsubscribe"


class InvalidLink(Exception):
    """The link was not made by this site, or its subscriber no longer exists."""


class ExpiredLink(Exception):
    """A genuine confirmation link that is too old; it still says whose it was."""

    def __init__(self, subscriber: Subscriber) -> None:
        super().__init__(f"expired link of subscriber {subscriber.pk}")
        self.subscriber = subscriber


def _signer(purpose: Purpose) -> signing.Signer:
    if purpose is Purpose.CONFIRM:
        return signing.TimestampSigner(salt=purpose.value)
    return signing.Signer(salt=purpose.value)


def make_token(subscriber: Subscriber, purpose: Purpose) -> str:
    return _signer(purpose).sign_object({"s": subscriber.pk})


def read_token(token: str, purpose: Purpose) -> Subscriber:
    """The subscriber a link was made for; raises InvalidLink or ExpiredLink."""
    signer = _signer(purpose)
    try:
        if isinstance(signer, signing.TimestampSigner):
            max_age = settings.LINERNOTES_NEWSLETTER_CONFIRM_DAYS * 86400
            payload = signer.unsign_object(token, max_age=max_age)
        else:
            payload = signer.unsign_object(token)
    except signing.SignatureExpired:
        raise ExpiredLink(_subscriber(signer.unsign_object(token))) from None
    except signing.BadSignature:
        raise InvalidLink(token) from None
    return _subscriber(payload)


def _subscriber(payload: object) -> Subscriber:
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise InvalidLink(repr(payload))
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None:
        raise InvalidLink(repr(payload))
    return subscriber
