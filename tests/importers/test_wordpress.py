"""Reading WordPress exports: the real test exports, and small ones written for one rule each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from linernotes.importers.records import ImportedPost, ImportedSite, PostStatus, UnreadableSource
from linernotes.importers.sources.wordpress import read
from tests.shared_data import shared_file

BROKEN = {
    "malformed.xml": "not well-formed XML",
    "malformed-simple.xml": "not well-formed XML",
    "crazy-cdata.xml": "not well-formed XML",
    "invalid-version-tag.xml": "unknown WXR version 'abc'",
    "missing-version-tag.xml": "wp:wxr_version is missing",
}
WP = "http://wordpress.org/export/1.2/"
HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{WP}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{WP}"><channel>
<title>Blog</title><link>https://blog.test</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://blog.test</wp:base_site_url>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann</wp:author_display_name></wp:author>
"""


def item(post_id: int, body: str = "", *, extra: str = "", status: str = "publish") -> str:
    return f"""<item><title>Post {post_id}</title>
<link>https://blog.test/2020/01/post-{post_id}/</link><guid>https://blog.test/?p={post_id}</guid>
<dc:creator>ann</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>2020-01-02 03:04:05</wp:post_date_gmt>
<wp:post_name>post-{post_id}</wp:post_name><wp:status>{status}</wp:status>
<wp:post_type>post</wp:post_type>{extra}</item>"""


def meta(key: str, value: str) -> str:
    value_element = f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value>"
    return f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>{value_element}</wp:postmeta>"


def read_export(tmp_path: Path, *items: str, channel: str = "") -> ImportedSite:
    path = tmp_path / "export.xml"
    path.write_text(HEAD + channel + "".join(items) + "</channel></rss>", encoding="utf-8")
    return read(path)


def only_post(site: ImportedSite) -> ImportedPost:
    assert len(site.posts) == 1
    return site.posts[0]


def notices_about(site: ImportedSite, where: str) -> list[str]:
    return [notice.message for notice in site.notices if notice.where == where]


def all_exports() -> list[Path]:
    root = shared_file("testdata/wordpress")
    return sorted(
        [
            *root.glob("theme-test-data/*.xml"),
            *root.glob("wordpress-importer/phpunit/data/*.xml"),
            *root.glob("wordpress-importer/e2e/fixtures/*.xml"),
        ]
    )


def test_every_shared_export_reads_or_is_refused_with_its_problem() -> None:
    exports = all_exports()
    assert len(exports) > 30
    for path in exports:
        if path.name in BROKEN:
            with pytest.raises(UnreadableSource) as refused:
                read(path)
            assert str(path) in str(refused.value)
            assert BROKEN[path.name] in str(refused.value)
        else:
            assert read(path).origin.startswith("wordpress:")


def test_syntax_errors_name_their_line() -> None:
    path = shared_file("testdata/wordpress/wordpress-importer/phpunit/data/crazy-cdata.xml")
    with pytest.raises(UnreadableSource) as refused:
        read(path)
    assert refused.value.line == 18


def test_a_document_that_is_not_rss_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<feed><entry/></feed>", encoding="utf-8")
    with pytest.raises(UnreadableSource, match="no RSS <channel>"):
        read(path)


def test_theme_unit_test_data_counts_match_the_xml() -> None:
    path = shared_file("testdata/wordpress/theme-test-data/themeunittestdata.wordpress.xml")
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"wp": str(tree.getroot().nsmap["wp"])}  # the https:// form
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}

    def count(kind: str) -> int:
        statuses = ["publish", "future", "draft", "pending", "private", "auto-draft"]
        return sum(
            1
            for element in tree.iterfind("channel/item", ns)
            if element.findtext("wp:post_type", namespaces=ns) == kind
            and element.findtext("wp:status", namespaces=ns) in statuses
        )

    site = read(path)
    assert len(site.posts) == count("post") > 30
    assert len(site.pages) == count("page") > 10
    logins = {
        element.findtext("wp:author_login", namespaces=ns)
        for element in tree.iterfind("channel/wp:author", ns)
    }
    creators = {
        element.findtext("dc:creator", namespaces=dc)
        for element in tree.iterfind("channel/item", ns)
        if element.findtext("wp:post_type", namespaces=ns) in {"post", "page"}
    }
    # A creator missing from the author list still gets a byline of their own.
    assert {author.key for author in site.authors} == logins | creators
    categories = [c for c in site.categories if c.key.startswith("category:")]
    assert len(categories) == len(tree.findall("channel/wp:category", ns))
    used_tags = {
        element.get("nicename")
        for element in tree.iterfind("channel/item/category[@domain='post_tag']")
    }
    assert {c.slug for c in site.categories if c.key.startswith("tag:")} <= used_tags
    sticky = {
        f"post:{element.findtext('wp:post_id', namespaces=ns)}"
        for element in tree.iterfind("channel/item", ns)
        if element.findtext("wp:is_sticky", namespaces=ns) == "1"
    }
    assert sticky
    assert {post.key for post in site.posts if post.featured} == sticky


