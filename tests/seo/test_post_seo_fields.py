"""A post's meta title, meta description and canonical URL: in its head, its JSON-LD and the
sitemap, checked in the admin form, and previewed on its admin page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from linernotes.content.admin import PostAdmin
from linernotes.content.admin_seo import SOCIAL_IMAGE_NEEDS_ALT, SeoFieldsAdminMixin
from linernotes.content.models import Post, Status
from tests.content.conftest import post_form
from tests.factories import AuthorFactory, PostFactory
from tests.seo.pages import SITE, SITE_NAME, head_of, links, meta
from tests.seo.validators import validate_sitemap

pytestmark = pytest.mark.django_db

ADDRESS = f"{SITE}/2024/09/moving-a-monolith/"
META_TITLE = "Moving a monolith without a maintenance window"
META_DESCRIPTION = "Strangler figs, dual writes and a year of small steps: how we split it."
ORIGINAL = "https://original.example.org/2024/moving-a-monolith"


def make_post(**fields: Any) -> Post:
    values: dict[str, Any] = {
        "title": "Moving a monolith",
        "slug": "moving-a-monolith",
        "summary": "How we moved a monolith without stopping it.",
        "published_at": datetime(2024, 9, 5, 10, tzinfo=UTC),
        **fields,
    }
    post: Post = PostFactory.create(**values)
    return post


def json_ld_nodes(head: Tag) -> dict[str, dict[str, Any]]:
    """The JSON-LD @graph's nodes by @id."""
    scripts = head.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string or "")
    return {node["@id"]: node for node in data["@graph"]}


def page_of(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


# The public page


def test_meta_title_and_description_are_what_search_engines_and_cards_get(
    client: Client,
) -> None:
    make_post(meta_title=META_TITLE, meta_description=META_DESCRIPTION)
    page = page_of(client, ADDRESS)
    head = page.head
    assert head is not None
    assert [title.get_text() for title in head.find_all("title")] == [META_TITLE]
    assert meta(head, "og:title") == META_TITLE
    assert meta(head, "twitter:title") == META_TITLE
    for key in ("description", "og:description", "twitter:description"):
        assert meta(head, key) == META_DESCRIPTION, key
    # Readers still see the post's own title.
    assert page.select_one("h1#post-title").get_text(strip=True) == "Moving a monolith"
    nodes = json_ld_nodes(head)
    assert nodes[f"{ADDRESS}#article"]["description"] == META_DESCRIPTION
    assert nodes[f"{ADDRESS}#article"]["headline"] == "Moving a monolith"
    assert nodes[ADDRESS]["description"] == META_DESCRIPTION
    assert nodes[ADDRESS]["name"] == META_TITLE


def test_empty_or_blank_fields_fall_back_to_the_title_and_excerpt(client: Client) -> None:
    make_post(meta_title="   ", meta_description="\n ")
    head = head_of(client, ADDRESS)
    assert head.title.get_text() == f"Moving a monolith · {SITE_NAME}"
    assert meta(head, "og:title") == meta(head, "twitter:title") == "Moving a monolith"
    excerpt = "How we moved a monolith without stopping it."
    for key in ("description", "og:description", "twitter:description"):
        assert meta(head, key) == excerpt, key
    assert json_ld_nodes(head)[f"{ADDRESS}#article"]["description"] == excerpt
    assert links(head, "canonical") == [ADDRESS]


def test_a_meta_description_longer_than_the_excerpt_cut_is_kept_whole(client: Client) -> None:
    written = "Words that matter. " * 15
    make_post(meta_description=written)
    head = head_of(client, ADDRESS)
    assert meta(head, "description") == written.strip()
    assert len(meta(head, "description")) > 200


def test_a_canonical_url_names_the_original_and_og_url_stays_here(client: Client) -> None:
    make_post(canonical_url=ORIGINAL)
    head = head_of(client, ADDRESS)
    assert links(head, "canonical") == [ORIGINAL]
    assert meta(head, "og:url") == ADDRESS


def test_a_canonical_url_that_is_not_a_web_address_is_ignored(client: Client) -> None:
    # Written past the form (an import, the ORM): never put into the page.
    make_post(canonical_url="javascript:alert(1)")
    head = head_of(client, ADDRESS)
    assert links(head, "canonical") == [ADDRESS]
    assert "javascript" not in str(head)


def test_a_hidden_post_names_no_canonical_even_with_a_canonical_url(client: Client) -> None:
    make_post(canonical_url=ORIGINAL, noindex=True)
    head = head_of(client, ADDRESS)
    assert links(head, "canonical") == []
    assert meta(head, "robots") == "noindex, follow"


# The sitemap


def test_the_sitemap_leaves_out_posts_whose_original_is_on_another_site(client: Client) -> None:
    PostFactory.create(slug="ours")
    PostFactory.create(slug="syndicated", canonical_url="https://elsewhere.example.com/post/")
    PostFactory.create(slug="syndicated-too", canonical_url="HTTP://Elsewhere.Example.com/b")
    # The same host with another port, or a host that only begins like this one, is elsewhere.
    PostFactory.create(slug="other-port", canonical_url="http://127.0.0.1:9000/x/")
    PostFactory.create(slug="look-alike", canonical_url=f"{SITE}.example.com/x/")
    # A canonical URL on this site (any scheme) keeps the post here.
    PostFactory.create(slug="here", canonical_url=f"{SITE}/2024/01/here/")
    PostFactory.create(slug="here-https", canonical_url="https://127.0.0.1:8000")
    response = client.get("/sitemap-posts.xml")
    assert response.status_code == 200
    validate_sitemap(response.content, "sitemap.xsd")
    tree = etree.fromstring(response.content)
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    slugs = {
        str(loc).rstrip("/").rsplit("/", 1)[1]
        for loc in tree.xpath("//sm:loc/text()", namespaces=namespace)
    }
    assert slugs == {"ours", "here", "here-https"}


# The admin


@pytest.fixture
def editor(client: Client) -> Client:
    assert issubclass(PostAdmin, SeoFieldsAdminMixin), (
        "PostAdmin needs SeoFieldsAdminMixin among its bases"
    )
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    return client


def errors_of(page: BeautifulSoup, field: str) -> list[str]:
    row = page.select_one(f".form-row.field-{field}")
    assert row is not None, field
    return [item.get_text(strip=True) for item in row.select(".errorlist li")]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("javascript:alert(document.cookie)", "starts with http:// or https://"),
        # Django's own URL check lets this one through.
        ("ftp://files.example.org/post.txt", "starts with http:// or https://"),
    ],
)
def test_the_form_refuses_a_canonical_url_that_is_not_a_web_address(
    editor: Client, address: str, message: str
) -> None:
    author = AuthorFactory.create()
    form = post_form(author=author, slug="refused", canonical_url=address)
    response = editor.post("/admin/content/post/add/", form)
    assert response.status_code == 200
    errors = errors_of(BeautifulSoup(response.content, "lxml"), "canonical_url")
    assert len(errors) == 1
    assert message in errors[0]
    assert not Post.objects.filter(slug="refused").exists()


