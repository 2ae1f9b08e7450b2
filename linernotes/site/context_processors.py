from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from linernotes.content.models import Page
from linernotes.site import chrome


def site(request: HttpRequest) -> dict[str, Any]:
    """Site identity and navigation, available to every template."""
    return {
        "site_name": settings.LINERNOTES_SITE_NAME,
        "site_tagline": settings.LINERNOTES_SITE_TAGLINE,
        "site_url": settings.LINERNOTES_SITE_URL,
        "date_format": settings.LINERNOTES_DATE_FORMAT,
        "current_year": timezone.localdate().year,
        # Lazy so responses that never draw the navigation (fragments, images) skip the query;
        # a link needs the title and the address, not the page's body.
        "navigation_pages": SimpleLazyObject(
            lambda: list(Page.objects.in_navigation().only("title", "slug"))
        ),
        # While the site is exported as static files, templates swap what needs a server
        # (query strings, the search API, posted forms) for what a file host can serve.
        "static_export": settings.LINERNOTES_STATIC_EXPORT,
        "static_signup_url": settings.LINERNOTES_STATIC_SIGNUP_URL,
        "announcement": chrome.announcement(),
        "social_links": chrome.social_links(),
        "footer_link_groups": chrome.footer_link_groups(),
        "head_snippet": chrome.head_snippet(),
    }
