"""The site's redirects for a static host, in the three forms static hosts understand.

- a page at each old address that sends the browser on (``<meta http-equiv="refresh">`` and a
  canonical link), for hosts that know nothing of redirects;
- ``_redirects`` (Netlify, Cloudflare Pages): real 301s and 302s, and 200 rewrites that serve a
  feed's ``index.xml`` at its folder's address;
- ``nginx-redirects.conf``: maps nginx's configuration includes (docs/static-builds.md).

Like the live site, a rule only answers an address no page has: rules for built addresses are
left out, and nginx applies the regular-expression map only after no file matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.urls import reverse

from linernotes.content.addresses import absolute_url
from linernotes.content.models import CategoryAlias
from linernotes.seo.models import Match, Redirect, RedirectStatus

GONE = RedirectStatus.GONE
# Netlify's placeholders: a rule of the form ^/prefix/(.*)$ -> /elsewhere/$1 becomes a splat.
_SPLAT_PATTERN = re.compile(r"^\^?(/[\w./-]*/)\(\.\*\)\$?$")
_GROUP = re.compile(r"[\\$]([1-9])")


@dataclass(frozen=True)
class StaticRedirect:
    old: str
    new: str  # an absolute URL, or "" for 410 Gone
    status: int
    regex: bool = False


def site_redirects(built: set[str]) -> list[StaticRedirect]:
    """Every redirect the live site answers that a static copy can: rules, category aliases,
    and the fixed one (/feed without its slash)."""
    found = [
        StaticRedirect("/feed", absolute_url(reverse("seo:feed")), 301),
    ]
    for alias in CategoryAlias.objects.select_related("category").order_by("slug"):
        old = reverse("site:category", args=[alias.slug])
        found.append(StaticRedirect(old, absolute_url(alias.category.get_absolute_url()), 301))
    for rule in Redirect.objects.order_by("match", "position", "pk"):
        target = absolute_url(rule.new_path) if rule.new_path else ""
        regex = rule.match == Match.REGEX
        found.append(StaticRedirect(rule.old_path, target, rule.status, regex))
    return [item for item in found if item.regex or item.old not in built]


def refresh_page(location: str) -> bytes:
    """A page that sends its reader to ``location`` at once, for hosts without redirects."""
    url = escape(location, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Moved</title>\n<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{url}">\n<meta name="robots" content="noindex">\n'
        f'</head>\n<body>\n<p>This page has moved to <a href="{url}">{url}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()


def refresh_file(redirect: StaticRedirect) -> str | None:
    """Where the refresh page of a redirect goes, or None when a file cannot stand for it: a
    rule with a pattern or a query, 410 Gone, or an address that is not a page's (an HTML file
    at /favicon.ico would be served as the icon)."""
    old = redirect.old
    if redirect.regex or not redirect.new or "?" in old or not old.startswith("/"):
        return None
    name = old.lstrip("/")
    if not name or ".." in name.split("/"):
        return None
    if name.endswith("/"):
        return name + "index.html"
    return name if name.endswith((".html", ".htm")) else None


def netlify_rules(redirects: Iterable[StaticRedirect], rewrites: Iterable[tuple[str, str]]) -> str:
    lines = ["# Written by linernotes build: redirects, then the feeds' index files."]
    for item in redirects:
        old, new = item.old, item.new
        if item.status == GONE or "?" in old or " " in old:
            continue
        if item.regex:
            # Only prefix rules translate. Locations are absolute URLs on the site's own
            # address, so no group can turn one into a link to another site.
            splat = _SPLAT_PATTERN.match(old)
            if splat is None or set(_GROUP.findall(new)) - {"1"}:
                continue
            old, new = splat.group(1) + "*", _GROUP.sub(":splat", new)
        lines.append(f"{old} {new} {item.status}")
    lines.extend(f"{address} {file} 200" for address, file in rewrites)
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


MAP_NAMES = {301: "moved", 302: "found", 410: "gone"}


def nginx_maps(redirects: Iterable[StaticRedirect]) -> str:
    """nginx maps for the http block, one per status, for exact addresses (checked before
    files) and for regular expressions (``_pattern``, checked after no file matched). Each
    gives the location (or 1 for 410 Gone); nginx's ``return`` needs its status written out."""
    entries: dict[str, list[str]] = {}
    for item in redirects:
        kind = MAP_NAMES.get(item.status)
        if kind is None or (not item.regex and "?" in item.old):
            continue
        value = _GROUP.sub(r"$\1", item.new) if item.regex else item.new
        key = f"~^(?:{item.old.removeprefix('^').removesuffix('$')})$" if item.regex else item.old
        name = f"linernotes_{kind}{'_pattern' if item.regex else ''}"
        entries.setdefault(name, []).append(f"    {_quoted(key)} {_quoted(value or '1')};\n")
    blocks = ["# Written by linernotes build; docs/static-builds.md shows how nginx uses it.\n"]
    for kind in MAP_NAMES.values():
        for name in (f"linernotes_{kind}", f"linernotes_{kind}_pattern"):
            body = "".join(entries.get(name, []))
            blocks.append(f'map $uri ${name} {{\n    default "";\n{body}}}\n')
    return "".join(blocks)