def test_a_changed_post_keeps_its_canonical_url_when_the_new_one_is_refused(
    editor: Client,
) -> None:
    author = AuthorFactory.create()
    post = make_post(status=Status.DRAFT, published_at=None, canonical_url=ORIGINAL)
    form = post_form(
        author=author,
        title=post.title,
        slug=post.slug,
        summary=post.summary,
        canonical_url="javascript:alert(1)",
    )
    response = editor.post(f"/admin/content/post/{post.pk}/change/", form)
    assert response.status_code == 200
    assert errors_of(BeautifulSoup(response.content, "lxml"), "canonical_url")
    post.refresh_from_db()
    assert post.canonical_url == ORIGINAL


def test_a_social_image_needs_alt_text(editor: Client, png: bytes) -> None:
    author = AuthorFactory.create()
    image = SimpleUploadedFile("card.png", png, content_type="image/png")
    form = post_form(author=author, slug="pictured", social_image=image, social_image_alt=" ")
    response = editor.post("/admin/content/post/add/", form)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "lxml")
    assert errors_of(page, "social_image_alt") == [SOCIAL_IMAGE_NEEDS_ALT]
    assert not Post.objects.filter(slug="pictured").exists()


def test_a_social_image_with_alt_text_is_saved(editor: Client, png: bytes) -> None:
    author = AuthorFactory.create()
    image = SimpleUploadedFile("card.png", png, content_type="image/png")
    form = post_form(
        author=author,
        slug="pictured",
        social_image=image,
        social_image_alt="Two boxes and an arrow",
        canonical_url=ORIGINAL,
    )
    response = editor.post("/admin/content/post/add/", form)
    assert response.status_code == 302, errors_of(
        BeautifulSoup(response.content, "lxml"), "social_image_alt"
    )
    post = Post.objects.get(slug="pictured")
    assert post.social_image.name.endswith(".png")
    assert post.canonical_url == ORIGINAL


def preview_in(page: BeautifulSoup) -> Tag:
    fieldset = page.select_one("fieldset.seo-fields")
    assert fieldset is not None
    preview = fieldset.select_one(".field-seo_preview [data-seo-preview]")
    assert preview is not None
    # The preview comes after the fields it describes.
    rows = [row["class"] for row in fieldset.select(".form-row")]
    assert "field-seo_preview" in rows[-1]
    return preview


