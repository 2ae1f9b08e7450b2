"""Reading a WordPress export's XML safely: the document, its channel and its elements.

libxml2 reads it with no entity expansion, no DTD and no network, within its default size
limits; the WXR version is checked before anything else is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeAlias, cast

from lxml import etree

from linernotes.importers.records import UnreadableSource

MAX_BYTES = 256 * 1024 * 1024
VERSIONS = frozenset({"1.0", "1.1", "1.2"})
_WP = re.compile(r"https?://wordpress\.org/export/1\.[0-2]/")
_EXCERPT = re.compile(r"https?://wordpress\.org/export/1\.[0-2]/excerpt/")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
Element: TypeAlias = etree._Element


def _name(element: Element) -> str:
    """The name with the prefix WordPress means ("wp:post_id"), whatever prefix it is bound to."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    namespace, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    if not namespace:
        return local
    if _EXCERPT.fullmatch(namespace):
        return f"excerpt:{local}"
    if _WP.fullmatch(namespace):
        return f"wp:{local}"
    prefix = _NAMESPACES.get(namespace)
    return f"{prefix}:{local}" if prefix else ""


def text_of(element: Element | None) -> str:
    return "".join(str(part) for part in element.itertext()).strip() if element is not None else ""


class Fields:
    """An element's children by name: the first of each, and every one of repeated ones."""

    def __init__(self, element: Element) -> None:
        self.all: dict[str, list[Element]] = {}
        for child in element:
            self.all.setdefault(_name(child), []).append(child)

    def get(self, name: str) -> str:
        found = self.all.get(name)
        return text_of(found[0]) if found else ""

    def each(self, name: str) -> list[Element]:
        return self.all.get(name, [])


def _parser(*, recover: bool) -> etree.XMLParser:
    # No entity expansion, no DTD, no network, and libxml2's default size limits (no huge_tree).
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=recover)


def _parse(path: Path) -> Element:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableSource(path, f"larger than {MAX_BYTES // 2**20} MB; split the export")
        try:
            return etree.parse(str(path), _parser(recover=False)).getroot()
        except etree.XMLSyntaxError as error:
            # libxml2 refuses non-ASCII namespace names although the document is well formed:
            # read it again forgivingly, and keep that reading only if nothing else was wrong.
            parser = _parser(recover=True)
            tree = etree.parse(str(path), parser)
            entries = cast("Iterable[etree._LogEntry]", parser.error_log)
            if any(entry.type_name != "WAR_NS_URI" for entry in entries):
                problem = f"not well-formed XML: {error.msg}"
                line = error.lineno if isinstance(error.lineno, int) else None
                raise UnreadableSource(path, problem, line=line) from error
            return tree.getroot()
    except OSError as error:
        raise UnreadableSource(path, f"cannot be read: {error.strerror or error}") from error


def _channel(path: Path, root: Element) -> Element:
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise UnreadableSource(path, "not a WordPress export: no RSS <channel>", line=line_of(root))
    versions = [child for child in channel if _name(child) == "wp:wxr_version"]
    if not versions:
        raise UnreadableSource(path, "not a WordPress export: wp:wxr_version is missing")
    if (version := text_of(versions[0])) not in VERSIONS:
        raise UnreadableSource(
            path,
            f"unknown WXR version {version!r} (this importer reads 1.0, 1.1 and 1.2)",
            line=line_of(versions[0]),
        )
    return channel


def line_of(element: Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def parse_channel(path: Path) -> Element:
    """The export's <channel>, or UnreadableSource naming the file and the problem."""
    return _channel(path, _parse(path))
