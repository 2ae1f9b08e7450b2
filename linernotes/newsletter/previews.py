"""A post's newsletter email as a share link of its preview shows it (see content/previews.py).

The email is served as the HTML a subscriber would get, with its preference and unsubscribe
links pointing nowhere, as in the editors' test email.
"""

from __future__ import annotations

import re

from csp.constants import NONE
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from linernotes.content.models import Post
from linernotes.content.previews import (
    PreviewLinkExpired,
    PreviewLinkInvalid,
    keep_private,
    post_for_share_token,
    register_preview_part,
)
from linernotes.newsletter.emails import render_post

EXPIRED_TEMPLATE = "newsletter/preview_expired.html"
NOINDEX_META = '<meta name="robots" content="noindex">'
_HEAD_RE = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)

# Mail clients need the CSS inlined into style attributes, which the site's policy refuses, so
# this page alone allows inline styles, and nothing else that could run or send anything: no
# scripts, fonts, connections or forms.
EMAIL_POLICY = {
    "default-src": [NONE],
    "script-src": [NONE],
    "style-src": ["'unsafe-inline'"],
    "font-src": [NONE],
    "connect-src": [NONE],
    "form-action": [NONE],
}


def register_part() -> None:
    """The newsletter's view of a shared preview (NewsletterConfig.ready)."""
    register_preview_part(
        "Newsletter email", lambda token: reverse("newsletter:preview", args=[token]), order=30
    )


def email_page(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        post = post_for_share_token(token)
    except PreviewLinkExpired:
        context = {"noindex": True, "days": settings.LINERNOTES_PREVIEW_LINK_DAYS}
        return keep_private(render(request, EXPIRED_TEMPLATE, context, status=410))
    except PreviewLinkInvalid:
        raise Http404("No such preview") from None
    page = keep_private(
        HttpResponse(with_noindex(_email_html(post)), content_type="text/html; charset=utf-8")
    )
    # Through django-csp's decorator, the way a view asks for a policy of its own.
    return csp_replace(EMAIL_POLICY)(lambda _request: page)(request)


def _email_html(post: Post) -> str:
    html, _text = render_post(post).personalised(preferences_url="#", unsubscribe_url="#")
    return html


def with_noindex(html: str) -> str:
    """The document with a robots meta tag at the start of its head (or of the document)."""
    head = _HEAD_RE.search(html)
    if head is None:
        return NOINDEX_META + html
    return f"{html[: head.end()]}\n{NOINDEX_META}{html[head.end() :]}"