def text(tag: Tag | None, selector: str) -> str:
    assert tag is not None
    found = tag.select_one(selector)
    assert found is not None, selector
    return found.get_text(strip=True)


def test_the_change_page_previews_the_search_result_and_the_social_card(
    editor: Client, png: bytes
) -> None:
    description = "A sentence that runs on, " * 10
    post = make_post(
        meta_title=META_TITLE,
        meta_description=description,
        hero_image=SimpleUploadedFile("hero.png", png, content_type="image/png"),
        hero_image_alt="A whiteboard full of boxes",
    )
    page = page_of(editor, f"/admin/content/post/{post.pk}/change/")
    preview = preview_in(page)
    search = preview.select_one('section[aria-labelledby="seo-search-preview-heading"]')
    assert text(preview, "#seo-search-preview-heading") == "As a search result"
    assert text(search, "[data-seo-title]") == META_TITLE
    assert (
        text(search, "[data-seo-address]")
        == "http://127.0.0.1:8000 › 2024 › 09 › moving-a-monolith"
    )
    assert text(search, ".seo-preview__site") == SITE_NAME
    snippet = text(search, "[data-seo-snippet]")
    assert snippet.endswith("…")
    assert len(snippet) <= 161
    assert description.startswith(snippet[:-1])
    assert search.select_one("[data-seo-canonical-note]").has_attr("hidden")

    card = preview.select_one('section[aria-labelledby="seo-card-preview-heading"]')
    assert text(preview, "#seo-card-preview-heading") == "As a social card"
    assert text(card, "[data-seo-card-title]") == META_TITLE
    assert text(card, "[data-seo-card-description]") == snippet
    assert text(card, ".seo-preview__host") == "127.0.0.1"
    # No social image: the hero image stands in.
    image = card.select_one("img[data-seo-image]")
    assert image["src"] == post.hero_image.url
    assert image["alt"] == "A whiteboard full of boxes"

    assert text(preview, "[data-seo-title-length]") == (
        f"The title has {len(META_TITLE)} characters; search results show about 60."
    )
    assert text(preview, "[data-seo-title-warning]") == ""
    assert text(preview, "[data-seo-description-length]").startswith(
        f"The description has {len(description.strip())} characters"
    )
    warning = preview.select_one("[data-seo-description-warning]")
    assert warning["role"] == "status"
    assert warning["aria-live"] == "polite"
    assert warning.get_text(strip=True) == (
        "Longer than 160 characters: search results may cut the description short."
    )
    # The script that redraws it is the site's own file (the CSP allows no inline script).
    scripts = [str(script.get("src", "")) for script in page.select("script")]
    assert any(src.endswith("content/seo-preview.js") for src in scripts)


def test_without_meta_fields_the_preview_shows_the_fallbacks(editor: Client, png: bytes) -> None:
    post = make_post(
        title="A title long enough that, with the site's name, it passes sixty",
        social_image=SimpleUploadedFile("card.png", png, content_type="image/png"),
        social_image_alt="The card picture",
        hero_image=SimpleUploadedFile("hero.png", png, content_type="image/png"),
        hero_image_alt="The hero picture",
        canonical_url=ORIGINAL,
    )
    preview = preview_in(page_of(editor, f"/admin/content/post/{post.pk}/change/"))
    title = f"A title long enough that, with the site's name, it passes sixty · {SITE_NAME}"
    assert text(preview, "[data-seo-title]") == title
    assert text(preview, "[data-seo-card-title]") == post.title
    assert text(preview, "[data-seo-snippet]") == "How we moved a monolith without stopping it."
    assert "Longer than 60 characters" in text(preview, "[data-seo-title-warning]")
    assert text(preview, "[data-seo-description-warning]") == ""
    # The social image comes before the hero image.
    image = preview.select_one("img[data-seo-image]")
    assert image["src"] == post.social_image.url
    assert image["alt"] == "The card picture"
    note = preview.select_one("[data-seo-canonical-note]")
    assert not note.has_attr("hidden")
    assert ORIGINAL in note.get_text()


def test_the_add_page_previews_the_site_before_the_post_has_an_address(editor: Client) -> None:
    preview = preview_in(page_of(editor, "/admin/content/post/add/"))
    assert text(preview, "[data-seo-address]") == "http://127.0.0.1:8000"
    assert text(preview, "[data-seo-title]") == SITE_NAME
    assert not preview.select_one("[data-seo-no-image]").has_attr("hidden")