def test_theme_data_flattens_category_hierarchy() -> None:
    site = read(shared_file("testdata/wordpress/theme-test-data/themeunittestdata.wordpress.xml"))
    by_slug = {category.slug: category for category in site.categories}
    child = by_slug["child-category-01"]
    assert child.old_paths == ["/category/parent-category/child-category-01/"]
    assert child.description == "This is a description for the Child Category 01."
    grandchild = by_slug["grandchild-category"]
    assert grandchild.old_paths == [
        "/category/parent-category/child-category-03/grandchild-category/"
    ]


def test_child_category_without_description_says_where_it_was(tmp_path: Path) -> None:
    channel = (
        "<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>eng</wp:category_nicename>"
        "<wp:category_parent></wp:category_parent><wp:cat_name>Engineering</wp:cat_name>"
        "</wp:category><wp:category><wp:term_id>2</wp:term_id>"
        "<wp:category_nicename>data</wp:category_nicename>"
        "<wp:category_parent>eng</wp:category_parent><wp:cat_name>Data</wp:cat_name></wp:category>"
    )
    site = read_export(tmp_path, channel=channel)
    data = next(category for category in site.categories if category.slug == "data")
    assert (data.name, data.description) == ("Data", "Under Engineering")
    assert data.old_paths == ["/category/eng/data/"]


def test_private_and_password_posts_become_drafts_with_notices(tmp_path: Path) -> None:
    site = read_export(
        tmp_path,
        item(1, "x", status="private"),
        item(2, "y", extra="<wp:post_password>secret</wp:post_password>"),
        item(3, "z", status="trash"),
    )
    assert [(p.key, p.status) for p in site.posts] == [
        ("post:1", PostStatus.DRAFT),
        ("post:2", PostStatus.DRAFT),
    ]
    assert "private post imported as a draft" in notices_about(site, "post 1")
    assert "password-protected post imported as a draft" in notices_about(site, "post 2")
    assert any("skipped" in message for message in notices_about(site, "post 3"))


def test_post_fields_dates_and_old_paths(tmp_path: Path) -> None:
    extra = (
        "<wp:post_modified_gmt>2020-02-03 04:05:06</wp:post_modified_gmt>"
        "<excerpt:encoded><![CDATA[<p>Short <b>one</b></p>]]></excerpt:encoded>"
        "<wp:is_sticky>1</wp:is_sticky>"
    )
    post = only_post(read_export(tmp_path, item(7, "Hello", extra=extra)))
    assert post.key == "post:7"
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert post.updated_at == datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert post.summary == "Short one"
    assert post.featured
    assert post.old_paths == ["/2020/01/post-7/", "/?p=7"]
    assert [credit.author_key for credit in post.credits] == ["ann"]


def test_co_authors_plus_bylines_in_order(tmp_path: Path) -> None:
    guest = (
        "<item><title>Bo</title><wp:post_id>50</wp:post_id><wp:post_name>cap-bo</wp:post_name>"
        "<wp:status>publish</wp:status><wp:post_type>guest-author</wp:post_type>"
        + meta("cap-user_login", "bo")
        + meta("cap-display_name", "Bo Guest")
        + meta("cap-description", "Writes things")
        + meta("cap-website", "https://bo.test")
        + "</item>"
    )
    authors = (
        '<category domain="author" nicename="cap-bo"><![CDATA[bo]]></category>'
        '<category domain="author" nicename="cap-ann"><![CDATA[ann]]></category>'
    )
    site = read_export(tmp_path, guest, item(1, "x", extra=authors))
    assert [credit.author_key for credit in only_post(site).credits] == ["bo", "ann"]
    bo = next(author for author in site.authors if author.key == "bo")
    assert (bo.name, bo.bio, bo.website) == ("Bo Guest", "Writes things", "https://bo.test")


def test_yoast_fields(tmp_path: Path) -> None:
    extra = (
        meta("_yoast_wpseo_title", "%%title%% %%sep%% %%sitename%%")
        + meta("_yoast_wpseo_metadesc", "About it")
        + meta("_yoast_wpseo_canonical", "https://elsewhere.test/x")
        + meta("_yoast_wpseo_meta-robots-noindex", "1")
    )
    unknown = meta("_yoast_wpseo_title", "%%title%% %%currentyear%%")
    site = read_export(tmp_path, item(1, "x", extra=extra), item(2, "y", extra=unknown))
    first, second = site.posts
    assert first.meta_title == "Post 1 - Blog"
    assert first.meta_description == "About it"
    assert first.canonical_url == "https://elsewhere.test/x"
    assert first.noindex
    assert second.meta_title == ""
    assert any("%%currentyear%%" in message for message in notices_about(site, "post 2"))


