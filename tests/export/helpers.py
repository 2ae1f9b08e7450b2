"""Building a small site in process, for the build's tests."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.test.utils import override_settings

from linernotes.export.builder import Build, BuildReport, static_settings
from linernotes.export.manifest import Manifest

BASE_URL = "https://blog.example.com"
# Links and sources in built pages: nh3 and the templates quote every attribute with ".
_LOCAL_LINK = re.compile(r'\s(?:href|src)="(/[^"#?]*)')


def build_settings(root: Path) -> dict[str, object]:
    """The build's settings, with its static files collected beside the output folder."""
    return {**static_settings(BASE_URL), "STATIC_ROOT": root.parent / "collected"}


def build(root: Path) -> BuildReport:
    with override_settings(**build_settings(root)):
        return Build(root, base_url=BASE_URL, processes=1, search=False).run()


def live_bytes(root: Path, address: str) -> tuple[int, bytes]:
    """What the site answers for ``address`` under the settings of the build into ``root``."""
    with override_settings(**build_settings(root)):
        response = Client(HTTP_HOST="blog.example.com").get(address, secure=True)
    return response.status_code, response.content


def entries(root: Path) -> dict[str, str]:
    """Address -> built file, from the build's manifest."""
    return {address: entry.file for address, entry in Manifest.load(root).entries.items()}


def local_links(html: str) -> set[str]:
    return set(_LOCAL_LINK.findall(html))


def resolves(root: Path, address: str) -> bool:
    """Whether a static host serving ``root`` answers ``address`` with a file."""
    path = root / address.lstrip("/")
    if address.endswith("/"):
        return any((path / name).is_file() for name in ("index.html", "index.xml", "index.json"))
    return path.is_file()
