from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.utils import timezone

from linernotes.content.media_models import MediaFile
from linernotes.content.models import Author, Post
from linernotes.importers.export_markdown import export_markdown
from linernotes.importers.records import (
    ImportedCredit,
    ImportedMedia,
    ImportedRedirect,
    PostStatus,
    UnreadableSource,
)
from linernotes.importers.sources import native
from tests.importers.test_export_markdown import CREATED, PUBLISHED, UPDATED, build_small_site


@pytest.fixture
def exported(settings: LazySettings, tmp_path: Path, db: None) -> Path:
    settings.TIME_ZONE = "Europe/Stockholm"
    build_small_site()
    export_markdown(tmp_path / "export")
    return tmp_path / "export"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_export_reads_back_as_the_database_content(exported: Path) -> None:
    site = native.read(exported)
    assert (site.source, site.origin) == ("markdown", f"linernotes:{exported.resolve()}")
    assert site.notices == []
    stored = Post.objects.get(slug="moving-fast")
    chart = MediaFile.objects.get(original_name="chart.png")
    post = next(post for post in site.posts if post.slug == "moving-fast")
    assert post.key == "posts/2024/10/moving-fast.md"
    assert (post.title, post.body, post.status) == (stored.title, stored.body, PostStatus.PUBLISHED)
    assert (post.published_at, post.created_at) == (PUBLISHED, CREATED.replace(microsecond=0))
    assert post.updated_at == UPDATED
    assert (post.summary, post.featured) == ("What we learnt.", True)
    assert post.meta_description == "Lessons from a migration."
    assert post.category_keys == ["category:infrastructure", "category:data"]
    assert post.primary_category_key == "category:infrastructure"
    assert post.credits == [ImportedCredit("author:ada", "Editor"), ImportedCredit("author:bob")]
    hero = str(stored.hero_image.name)
    assert post.hero_image == ImportedMedia(
        reference=f"/media/{hero}", path=exported / "media" / hero, name=hero
    )
    assert post.hero_image_alt == "A server room"
    name = str(chart.file.name)
    assert post.media == [
        ImportedMedia(reference=chart.url, path=exported / "media" / name, name=name)
    ]


def test_drafts_pages_authors_categories_and_redirects(exported: Path) -> None:
    site = native.read(exported)
    draft = next(post for post in site.posts if post.slug == "unfinished")
    assert (draft.key, draft.status, draft.published_at) == (
        "posts/drafts/unfinished.md", PostStatus.DRAFT, None,
    )  # fmt: skip
    pages = {page.slug: page for page in site.pages}
    assert (pages["about"].published, pages["about"].show_in_navigation) == (True, True)
    assert (pages["about"].navigation_order, pages["about"].body) == (2, "About us.\n")
    assert (pages["hidden"].published, pages["hidden"].show_in_navigation) == (False, False)
    authors = {author.key: author for author in site.authors}
    ada = Author.objects.get(slug="ada")
    assert (authors["author:ada"].name, authors["author:ada"].bio) == ("Ada Lovelace", "Ada.\n")
    assert authors["author:ada"].website == "https://ada.example"
    avatar = authors["author:ada"].avatar
    assert avatar is not None
    assert avatar.name == ada.avatar.name
    assert authors["author:bob"].role == ""
    categories = {category.slug: category for category in site.categories}
    infrastructure = categories["infrastructure"]
    assert (infrastructure.name, infrastructure.position, infrastructure.colour) == (
        "Platform", 1, "#123456",
    )  # fmt: skip
    assert infrastructure.aliases == ["platform"]
    assert (categories["data"].position, categories["data"].colour) == (0, "")
    assert site.redirects == [
        ImportedRedirect("/old/", "/about/"),
        ImportedRedirect(r"^/tag/(.*)/$", "", 410, match="regex", position=2),
    ]


def test_library_files_no_body_shows_are_kept(exported: Path) -> None:
    spare = MediaFile.objects.get(original_name="spare.png")
    site = native.read(exported)
    name = str(spare.file.name)
    assert [media.name for media in site.media] == [name]
    assert site.media[0].path == exported / "media" / name


def test_a_folder_without_the_marker_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSource, match=r"no linernotes\.yaml here"):
        native.read(tmp_path)


def test_another_format_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 2\n")
    with pytest.raises(UnreadableSource, match=r"linernotes.yaml:1: format: .*not 2"):
        native.read(tmp_path)


def test_invalid_front_matter_names_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 1\n")
    post = write(tmp_path, "posts/2024/01/broken.md", "---\ntitle: Fine\nslug: [oops\n---\nBody")
    with pytest.raises(UnreadableSource) as raised:
        native.read(tmp_path)
    assert raised.value.source == str(post)
    assert raised.value.line == 4
    assert "invalid YAML" in raised.value.problem


def test_a_value_of_the_wrong_type_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 1\n")
    write(tmp_path, "posts/drafts/x.md", "---\ntitle: X\nfeatured: maybe\n---\n")
    with pytest.raises(UnreadableSource, match=r"x.md:3: featured: expected true or false"):
        native.read(tmp_path)


def test_a_published_post_needs_a_date(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 1\n")
    write(tmp_path, "posts/drafts/x.md", "---\ntitle: X\nstatus: published\n---\n")
    with pytest.raises(UnreadableSource, match="a published post needs a date"):
        native.read(tmp_path)


@pytest.mark.django_db
def test_hand_written_files_are_read_with_notices(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 1\n")
    write(
        tmp_path,
        "posts/2025/03/new.md",
        "---\ntitle: New\nstatus: published\ndate: 2025-03-04 09:00:00\ncolor: red\n"
        "authors:\n- author: zoe\ncategories: [ideas]\nhero_image: /media/heroes/gone.png\n"
        "---\nText ![x](/media/media/missing.png)\n",
    )
    site = native.read(tmp_path)
    [post] = site.posts
    # A time without an offset is in the site's time zone; the slug comes from the file name.
    assert post.published_at == timezone.make_aware(datetime(2025, 3, 4, 9))
    assert (post.slug, post.hero_image, post.media) == ("new", None, [])
    assert [author.key for author in site.authors] == ["author:zoe"]
    assert [category.key for category in site.categories] == ["category:ideas"]
    messages = [(notice.where, notice.message) for notice in site.notices]
    where = "posts/2025/03/new.md"
    assert (where, "unknown key 'color': left out") in messages
    assert (where, "/media/heroes/gone.png: no such file under media/") in messages
    assert (where, "/media/media/missing.png: no such file under media/") in messages
    assert (where, "author zoe has no file under authors/: named zoe") in messages
    assert (where, "category ideas is not in linernotes.yaml: named ideas") in messages


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "linernotes.yaml", "format: 1\n")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "about.md").write_bytes(b"---\ntitle: \xe9t\xe9\n---\n")
    with pytest.raises(UnreadableSource, match=r"about\.md: not UTF-8 text"):
        native.read(tmp_path)
