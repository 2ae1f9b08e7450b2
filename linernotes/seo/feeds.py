"""RSS 2.0 and Atom 1.0 through django.contrib.syndication, and JSON Feed 1.1 by hand.

Django's generators credit one author per item; posts here have co-authors, so the RSS feed
adds a Dublin Core ``dc:creator`` per author and the Atom feed an ``<author>`` per author.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import to_locale
from django.utils.xmlutils import SimplerXMLGenerator

from linernotes.content.addresses import absolute_url
from linernotes.seo.feed_content import FeedEntry, FeedKind, FeedScope
from linernotes.seo.identity import site_logo

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
RSS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


# An empty feed's date: Django's generators would say "now", so the feed of a category
# without posts would change on every request and every static build.
NEVER_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


class StableDateFeed(SyndicationFeed):
    def latest_post_date(self) -> datetime:
        return super().latest_post_date() if self.items else NEVER_UPDATED


class CoAuthorRssFeed(StableDateFeed, Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:content": RSS_CONTENT}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author.name)
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])


class CoAuthorAtomFeed(StableDateFeed, Atom1Feed):
    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", AttributesImpl({}))
            handler.addQuickElement("name", author.name)
            handler.addQuickElement("uri", author.url)
            handler.endElement("author")
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item["external_url"]:
            handler.addQuickElement("link", "", {"rel": "related", "href": item["external_url"]})


class EntryFeed(Feed):
    """A syndication feed of prepared entries; one instance serves one request."""

    item_guid_is_permalink = False

    def __init__(self, scope: FeedScope, entries: list[FeedEntry], kind: FeedKind) -> None:
        self.scope, self.entries, self.kind = scope, entries, kind
        self.feed_type: type[SyndicationFeed] = (
            CoAuthorAtomFeed if kind is FeedKind.ATOM else CoAuthorRssFeed
        )

    def title(self) -> str:
        return self.scope.title

    def link(self) -> str:
        return self.scope.page_url

    def description(self) -> str:
        return self.scope.description

    def subtitle(self) -> str:
        return self.scope.description

    def feed_url(self) -> str:
        return self.scope.feed_url(self.kind)

    def feed_guid(self) -> str:
        return self.scope.feed_url(self.kind)

    # Atom needs an author for entries that have none; the site stands in for them.
    def author_name(self) -> str:
        return settings.LINERNOTES_SITE_NAME

    def author_link(self) -> str:
        return absolute_url("/")

    def items(self) -> list[FeedEntry]:
        return self.entries

    def item_title(self, entry: FeedEntry) -> str:
        return entry.title

    def item_link(self, entry: FeedEntry) -> str:
        return entry.url

    def item_description(self, entry: FeedEntry) -> str:
        return entry.summary_html

    def item_guid(self, entry: FeedEntry) -> str:
        return entry.id

    def item_pubdate(self, entry: FeedEntry) -> Any:
        return entry.published

    def item_updateddate(self, entry: FeedEntry) -> Any:
        return entry.updated

    def item_categories(self, entry: FeedEntry) -> list[str]:
        return entry.categories

    def item_extra_kwargs(self, entry: FeedEntry) -> dict[str, Any]:
        return {
            "authors": entry.authors,
            "content_html": entry.content_html,
            "external_url": entry.external_url,
        }


def xml_feed_response(
    request: HttpRequest, scope: FeedScope, entries: list[FeedEntry], kind: FeedKind
) -> HttpResponse:
    response: HttpResponse = EntryFeed(scope, entries, kind)(request)
    return response


def json_feed(scope: FeedScope, entries: list[FeedEntry]) -> dict[str, Any]:
    """A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/)."""
    return {
        "version": JSON_FEED_VERSION,
        "title": scope.title,
        "home_page_url": scope.page_url,
        "feed_url": scope.feed_url(FeedKind.JSON),
        "description": scope.description,
        "language": to_locale(settings.LANGUAGE_CODE).replace("_", "-"),
        "icon": site_logo().url,
        "authors": [{"name": settings.LINERNOTES_SITE_NAME, "url": absolute_url("/")}],
        "items": [_json_item(entry) for entry in entries],
    }


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html or entry.summary_html,
        "summary": entry.summary,
        "image": entry.image_url,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
    }
    if entry.authors:
        item["authors"] = [{"name": author.name, "url": author.url} for author in entry.authors]
    if entry.categories:
        item["tags"] = entry.categories
    if entry.external_url:
        item["external_url"] = entry.external_url
    return item
