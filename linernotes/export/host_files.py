"""What static hosts read besides the pages: redirects and security headers.

Each redirect becomes a refresh page at its old address (any host can serve that) and a line
of ``_redirects`` (Netlify, Cloudflare Pages) and of ``nginx-redirects.conf``, so hosts that
can answer with a real 301 do; the site's own security headers become ``_headers`` and
``nginx-headers.conf``.
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from linernotes.export import headers, redirects
from linernotes.export.files import digest_of, is_safe_relative, write_atomically, write_output
from linernotes.export.manifest import Entry, Manifest
from linernotes.export.render import PageRenderer


def write_host_files(
    root: Path, base_url: str, built: set[str], old: Manifest, new: Manifest
) -> int:
    """Write the redirects and headers of the site built into ``root``; returns how many
    redirects there are. ``built`` holds the addresses that have pages."""
    found = redirects.site_redirects(built)
    folders = {str(Path(entry.file).parent) for entry in new.entries.values()}
    for item in found:
        name = redirects.refresh_file(item)
        # /feed cannot be a file beside the folder feed/: _redirects and nginx answer it.
        if name is None or not is_safe_relative(name) or name in folders:
            continue
        page = redirects.refresh_page(item.new)
        entry = Entry(name, digest_of(page), [])
        known = old.entries.get(item.old)
        if known is None or known.digest != entry.digest or not (root / name).exists():
            write_output(root, name, page)
        new.entries[item.old] = entry
    rewrites = [
        (address, "/" + entry.file)
        for address, entry in new.entries.items()
        if address.endswith("/") and not entry.file.endswith(".html")
    ]
    write_atomically(root / "_redirects", redirects.netlify_rules(found, sorted(rewrites)).encode())
    write_atomically(root / "nginx-redirects.conf", redirects.nginx_maps(found).encode())
    sent = headers.security_headers(PageRenderer(base_url), reverse("seo:robots"))
    write_atomically(root / "_headers", headers.netlify_headers(sent).encode())
    write_atomically(root / "nginx-headers.conf", headers.nginx_headers(sent).encode())
    return len(found)
