"""The live site's security headers, for the static host to send with the built files.

A static host sends no headers of its own making, so the build writes them out: ``_headers``
(Netlify, Cloudflare Pages) and ``nginx-headers.conf`` (``add_header`` lines for the server
block). They are the site's own, taken from a page the build renders, with two changes the
static copy needs: Pagefind's search runs WebAssembly (``'wasm-unsafe-eval'``), and the
newsletter form may post to another origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.utils import build_policy
from django.conf import settings

from linernotes.export.render import PageRenderer

COPIED = (
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)
# Hashed static files never change under their names.
IMMUTABLE = "public, max-age=31536000, immutable"


def security_headers(renderer: PageRenderer, address: str) -> list[tuple[str, str]]:
    answered = renderer.render(address).headers
    update: dict[str, list[str]] = {"script-src": ["'wasm-unsafe-eval'"]}
    signup = settings.LINERNOTES_STATIC_SIGNUP_URL
    if signup:
        parts = urlsplit(signup)
        update["form-action"] = [f"{parts.scheme}://{parts.netloc}"]
    headers = [("Content-Security-Policy", build_policy(update=update))]
    headers.extend((name, answered[name]) for name in COPIED if name in answered)
    return headers


def netlify_headers(headers: list[tuple[str, str]]) -> str:
    lines = ["# Written by linernotes build: the site's security headers.", "/*"]
    lines.extend(f"  {name}: {value}" for name, value in headers)
    lines.extend(["/static/*", f"  Cache-Control: {IMMUTABLE}"])
    return "\n".join(lines) + "\n"


def nginx_headers(headers: list[tuple[str, str]]) -> str:
    lines = ["# Written by linernotes build; include it in the server block."]
    for name, value in headers:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'add_header {name} "{quoted}" always;')
    return "\n".join(lines) + "\n"
