"""System checks for the email settings (``linernotes check``); ids are stable."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from linernotes.newsletter import webhooks


@register()
def check_from_address(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    try:
        validate_email(address)
    except ValidationError:
        return [
            Error(
                f"DEFAULT_FROM_EMAIL is not an email address: {settings.DEFAULT_FROM_EMAIL!r}.",
                hint='For example: "Engineering Blog" <newsletter@blog.example.com>',
                id="linernotes.newsletter.E001",
            )
        ]
    return []


@register()
def check_tls_choice(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        return [
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on; an SMTP connection uses one.",
                hint="Port 587 usually means EMAIL_USE_TLS, port 465 EMAIL_USE_SSL.",
                id="linernotes.newsletter.E002",
            )
        ]
    return []


@register()
def check_digest_hour(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not 0 <= settings.LINERNOTES_NEWSLETTER_DIGEST_HOUR <= 23:
        return [
            Error(
                "LINERNOTES_NEWSLETTER_DIGEST_HOUR must be an hour from 0 to 23, "
                f"not {settings.LINERNOTES_NEWSLETTER_DIGEST_HOUR}.",
                id="linernotes.newsletter.E003",
            )
        ]
    return []


@register(deploy=True)
def check_webhook_credential(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    provider = webhooks.provider_of(settings.EMAIL_BACKEND)
    if provider is None or webhooks.has_credential(provider):
        return []
    return [
        Warning(
            f"EMAIL_BACKEND sends through {provider}, but its tracking webhook has no "
            "credential: it refuses every bounce and complaint report, so mail keeps going "
            "to those addresses.",
            hint=webhooks.credential_hint(provider),
            id="linernotes.newsletter.W001",
        )
    ]
