"""One log line per request, with its timing: method, path, status, bytes and milliseconds.

First in the middleware, so the time covers everything the site does for the request, page
cache hits included. The query string is left out: it can carry tokens (unsubscribe links,
share links). With ``LINERNOTES_LOG_FORMAT=json`` each line is a JSON object whose fields are
the ``extra`` below.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

logger = logging.getLogger("linernotes.requests")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        milliseconds = round((time.perf_counter() - started) * 1000, 1)
        size = None if response.streaming else len(getattr(response, "content", b""))
        logger.info(
            "%s %s %s %s ms",
            request.method,
            request.path,
            response.status_code,
            milliseconds,
            extra={
                "event": "request",
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": milliseconds,
                "bytes": size,
                "cache": response.get("Cache-Status", ""),
            },
        )
        return response
