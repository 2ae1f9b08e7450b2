"""The JSON-LD graph of every page type, expanded offline with the schema.org context."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linernotes.search.indexer import rebuild_index
from tests.seo.pages import SITE, SITE_NAME, SampleSite, build_sample_site, head_of
from tests.seo.validators import expand_json_ld, json_ld_of, types_of, value, values

pytestmark = pytest.mark.django_db

WEBSITE, ORGANIZATION = f"{SITE}/#website", f"{SITE}/#organization"


@pytest.fixture
def site(settings: Any) -> SampleSite:
    settings.LINERNOTES_PAGE_SIZE = 2
    return build_sample_site()


def graph(client: Client, url: str, status: int = 200) -> dict[str, dict[str, Any]]:
    nodes = expand_json_ld(json_ld_of(head_of(client, url, status)))
    assert_site_nodes(nodes)
    return nodes


def assert_site_nodes(nodes: dict[str, dict[str, Any]]) -> None:
    website, organization = nodes[WEBSITE], nodes[ORGANIZATION]
    assert types_of(website) == {"WebSite"}
    assert value(website, "name") == SITE_NAME
    assert value(website, "publisher") == ORGANIZATION
    action = website["http://schema.org/potentialAction"][0]
    assert types_of(action) == {"SearchAction"}
    target = action["http://schema.org/target"][0]
    assert value(target, "urlTemplate") == f"{SITE}/?s={{search_term_string}}"
    assert types_of(organization) == {"Organization"}
    logo = organization["http://schema.org/logo"][0]
    assert types_of(logo) == {"ImageObject"}
    assert value(logo, "url") == f"{SITE}/logo.png"
    assert (value(logo, "width"), value(logo, "height")) == (512, 512)


def assert_breadcrumbs(node: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert types_of(node) == {"BreadcrumbList"}
    items = sorted(
        node["http://schema.org/itemListElement"], key=lambda item: value(item, "position")
    )
    assert [(value(item, "name"), value(item, "item")) for item in items] == expected


def assert_primary_image(nodes: dict[str, dict[str, Any]], page_url: str, image_url: str) -> None:
    page = nodes[page_url]
    image = nodes[value(page, "primaryImageOfPage")]
    assert types_of(image) == {"ImageObject"}
    assert value(image, "contentUrl") == image_url
    assert value(image, "width") > 0
    assert value(image, "height") > 0


@pytest.mark.parametrize(
    ("url", "page_url", "crumbs"),
    [
        ("/", f"{SITE}/", [("Home", f"{SITE}/")]),
        ("/page/2/", f"{SITE}/page/2/", [("Home", f"{SITE}/")]),
        ("/?category=platform", f"{SITE}/?category=platform", [("Home", f"{SITE}/")]),
        (
            "/category/platform/",
            f"{SITE}/category/platform/",
            [("Home", f"{SITE}/"), ("Platform", f"{SITE}/category/platform/")],
        ),
        (
            "/category/platform/page/2/",
            f"{SITE}/category/platform/page/2/",
            [("Home", f"{SITE}/"), ("Platform", f"{SITE}/category/platform/")],
        ),
    ],
)
def test_listings_are_collection_pages(
    client: Client, site: SampleSite, url: str, page_url: str, crumbs: list[tuple[str, str]]
) -> None:
    nodes = graph(client, url)
    page = nodes[page_url]
    assert types_of(page) == {"CollectionPage"}
    assert value(page, "url") == page_url
    assert value(page, "isPartOf") == WEBSITE
    assert_breadcrumbs(nodes[value(page, "breadcrumb")], crumbs)
    item_list = nodes[value(page, "mainEntity")]
    assert types_of(item_list) == {"ItemList"}
    listed = [value(item, "url") for item in item_list["http://schema.org/itemListElement"]]
    assert len(listed) == value(item_list, "numberOfItems") == 2
    assert all(address.startswith(f"{SITE}/2024/") for address in listed)
    assert_primary_image(nodes, page_url, value(nodes[value(page, "image")], "url"))


def test_search_results_page_lists_the_results(client: Client, site: SampleSite) -> None:
    rebuild_index()
    page_url = f"{SITE}/search/?q=monolith"
    nodes = graph(client, "/search/?q=monolith")
    page = nodes[page_url]
    assert types_of(page) == {"SearchResultsPage"}
    assert value(page, "isPartOf") == WEBSITE
    headline = "Search results for “monolith”"
    assert_breadcrumbs(
        nodes[value(page, "breadcrumb")], [("Home", f"{SITE}/"), (headline, page_url)]
    )
    item_list = nodes[value(page, "mainEntity")]
    listed = [value(item, "url") for item in item_list["http://schema.org/itemListElement"]]
    assert listed == [f"{SITE}{site.post.get_absolute_url()}"]


def test_post_is_a_blog_posting_with_every_author(client: Client, site: SampleSite) -> None:
    url = f"{SITE}/2024/09/moving-a-monolith/"
    nodes = graph(client, "/2024/09/moving-a-monolith/")
    page, article = nodes[url], nodes[f"{url}#article"]

    assert types_of(page) == {"WebPage"}
    assert types_of(article) == {"BlogPosting"}
    assert value(article, "headline") == "Moving a monolith"
    assert value(article, "datePublished") == "2024-09-05T10:00:00+00:00"
    assert value(article, "dateModified") >= value(article, "datePublished")
    assert value(article, "mainEntityOfPage") == url
    assert value(article, "publisher") == ORGANIZATION
    assert value(article, "articleSection") == "Platform"
    assert values(article, "keywords") == ["Platform", "Web"]
    assert value(article, "wordCount") == 50
    image = nodes[value(article, "image")]
    assert value(image, "url") == f"{SITE}/placeholder/moving-a-monolith.png"
    assert (value(image, "width"), value(image, "height")) == (1200, 630)

    people = [nodes[person] for person in values(article, "author")]
    assert [types_of(person) for person in people] == [{"Person"}, {"Person"}]
    assert [(value(p, "name"), value(p, "url"), value(p, "jobTitle")) for p in people] == [
        ("Ada Lovelace", f"{SITE}/author/ada/", "Staff Engineer"),
        ("Grace Hopper", f"{SITE}/author/grace/", "Compiler Lead"),
    ]
    assert_breadcrumbs(
        nodes[value(page, "breadcrumb")],
        [
            ("Home", f"{SITE}/"),
            ("Platform", f"{SITE}/category/platform/"),
            ("Moving a monolith", url),
        ],
    )


def test_link_post_names_the_original(client: Client, site: SampleSite) -> None:
    url = f"{SITE}/2024/10/elsewhere/"
    article = graph(client, "/2024/10/elsewhere/")[f"{url}#article"]
    assert types_of(article) == {"BlogPosting"}
    assert value(article, "isBasedOn") == "https://www.example.org/2024/10/original/"


def test_byline_role_overrides_the_job_title(client: Client, site: SampleSite) -> None:
    site.post.bylines.filter(author=site.grace).update(role="Guest editor")
    nodes = graph(client, "/2024/09/moving-a-monolith/")
    assert value(nodes[f"{SITE}/author/grace/#person"], "jobTitle") == "Guest editor"


def test_author_page_is_a_profile_page(client: Client, site: SampleSite) -> None:
    nodes = graph(client, "/author/ada/")
    page = nodes[f"{SITE}/author/ada/"]
    assert types_of(page) == {"ProfilePage"}
    person = nodes[value(page, "mainEntity")]
    assert types_of(person) == {"Person"}
    assert value(person, "name") == "Ada Lovelace"
    assert value(person, "jobTitle") == "Staff Engineer"
    assert value(person, "description") == "Writes about engines."
    assert_breadcrumbs(
        nodes[value(page, "breadcrumb")],
        [("Home", f"{SITE}/"), ("Ada Lovelace", f"{SITE}/author/ada/")],
    )


def test_static_page_is_a_web_page(client: Client, site: SampleSite) -> None:
    nodes = graph(client, "/about/")
    page = nodes[f"{SITE}/about/"]
    assert types_of(page) == {"WebPage"}
    assert value(page, "name") == f"About · {SITE_NAME}"
    assert value(page, "dateModified")
    assert_primary_image(nodes, f"{SITE}/about/", f"{SITE}/social-image.png")
    assert_breadcrumbs(
        nodes[value(page, "breadcrumb")], [("Home", f"{SITE}/"), ("About", f"{SITE}/about/")]
    )


def test_not_found_page_has_only_the_site(client: Client, site: SampleSite) -> None:
    nodes = graph(client, "/no-such-page/", status=404)
    assert set(nodes) == {WEBSITE, ORGANIZATION}


def test_organization_profiles_and_name(client: Client, site: SampleSite, settings: Any) -> None:
    settings.LINERNOTES_ORGANIZATION_NAME = "Example Corp"
    settings.LINERNOTES_SOCIAL_PROFILES = ["https://github.com/example"]
    organization = graph(client, "/")[ORGANIZATION]
    assert value(organization, "name") == "Example Corp"
    assert values(organization, "sameAs") == ["https://github.com/example"]


def test_script_cannot_be_closed_by_content(client: Client) -> None:
    from tests.factories import PostFactory

    post = PostFactory.create(title="</script><script>alert(1)</script>", summary="a & b")
    response = client.get(post.get_absolute_url())
    raw = response.content.decode().split('<script type="application/ld+json">')[1]
    raw = raw.split("</script>")[0]
    assert "<" not in raw
    assert "\\u003C/script\\u003E" in raw
    article = expand_json_ld(json_ld_of(head_of(client, post.get_absolute_url())))
    found = [node for node in article.values() if types_of(node) == {"BlogPosting"}]
    assert value(found[0], "headline") == "</script><script>alert(1)</script>"
