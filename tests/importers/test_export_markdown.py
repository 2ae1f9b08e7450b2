from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from linernotes.content.media_models import MediaFile
from linernotes.content.models import Author, CategoryAlias, Post, Status
from linernotes.content.uploads import store_upload
from linernotes.importers.export_markdown import export_markdown
from linernotes.seo.models import Match, Redirect
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory
from tests.images import image_bytes, image_upload

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2024, 9, 30, 22, 30, tzinfo=UTC)  # 1 October, 00:30 in Stockholm
CREATED = datetime(2024, 9, 1, 8, 0, 0, 123456, tzinfo=UTC)
UPDATED = datetime(2024, 10, 2, 7, 15, 5, tzinfo=UTC)


def build_small_site() -> dict[str, object]:
    """A site with one of each thing an export writes, in the Stockholm time zone."""
    platform = CategoryFactory.create(
        slug="platform", name="Platform", description="", position=1, colour="#123456"
    )
    data = CategoryFactory.create(slug="data", name="Data", description="Numbers.")
    platform.slug = "infrastructure"
    platform.save()  # the old slug "platform" becomes an alias
    ada = AuthorFactory.create(name="Ada Lovelace", slug="ada", role="Staff Engineer", bio="Ada.\n")
    ada.website = "https://ada.example"
    ada.avatar.save("ada.png", ContentFile(image_bytes(size=(20, 20))), save=True)
    bob = AuthorFactory.create(name="Bob", slug="bob", role="")
    chart, _ = store_upload(image_upload("chart.png", size=(60, 40)), by=None, alt="A chart")
    spare, _ = store_upload(image_upload("spare.png", size=(30, 20)), by=None)
    post = PostFactory.create(
        title="Moving fast",
        slug="moving-fast",
        body=f"Intro.\r\n\r\n![A chart]({chart.url})\n\nÅ tail without a newline",
        published_at=PUBLISHED,
        summary="What we learnt.",
        featured=True,
        meta_description="Lessons from a migration.",
        categories=[platform, data],
        authors=[ada, bob],
    )
    post.hero_image.save("hero.jpg", ContentFile(image_bytes("JPEG", (40, 30))), save=False)
    post.hero_image_alt = "A server room"
    post.save()
    post.bylines.filter(author=ada).update(role="Editor")
    draft = PostFactory.create(
        title="Unfinished", slug="unfinished", body="", status=Status.DRAFT, published_at=None
    )
    Post.objects.filter(slug__in=["moving-fast", "unfinished"]).update(
        created_at=CREATED, updated_at=UPDATED
    )
    PageFactory.create(title="About", slug="about", body="About us.\n", navigation_order=2)
    PageFactory.create(
        title="Hidden", slug="hidden", body="", show_in_navigation=False, status="draft"
    )
    Redirect.objects.create(old_path="/old/", new_path="/about/")
    Redirect.objects.create(
        old_path=r"^/tag/(.*)/$", new_path="", status=410, match=Match.REGEX, position=2
    )
    return {"post": post, "draft": draft, "chart": chart, "spare": spare, "ada": ada, "bob": bob}


