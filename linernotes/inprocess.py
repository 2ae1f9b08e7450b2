"""Asking the site for an address in this process, through the request handler and every
middleware, as a reader's first visit would (GET, no cookies, no Accept-Encoding).

The static build renders its files this way, and ``linernotes redirects test`` asks what an
address answers; both get the bytes and headers a server would send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.handlers.base import BaseHandler
from django.test import RequestFactory


@dataclass
class Answer:
    status: int
    content: bytes
    content_type: str
    location: str
    headers: dict[str, str] = field(default_factory=dict)


class SiteClient:
    """Answers addresses of the site at ``base_url`` without a server."""

    def __init__(self, base_url: str) -> None:
        # Pages asked for in process are not traffic: the request log is for served requests.
        logging.getLogger("linernotes.requests").setLevel(logging.WARNING)
        parts = urlsplit(base_url)
        self.requests = RequestFactory(HTTP_HOST=parts.netloc)
        self.secure = parts.scheme == "https"
        self.handler = BaseHandler()
        self.handler.load_middleware()

    def get(self, address: str) -> Answer:
        request = self.requests.get(address, secure=self.secure)
        response: Any = self.handler.get_response(request)
        content = (
            b"".join(response.streaming_content) if response.streaming else bytes(response.content)
        )
        return Answer(
            status=response.status_code,
            content=content,
            content_type=response.get("Content-Type", ""),
            location=response.get("Location", ""),
            headers=dict(response.items()),
        )
