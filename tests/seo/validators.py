"""Validation of feeds, sitemaps and JSON-LD with real parsers and the published schemas.

Each check is counted in CHECKS, and the total is reported at the end of the test run.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

import feedparser
import xmlschema
from bs4 import Tag
from pyld import jsonld

from tests.shared_data import shared_file

VALIDATION = "testdata/validation"
SITEMAP_XSD = f"{VALIDATION}/sitemaps-org-xsd"
SCHEMA_ORG_CONTEXT = f"{VALIDATION}/schemaorg-30.0/schemaorgcontext.jsonld"
SCHEMA = "http://schema.org/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

CHECKS: Counter[str] = Counter()


def parse_feed(content: bytes) -> Any:
    """Parse an RSS or Atom document with feedparser and insist it is well-formed."""
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    CHECKS["feedparser"] += 1
    return parsed


def validate_json_feed(document: dict[str, Any]) -> None:
    """The required fields of JSON Feed 1.1 and the types of the optional ones used here."""
    assert document["version"] == JSON_FEED_VERSION
    assert isinstance(document["title"], str)
    assert document["title"]
    for key in ("home_page_url", "feed_url", "icon"):
        assert document.get(key, "https://").startswith(("https://", "http://"))
    _validate_authors(document.get("authors", []))
    assert isinstance(document["items"], list)
    ids = [_validate_json_item(item) for item in document["items"]]
    assert len(ids) == len(set(ids)), "item ids must be unique"
    CHECKS["json feed"] += 1


def _validate_json_item(item: dict[str, Any]) -> str:
    assert isinstance(item["id"], str)
    assert item["id"]
    assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
    for key in ("url", "external_url", "image"):
        if key in item:
            assert item[key].startswith(("https://", "http://"))
    for key in ("date_published", "date_modified"):
        if key in item:
            assert datetime.fromisoformat(item[key]).tzinfo is not None
    if "tags" in item:
        assert all(isinstance(tag, str) for tag in item["tags"])
    _validate_authors(item.get("authors", []))
    return str(item["id"])


def _validate_authors(authors: list[dict[str, Any]]) -> None:
    assert isinstance(authors, list)
    for author in authors:
        assert set(author) <= {"name", "url", "avatar"}
        assert "name" in author or "url" in author


def validate_sitemap(content: bytes, schema_name: str) -> None:
    """Validate against the sitemaps.org XSD (sitemap.xsd or siteindex.xsd)."""
    path = shared_file(f"{SITEMAP_XSD}/{schema_name}")
    xmlschema.XMLSchema(str(path)).validate(content.decode())
    CHECKS["sitemap xsd"] += 1


def _offline_schema_org(url: str, options: Any = None) -> dict[str, Any]:
    if url.rstrip("/") not in {"https://schema.org", "http://schema.org"}:
        raise RuntimeError(f"refusing to fetch {url}: tests run offline")
    document = json.loads(shared_file(SCHEMA_ORG_CONTEXT).read_text())
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


def json_ld_of(page: Tag) -> dict[str, Any]:
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].string or "")
    return data


def expand_json_ld(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Expand with the schema.org context, offline; the nodes by @id (typed nodes only)."""
    shared_file(SCHEMA_ORG_CONTEXT)
    expanded = jsonld.expand(data, {"documentLoader": _offline_schema_org})
    CHECKS["json-ld expansion"] += 1
    nodes: dict[str, dict[str, Any]] = {}
    for graph in expanded:
        for node in graph.get("@graph", [graph]):
            nodes[node["@id"]] = node
    return nodes


def types_of(node: dict[str, Any]) -> set[str]:
    return {kind.removeprefix(SCHEMA) for kind in node.get("@type", [])}


def value(node: dict[str, Any], prop: str) -> Any:
    """The single expanded value of ``prop`` (an @value or an @id)."""
    values = node[SCHEMA + prop]
    assert len(values) == 1, values
    return values[0].get("@value", values[0].get("@id"))


def values(node: dict[str, Any], prop: str) -> list[Any]:
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + prop, [])]
