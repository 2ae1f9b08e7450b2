"""Compressed public responses: brotli when the client accepts it, gzip otherwise.

Only responses marked public are compressed here, after the view and before the page cache,
so a cached page is compressed once per encoding and served as it is afterwards. A public
response is the same for every reader and holds no secret, so compressing it cannot leak one
(the BREACH attack needs a secret next to text the attacker controls). Everything else, such as
admin pages with their CSRF tokens, is left to Django's GZipMiddleware and its mitigation.
"""

from __future__ import annotations

from collections.abc import Callable

import brotli
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from linernotes.site.public import is_shareable

# Quality 5 compresses about as well as gzip -9 in a fraction of brotli's top quality's time.
BROTLI_QUALITY = 5
# Below this, headers dominate and compression saves nothing worth the work.
MIN_SIZE = 500
TEXT_TYPES = ("text/", "application/json", "application/feed+json", "application/xml")
TEXT_TYPES_TOO = ("application/rss+xml", "application/atom+xml", "image/svg+xml")


def negotiated_encoding(request: HttpRequest) -> str:
    """``br``, ``gzip`` or ``""`` (identity), from the request's Accept-Encoding."""
    accepted = set()
    # A long header is someone probing; real clients send a few short tokens.
    for item in request.headers.get("Accept-Encoding", "")[:200].split(","):
        name, _, parameters = item.partition(";")
        quality = parameters.strip().removeprefix("q=")
        if quality and _is_zero(quality):
            continue
        accepted.add(name.strip().lower())
    for encoding in ("br", "gzip"):
        if encoding in accepted or "*" in accepted:
            return encoding
    return ""


def _is_zero(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:
        return False


def compress(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(content, quality=BROTLI_QUALITY))
    return compress_string(content, max_random_bytes=0)


def _is_text(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "")
    return content_type.startswith(TEXT_TYPES) or content_type.startswith(TEXT_TYPES_TOO)


class PublicCompressionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_shareable(response) or response.has_header("Content-Encoding"):
            return response
        if not _is_text(response) or len(response.content) < MIN_SIZE:  # type: ignore[attr-defined]
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = negotiated_encoding(request)
        if not encoding:
            return response
        compressed = compress(response.content, encoding)  # type: ignore[attr-defined]
        if len(compressed) >= len(response.content):  # type: ignore[attr-defined]
            return response
        response.content = compressed  # type: ignore[attr-defined]
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = encoding
        # One representation per encoding: a strong validator may not be shared between them.
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response["ETag"] = f"W/{etag}"
        return response
