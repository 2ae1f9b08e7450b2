"""Absolute addresses for emails: the site URL setting plus reverse(), never a request's host."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from linernotes.newsletter.models import Subscriber
from linernotes.newsletter.tokens import Purpose, make_token


def absolute(path: str) -> str:
    return settings.LINERNOTES_SITE_URL + path


def confirm_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.CONFIRM)
    return absolute(reverse("newsletter:confirm", args=[token]))


def preferences_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.PREFERENCES)
    return absolute(reverse("newsletter:preferences", args=[token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber, Purpose.UNSUBSCRIBE)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))
