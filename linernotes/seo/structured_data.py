"""The page's JSON-LD: one schema.org ``@graph`` whose nodes refer to each other by ``@id``.

Every page carries the WebSite (with its search action) and the Organization that publishes
it. A listing adds a CollectionPage with the list of its posts, an author page a ProfilePage
about a Person, a post a WebPage whose main entity is a BlogPosting, a static page a WebPage;
all of them a BreadcrumbList.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from linernotes.content.addresses import absolute_url
from linernotes.content.models import Author, Byline, Post
from linernotes.content.sanitise import safe_href
from linernotes.seo.identity import SocialImage, site_logo
from linernotes.seo.metadata import PageKind, PageMetadata

Node = dict[str, Any]

# What json_script escapes: nothing in the data can close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(meta: PageMetadata) -> SafeString:
    data = json.dumps(page_graph(meta), ensure_ascii=False, separators=(",", ":"))
    # The escapes above make the JSON safe to embed verbatim.
    return mark_safe(
        f'<script type="application/ld+json">{data.translate(_SCRIPT_ESCAPES)}</script>'
    )


def page_graph(meta: PageMetadata) -> Node:
    nodes = [_website(meta), _organization()]
    builder = _PAGE_NODES.get(meta.kind)
    if builder is not None:
        nodes.extend(builder(meta))
        nodes.append(_breadcrumbs(meta))
    return {"@context": "https://schema.org", "@graph": nodes}


def _ref(node_id: str) -> Node:
    return {"@id": node_id}


def _site_id(fragment: str) -> str:
    return absolute_url("/") + f"#{fragment}"


def _website(meta: PageMetadata) -> Node:
    search = absolute_url(reverse("site:home")) + "?s={search_term_string}"
    return {
        "@type": "WebSite",
        "@id": _site_id("website"),
        "url": absolute_url("/"),
        "name": settings.LINERNOTES_SITE_NAME,
        "description": settings.LINERNOTES_SITE_TAGLINE,
        "publisher": _ref(_site_id("organization")),
        "inLanguage": meta.language,
        "potentialAction": [
            {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": search},
                "query-input": "required name=search_term_string",
            }
        ],
    }


def _organization() -> Node:
    logo = site_logo()
    node: Node = {
        "@type": "Organization",
        "@id": _site_id("organization"),
        "name": settings.LINERNOTES_ORGANIZATION_NAME,
        "url": absolute_url("/"),
        "logo": _image_object(_site_id("logo"), logo),
        "image": _ref(_site_id("logo")),
    }
    if settings.LINERNOTES_SOCIAL_PROFILES:
        node["sameAs"] = list(settings.LINERNOTES_SOCIAL_PROFILES)
    return node


def _image_object(node_id: str, image: SocialImage) -> Node:
    return {
        "@type": "ImageObject",
        "@id": node_id,
        "url": image.url,
        "contentUrl": image.url,
        "width": image.width,
        "height": image.height,
        "caption": image.alt,
    }


def _web_page(meta: PageMetadata, page_type: str) -> Node:
    return {
        "@type": page_type,
        "@id": meta.url,
        "url": meta.url,
        "name": meta.title,
        "description": meta.description,
        "isPartOf": _ref(_site_id("website")),
        "breadcrumb": _ref(f"{meta.url}#breadcrumb"),
        "primaryImageOfPage": _ref(f"{meta.url}#primaryimage"),
        "image": _ref(f"{meta.url}#primaryimage"),
        "inLanguage": meta.language,
    }


def _collection_nodes(meta: PageMetadata) -> list[Node]:
    page_type = "SearchResultsPage" if meta.kind is PageKind.SEARCH else "CollectionPage"
    page = _web_page(meta, page_type)
    page["mainEntity"] = _ref(f"{meta.url}#itemlist")
    item_list = {
        "@type": "ItemList",
        "@id": f"{meta.url}#itemlist",
        "numberOfItems": len(meta.listed_posts),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": absolute_url(post.get_absolute_url()),
                "name": post.title,
            }
            for position, post in enumerate(meta.listed_posts, start=1)
        ],
    }
    return [page, item_list, _image_object(f"{meta.url}#primaryimage", meta.image)]


def _profile_nodes(meta: PageMetadata) -> list[Node]:
    assert meta.author is not None
    page = _web_page(meta, "ProfilePage")
    page["mainEntity"] = _ref(_person_id(meta.author))
    person = _person(meta.author, meta.author.role)
    return [page, person, _image_object(f"{meta.url}#primaryimage", meta.image)]


def _post_nodes(meta: PageMetadata) -> list[Node]:
    post = meta.post
    assert post is not None
    assert post.published_at is not None
    published = post.published_at.isoformat()
    modified = meta.modified.isoformat() if meta.modified else published
    page = {**_web_page(meta, "WebPage"), "datePublished": published, "dateModified": modified}
    bylines: list[Byline] = post.credits
    article = _article(meta, post, bylines, published, modified)
    people = [_person(byline.author, byline.display_role) for byline in bylines]
    return [page, article, *people, _image_object(f"{meta.url}#primaryimage", meta.image)]


def _article(
    meta: PageMetadata, post: Post, bylines: list[Byline], published: str, modified: str
) -> Node:
    keywords = [category.name for category in post.chips]
    article: Node = {
        "@type": "BlogPosting",
        "@id": f"{meta.url}#article",
        "url": meta.url,
        "headline": post.title,
        "description": meta.description,
        "datePublished": published,
        "dateModified": modified,
        "image": _ref(f"{meta.url}#primaryimage"),
        "author": [_ref(_person_id(byline.author)) for byline in bylines],
        "publisher": _ref(_site_id("organization")),
        "isPartOf": _ref(meta.url),
        "mainEntityOfPage": _ref(meta.url),
        "keywords": keywords,
        "wordCount": post.word_count,
        "inLanguage": meta.language,
    }
    if post.primary_category:
        article["articleSection"] = post.primary_category.name
    if external_url := safe_href(post.external_url):
        article["isBasedOn"] = external_url
    return article


def _person_id(author: Author) -> str:
    return absolute_url(author.get_absolute_url()) + "#person"


def _person(author: Author, job_title: str) -> Node:
    person: Node = {
        "@type": "Person",
        "@id": _person_id(author),
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }
    if job_title:
        person["jobTitle"] = job_title
    if author.bio:
        person["description"] = author.bio
    if author.avatar:
        person["image"] = absolute_url(author.avatar.url)
    if website := safe_href(author.website):
        person["sameAs"] = [website]
    return person


def _static_page_nodes(meta: PageMetadata) -> list[Node]:
    page = _web_page(meta, "WebPage")
    if meta.modified:
        page["dateModified"] = meta.modified.isoformat()
    return [page, _image_object(f"{meta.url}#primaryimage", meta.image)]


def _breadcrumbs(meta: PageMetadata) -> Node:
    return {
        "@type": "BreadcrumbList",
        "@id": f"{meta.url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.name, "item": crumb.url}
            for position, crumb in enumerate(meta.breadcrumbs, start=1)
        ],
    }


_PAGE_NODES = {
    PageKind.HOME: _collection_nodes,
    PageKind.CATEGORY: _collection_nodes,
    PageKind.AUTHOR: _profile_nodes,
    PageKind.POST: _post_nodes,
    PageKind.PAGE: _static_page_nodes,
    PageKind.SEARCH: _collection_nodes,
}