def test_hero_from_thumbnail_and_attachment_file_found_on_disk(tmp_path: Path) -> None:
    upload = tmp_path / "wp-content" / "uploads" / "2020" / "01"
    upload.mkdir(parents=True)
    (upload / "x.jpg").write_bytes(b"\xff\xd8\xff")
    attachment = (
        "<item><title>x</title><wp:post_id>9</wp:post_id><wp:status>inherit</wp:status>"
        "<wp:post_type>attachment</wp:post_type>"
        "<wp:attachment_url>https://blog.test/wp-content/uploads/2020/01/x.jpg</wp:attachment_url>"
        + meta("_wp_attachment_image_alt", "An X")
        + "</item>"
    )
    body = '<img src="https://blog.test/wp-content/uploads/2020/01/x.jpg" alt="x">'
    body += '<img src="https://cdn.test/y.png">'
    post = only_post(
        read_export(tmp_path, attachment, item(1, body, extra=meta("_thumbnail_id", "9")))
    )
    assert post.hero_image is not None
    assert post.hero_image.path == upload / "x.jpg"
    assert post.hero_image_alt == "An X"
    assert [(m.reference, m.path, m.url) for m in post.media] == [
        ("https://blog.test/wp-content/uploads/2020/01/x.jpg", upload / "x.jpg", ""),
        ("https://cdn.test/y.png", None, "https://cdn.test/y.png"),
    ]
    assert all(media.reference in post.body for media in post.media)


def test_classic_content_gets_paragraphs_and_line_breaks(tmp_path: Path) -> None:
    body = "First line\nsecond line\n\nNext paragraph\n<pre>keep\n\nthis</pre>"
    post = only_post(read_export(tmp_path, item(1, body)))
    assert post.body == "First line\\\nsecond line\n\nNext paragraph\n\n```\nkeep\n\nthis\n```\n"


def test_gutenberg_code_block_keeps_its_language(tmp_path: Path) -> None:
    body = (
        "<!-- wp:paragraph --><p>Intro</p><!-- /wp:paragraph -->"
        '<!-- wp:code {"language":"python"} --><pre class="wp-block-code"><code>x = 1</code></pre>'
        "<!-- /wp:code -->"
    )
    assert (
        only_post(read_export(tmp_path, item(1, body))).body == "Intro\n\n```python\nx = 1\n```\n"
    )


def test_syntaxhighlighter_shortcodes_become_fenced_code(tmp_path: Path) -> None:
    body = "Look:\n\n[code lang=ruby]puts 1\nputs 2[/code]\n\n[python]x = [1]\n\ny = 2[/python]"
    post = only_post(read_export(tmp_path, item(1, body)))
    assert "```ruby\nputs 1\nputs 2\n```" in post.body
    assert "```python\nx = [1]\n\ny = 2\n```" in post.body


def test_youtube_embeds_become_nocookie_frames(tmp_path: Path) -> None:
    block = (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ</div></figure><!-- /wp:embed -->"
    )
    site = read_export(tmp_path, item(1, block), item(2, "[youtube https://youtu.be/dQw4w9WgXcQ]"))
    for post in site.posts:
        assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in post.body
        assert "youtube.com/watch" not in post.body


def test_unknown_shortcode_is_kept_visibly_and_reported(tmp_path: Path) -> None:
    site = read_export(tmp_path, item(4, 'Before [contact-form id="2"] after'))
    assert only_post(site).body == 'Before \\[contact-form id="2"\\] after\n'
    assert "unknown shortcode [contact-form] kept as text" in notices_about(site, "post 4")


def test_more_marker_gives_the_summary_and_is_removed(tmp_path: Path) -> None:
    post = only_post(read_export(tmp_path, item(1, "Teaser text\n<!--more-->\nThe rest")))
    assert post.summary == "Teaser text"
    assert "more" not in post.body
    assert post.body == "Teaser text\n\nThe rest\n"


def test_tags_become_categories_or_are_skipped(tmp_path: Path) -> None:
    channel = (
        "<wp:tag><wp:tag_slug>used</wp:tag_slug><wp:tag_name>Used</wp:tag_name></wp:tag>"
        "<wp:tag><wp:tag_slug>unused</wp:tag_slug><wp:tag_name>Unused</wp:tag_name></wp:tag>"
    )
    tagged = item(1, "x", extra='<category domain="post_tag" nicename="used">Used</category>')
    site = read_export(tmp_path, tagged, channel=channel)
    assert [(c.key, c.old_paths) for c in site.categories] == [("tag:used", ["/tag/used/"])]
    assert only_post(site).category_keys == ["tag:used"]
    skipped = read(tmp_path / "export.xml", tags="skip")
    assert skipped.categories == []
    assert "tag 'Used' not imported" in notices_about(skipped, "post 1")
