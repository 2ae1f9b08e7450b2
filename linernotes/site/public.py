"""Responses that are the same for every reader, which anyone may cache."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

# How Cache-Control and Vary separate their items (as Django's own cache helpers split them).
_ITEMS = re.compile(r"\s*,\s*")

View = Callable[..., HttpResponseBase]


def public_page(view: View) -> View:
    """A page that is the same for every reader: GET and HEAD only, cacheable by anyone.

    Successful responses say ``Cache-Control: public`` with a short max-age (unless the view
    chose its own), so browsers and CDNs may keep them; the page cache keeps them too.
    """

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(
                response, public=True, max_age=settings.LINERNOTES_CACHE_CONTROL_MAX_AGE
            )
        return response

    return wrapped


def is_shareable(response: HttpResponseBase) -> bool:
    """A complete 200 response its view marked public, that sets no cookie."""
    if not isinstance(response, HttpResponse) or response.status_code != 200 or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in _ITEMS.split(response.get("Cache-Control", ""))
    }
    varies = {name.strip().lower() for name in _ITEMS.split(response.get("Vary", ""))}
    return (
        "public" in directives
        and not directives & {"private", "no-store", "no-cache"}
        and ("cookie" not in varies)
    )
