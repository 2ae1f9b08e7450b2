"""Absolute addresses for emails: the site URL setting plus reverse(), never a request's host."""

from __future__ import annotations

from django.urls import reverse

from linernotes.content.addresses import absolute_url
from linernotes.newsletter.models import Subscriber
from linernotes.newsletter.tokens import Purpose, make_token


def confirm_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.CONFIRM)
    return absolute_url(reverse("newsletter:confirm", args=[token]))


def preferences_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.PREFERENCES)
    return absolute_url(reverse("newsletter:preferences", args=[token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.UNSUBSCRIBE)
    return absolute_url(reverse("newsletter:unsubscribe", args=[token]))
