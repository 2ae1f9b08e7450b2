"""What a locked-out sign-in sees: a page that says why, for how long, and what to do."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes calls this instead of checking the password of a locked-out sign-in."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT, "noindex": True}
    response = render(request, "accounts/lockout.html", context, status=LOCKED_OUT)
    response["Retry-After"] = str(minutes * 60)
    return response
