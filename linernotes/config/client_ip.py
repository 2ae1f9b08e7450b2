"""The address a request came from, for rate limits and sign-in throttling.

Behind a reverse proxy every request arrives from the proxy, so the proxy's header names the
client; only the last hop is used, since a client can write any earlier ones itself.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the last hop of LINERNOTES_CLIENT_IP_HEADER when a proxy sets it."""
    header = settings.LINERNOTES_CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