@pytest.fixture
def site(settings: LazySettings) -> dict[str, object]:
    settings.TIME_ZONE = "Europe/Stockholm"
    return build_small_site()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The export's folder (tmp_path itself holds the test's MEDIA_ROOT)."""
    return tmp_path / "export"


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_export_writes_exactly_the_layout(site: dict[str, object], out: Path) -> None:
    counts = export_markdown(out)
    post, chart, spare, ada = site["post"], site["chart"], site["spare"], site["ada"]
    assert isinstance(post, Post)
    assert isinstance(ada, Author)
    assert isinstance(chart, MediaFile)
    assert isinstance(spare, MediaFile)
    media = sorted(
        f"media/{name}"
        for name in (chart.file.name, spare.file.name, post.hero_image.name, ada.avatar.name)
    )
    assert sorted(tree(out)) == sorted(
        [
            "linernotes.yaml",
            "authors/ada.md",
            "authors/bob.md",
            "posts/2024/10/moving-fast.md",  # the folder is the month in the site's time zone
            "posts/drafts/unfinished.md",
            "pages/about.md",
            "pages/hidden.md",
            *media,
        ]
    )
    assert (counts.posts, counts.pages, counts.authors) == (2, 2, 2)
    assert (counts.categories, counts.redirects, counts.media) == (2, 2, 4)
    with chart.file.open("rb") as original:
        assert (out / "media" / str(chart.file.name)).read_bytes() == original.read()


def test_a_post_file_is_byte_exact(site: dict[str, object], out: Path) -> None:
    export_markdown(out)
    post, chart = site["post"], site["chart"]
    assert isinstance(post, Post)
    assert isinstance(chart, MediaFile)
    expected = (
        "---\n"
        "title: Moving fast\n"
        "slug: moving-fast\n"
        "status: published\n"
        "date: 2024-10-01T00:30:00+02:00\n"
        "created: 2024-09-01T10:00:00+02:00\n"
        "updated: 2024-10-02T09:15:05+02:00\n"
        "summary: What we learnt.\n"
        "featured: true\n"
        "categories:\n"
        "- infrastructure\n"
        "- data\n"
        "primary_category: infrastructure\n"
        "authors:\n"
        "- author: ada\n"
        "  role: Editor\n"
        "- author: bob\n"
        f"hero_image: /media/{post.hero_image.name}\n"
        "hero_image_alt: A server room\n"
        "meta_description: Lessons from a migration.\n"
        "---\n"
        f"Intro.\r\n\r\n![A chart](/media/{chart.file.name})\n\nÅ tail without a newline"
    )
    assert (out / "posts/2024/10/moving-fast.md").read_bytes() == expected.encode()


def test_defaults_are_left_out(site: dict[str, object], out: Path) -> None:
    export_markdown(out)
    assert (out / "posts/drafts/unfinished.md").read_text() == (
        "---\ntitle: Unfinished\nslug: unfinished\nstatus: draft\n"
        "created: 2024-09-01T10:00:00+02:00\nupdated: 2024-10-02T09:15:05+02:00\n---\n"
    )
    about = (out / "pages/about.md").read_text()
    assert about.startswith("---\ntitle: About\nslug: about\nstatus: published\n")
    assert "navigation_order: 2\nupdated: " in about
    assert "show_in_navigation" not in about
    hidden = (out / "pages/hidden.md").read_text()
    assert "status: draft\nshow_in_navigation: false\nupdated: " in hidden
    assert (out / "authors/bob.md").read_text() == "---\nname: Bob\nslug: bob\n---\n"
    ada = site["ada"]
    assert isinstance(ada, Author)
    assert (out / "authors/ada.md").read_text() == (
        "---\nname: Ada Lovelace\nslug: ada\nrole: Staff Engineer\n"
        f"website: https://ada.example\navatar: /media/{ada.avatar.name}\n---\nAda.\n"
    )


def test_the_site_file_lists_categories_and_every_redirect(
    site: dict[str, object], out: Path
) -> None:
    export_markdown(out)
    assert CategoryAlias.objects.get().slug == "platform"
    assert yaml.safe_load((out / "linernotes.yaml").read_text()) == {
        "format": 1,
        "categories": [
            {"slug": "data", "name": "Data", "description": "Numbers."},
            {
                "slug": "infrastructure",
                "name": "Platform",
                "position": 1,
                "colour": "#123456",
                "aliases": ["platform"],
            },
        ],
        "redirects": [
            {"old": "/old/", "new": "/about/"},
            {"old": r"^/tag/(.*)/$", "status": 410, "match": "regex", "position": 2},
        ],
    }


def test_automatic_redirects_are_marked(site: dict[str, object], out: Path) -> None:
    Redirect.objects.filter(old_path="/old/").update(automatic=True)
    export_markdown(out)
    assert "- old: /old/\n  new: /about/\n  automatic: true\n" in (
        (out / "linernotes.yaml").read_text()
    )


def test_exporting_twice_gives_identical_trees(site: dict[str, object], out: Path) -> None:
    export_markdown(out / "first")
    export_markdown(out / "second")
    assert tree(out / "first") == tree(out / "second")


def test_the_command_refuses_a_folder_that_is_not_empty(site: dict[str, object], out: Path) -> None:
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export", "markdown", str(out))
    assert not (out / "linernotes.yaml").exists()


def test_force_replaces_an_earlier_export_and_keeps_other_files(
    site: dict[str, object], out: Path
) -> None:
    call_command("export", "markdown", str(out))
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref")
    Post.objects.filter(slug="unfinished").delete()
    call_command("export", "markdown", str(out), "--force")
    assert not (out / "posts/drafts/unfinished.md").exists()
    assert (out / "posts/2024/10/moving-fast.md").exists()
    assert (out / ".git" / "HEAD").read_text() == "ref"


def test_the_command_says_the_counts(
    site: dict[str, object], out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export", "markdown", str(out / "new"))
    lines = capsys.readouterr().out.strip().splitlines()
    # Off a terminal, progress is a few plain lines, then the summary.
    assert lines[-2] == "Exporting: [10/10]"
    assert lines[-1] == (
        f"Exported 2 posts, 2 pages, 2 authors, 2 categories, 2 redirects and 4 media files "
        f"to {out / 'new'}."
    )


def test_a_target_that_is_a_file_or_unwritable_is_a_clear_error(
    site: dict[str, object], out: Path
) -> None:
    out.mkdir()
    (out / "file").write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("export", "markdown", str(out / "file"))
    with pytest.raises(CommandError, match="Cannot write the export"):
        call_command("export", "markdown", str(out / "file" / "below"))


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'html'"):
        call_command("export", "html", "out")
