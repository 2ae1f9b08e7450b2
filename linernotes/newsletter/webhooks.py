"""Provider webhooks: anymail's tracking views, answered only once their credential is set.

Anymail checks a webhook's basic auth only when ``WEBHOOK_SECRET`` is set; without it most of
its views accept anyone's POST (and log a warning), so a forged report could mark any address
bounced, complained or unsubscribed. Here every tracking view first checks that a credential
is configured: ``WEBHOOK_SECRET``, or for the providers whose signatures anymail verifies,
the provider's own key. Without one the webhook answers 403 and changes nothing; with one,
anymail checks the request against it and answers 400 when it does not match.

Only the tracking webhooks are served: nothing in Liner Notes reads inbound mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from anymail.utils import get_anymail_setting
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern, path

logger = logging.getLogger(__name__)

TRACKING_SUFFIX = "_tracking_webhook"
# The provider's name (as in its address and its EMAIL_BACKEND module) -> anymail's route.
TRACKING_ROUTES: dict[str, Any] = {
    route.name.removesuffix(TRACKING_SUFFIX): route
    for route in anymail_urls.urlpatterns
    if route.name.endswith(TRACKING_SUFFIX)
}


@dataclass(frozen=True)
class SigningKey:
    """A provider's own webhook credential, named as in ``ANYMAIL`` (ANYMAIL_<NAME> variables)."""

    setting: str
    # True: anymail refuses every request without this key, so it is the one credential that
    # works. False: without it anymail falls back to basic auth alone.
    required: bool


# The providers whose signatures anymail verifies (anymail/webhooks/); the others (Amazon SES,
# Brevo, Mailjet, Postmark, SparkPost) have basic auth only. Where anymail would fall back from
# Mailgun's signing key to its API key, the signing key must be set here.
SIGNING_KEYS = {
    "mailersend": SigningKey("MAILERSEND_SIGNING_SECRET", required=True),
    "mailgun": SigningKey("MAILGUN_WEBHOOK_SIGNING_KEY", required=True),
    "mandrill": SigningKey("MANDRILL_WEBHOOK_KEY", required=True),
    "postal": SigningKey("POSTAL_WEBHOOK_KEY", required=True),
    "unisender_go": SigningKey("UNISENDER_GO_API_KEY", required=True),
    "mailtrap": SigningKey("MAILTRAP_TRACKING_SECRET", required=False),
    "resend": SigningKey("RESEND_SIGNING_SECRET", required=False),
    "sendgrid": SigningKey("SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY", required=False),
}


def _is_set(name: str) -> bool:
    # anymail's own lookup: ANYMAIL["<NAME>"], then an ANYMAIL_<NAME> setting.
    return bool(get_anymail_setting(name.lower(), default=None))


def has_credential(provider: str) -> bool:
    """Whether the provider's tracking webhook can tell the provider's requests from forgeries."""
    key = SIGNING_KEYS.get(provider)
    if key is not None and _is_set(key.setting):
        return True
    if key is not None and key.required:
        return False
    return _is_set("WEBHOOK_SECRET")


def provider_of(email_backend: str) -> str | None:
    """The provider an anymail EMAIL_BACKEND sends through, when it has a tracking webhook."""
    package, _, module = email_backend.removesuffix(".EmailBackend").rpartition(".")
    return module if package == "anymail.backends" and module in TRACKING_ROUTES else None


def credential_hint(provider: str) -> str:
    basic_auth = "ANYMAIL_WEBHOOK_SECRET to user:password, and put those in the webhook address"
    key = SIGNING_KEYS.get(provider)
    if key is None:
        return f"Set {basic_auth} you give {provider} (docs/newsletter.md)."
    signed = f"Set ANYMAIL_{key.setting} to the key {provider} signs its webhooks with"
    return f"{signed}." if key.required else f"{signed}, or set {basic_auth}."


def _refused_without_credential(
    provider: str, view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    # wraps() keeps the attributes anymail's view carries, csrf_exempt among them.
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_credential(provider):
            logger.warning("Refused a %s webhook: no credential is configured", provider)
            return HttpResponseForbidden(
                "This webhook has no credential configured.", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    return guarded


urlpatterns: list[URLPattern] = [
    path(
        str(route.pattern),
        _refused_without_credential(provider, route.callback),
        name=route.name,
    )
    for provider, route in TRACKING_ROUTES.items()
]
