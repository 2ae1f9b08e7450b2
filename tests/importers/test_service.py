"""import_records: one transaction, matched by source keys, media staged, old links kept."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.test import Client

from linernotes.content.models import Author, Category, MediaFile, Page, Post, Status
from linernotes.importers import service
from linernotes.importers.models import ImportedItem
from linernotes.importers.records import (
    ImportedAuthor,
    ImportedCategory,
    ImportedCredit,
    ImportedMedia,
    ImportedPage,
    ImportedPost,
    ImportedSite,
    PostStatus,
)
from linernotes.importers.report import Outcome
from linernotes.importers.service import import_records
from linernotes.search.models import SearchDocument
from linernotes.seo.models import Redirect
from tests.factories import PostFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

Commit = Callable[..., Any]


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"content", "seo", "search", "importers", "newsletter"}
    }


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    path = tmp_path / "export" / "images" / "chart.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(image_bytes(size=(640, 360)))
    return path


def a_site(chart: Path) -> ImportedSite:
    site = ImportedSite(source="wordpress", origin="wordpress:https://old.example")
    site.authors = [
        ImportedAuthor(key="ada", name="Ada Lovelace", role="Engineer"),
        ImportedAuthor(key="lin", name="Lin Park", website="javascript:alert(1)"),
    ]
    site.categories = [
        ImportedCategory(key="data", name="Data", old_paths=["/category/eng/data/"]),
        ImportedCategory(key="web", name="Web"),
    ]
    site.posts = [
        ImportedPost(
            key="post:12",
            title="Measuring things",
            slug="measuring-things",
            body="Intro.\n\n![A chart](images/chart.png)\n\n## What's next\n",
            status=PostStatus.PUBLISHED,
            published_at=datetime(2021, 3, 4, 10, tzinfo=UTC),
            created_at=datetime(2021, 3, 1, 9, tzinfo=UTC),
            updated_at=datetime(2021, 3, 5, 9, tzinfo=UTC),
            category_keys=["web", "data"],
            credits=[ImportedCredit("lin", role="Guest"), ImportedCredit("ada")],
            media=[ImportedMedia(reference="images/chart.png", path=chart, alt="A chart")],
            hero_image=ImportedMedia(reference="images/chart.png", path=chart),
            hero_image_alt="A chart",
            old_paths=["/2021/03/04/measuring-things/", "/?p=12"],
        ),
        ImportedPost(
            key="post:13",
            title="Draft notes",
            slug="draft-notes",
            body="Not yet.",
            status=PostStatus.DRAFT,
        ),
    ]
    site.pages = [ImportedPage(key="page:2", title="About", slug="about", body="About us.")]
    return site


def test_a_site_lands_with_its_relations_dates_and_media(
    chart: Path, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = import_records(a_site(chart))
    post = Post.objects.get(slug="measuring-things")
    assert post.status == Status.PUBLISHED
    assert post.published_at == datetime(2021, 3, 4, 10, tzinfo=UTC)
    assert (post.created_at, post.updated_at) == (
        datetime(2021, 3, 1, 9, tzinfo=UTC),
        datetime(2021, 3, 5, 9, tzinfo=UTC),
    )
    assert [(b.author.name, b.role) for b in post.bylines.all()] == [
        ("Lin Park", "Guest"),
        ("Ada Lovelace", ""),
    ]
    assert post.primary_category is not None
    assert post.primary_category.slug == "web"
    assert sorted(post.categories.values_list("slug", flat=True)) == ["data", "web"]
    library = MediaFile.objects.get()
    assert f"![A chart]({library.url})" in post.body
    assert (Path(settings.MEDIA_ROOT) / str(library.file.name)).is_file()
    assert 'width="640"' in post.body_html
    assert "<h2" in post.body_html
    assert post.hero_image.name.startswith("heroes/2021/03/")
    assert (Path(settings.MEDIA_ROOT) / str(post.hero_image.name)).is_file()
    assert not (Path(settings.MEDIA_ROOT) / ".import-staging").exists() or not any(
        (Path(settings.MEDIA_ROOT) / ".import-staging").iterdir()
    )
    assert Author.objects.get(name="Lin Park").website == ""  # not an http(s) address
    assert any("javascript:alert(1)" in notice.message for notice in report.notices)
    assert Page.objects.get(slug="about").body_html == "<p>About us.</p>\n"
    assert report.number("posts", Outcome.CREATED) == 2
    assert SearchDocument.objects.filter(post=post).exists()
    assert not SearchDocument.objects.filter(post__slug="draft-notes").exists()
    # The archive arriving is not news: nobody is mailed.
    assert mail.outbox == []


def test_old_addresses_answer_with_a_permanent_redirect(
    chart: Path, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_records(a_site(chart))
    post = Post.objects.get(slug="measuring-things")
    client = Client()
    for old in ("/2021/03/04/measuring-things/", "/?p=12"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == post.get_absolute_url()
    assert client.get("/category/eng/data/")["Location"] == "/category/data/"
    assert client.get("/?p=99").status_code == 200  # no such post: the home page
    rules = Redirect.objects.filter(imported_from="wordpress:https://old.example")
    assert rules.count() == 3


def test_importing_the_same_site_again_changes_nothing(
    chart: Path, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_records(a_site(chart))
    before = row_counts()
    stamps = dict(Post.objects.values_list("slug", "updated_at"))
    with django_capture_on_commit_callbacks(execute=True):
        report = import_records(a_site(chart))
    assert row_counts() == before
    assert dict(Post.objects.values_list("slug", "updated_at")) == stamps
    assert not report.changed_anything
    assert report.number("posts", Outcome.UNCHANGED) == 2


def test_a_newer_export_updates_only_what_changed(
    chart: Path, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_records(a_site(chart))
    newer = a_site(chart)
    newer.posts[1].body = "Now with more words."
    newer.posts[1].slug = "draft-notes-renamed"
    with django_capture_on_commit_callbacks(execute=True):
        report = import_records(newer)
    assert report.number("posts", Outcome.UPDATED) == 1
    assert report.number("posts", Outcome.UNCHANGED) == 1
    assert Post.objects.count() == 2
    assert Post.objects.get(slug="draft-notes-renamed").body_html == (
        "<p>Now with more words.</p>\n"
    )


def test_a_failure_part_way_leaves_no_rows_and_no_files(
    chart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = row_counts()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(service.RedirectWriter, "save", broken)
    with pytest.raises(RuntimeError):
        import_records(a_site(chart))
    assert row_counts() == before
    media_root = Path(settings.MEDIA_ROOT)
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_a_dry_run_reports_and_changes_nothing(chart: Path) -> None:
    before = row_counts()
    report = import_records(a_site(chart), dry_run=True)
    assert row_counts() == before
    assert report.number("posts", Outcome.CREATED) == 2
    assert report.number("authors", Outcome.CREATED) == 2
    assert "would be created" in "\n".join(report.lines())
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_a_slug_taken_by_an_existing_post_gets_a_suffix(chart: Path) -> None:
    PostFactory.create(slug="measuring-things", title="Ours")
    report = import_records(a_site(chart))
    assert Post.objects.filter(slug="measuring-things-2", title="Measuring things").exists()
    assert any("measuring-things-2" in notice.message for notice in report.notices)


def test_scheduled_and_undated_posts(chart: Path) -> None:
    site = a_site(chart)
    later = copy.deepcopy(site.posts[1])
    later.key, later.slug, later.status = "post:14", "later", PostStatus.SCHEDULED
    later.published_at = datetime(2999, 1, 1, tzinfo=UTC)
    past = copy.deepcopy(later)
    past.key, past.slug, past.published_at = "post:15", "past", datetime(2001, 1, 1, tzinfo=UTC)
    site.posts += [later, past]
    report = import_records(site)
    assert Post.objects.get(slug="later").status == Status.SCHEDULED
    assert Post.objects.get(slug="past").status == Status.PUBLISHED
    assert any("has passed" in notice.message for notice in report.notices)


def test_many_posts_render_in_worker_processes(chart: Path) -> None:
    site = a_site(chart)
    template = site.posts[1]
    site.posts = [
        ImportedPost(
            key=f"post:{n}",
            title=f"Post {n}",
            slug=f"post-{n}",
            body=f"Body of **post {n}**.\n\n```python\nprint({n})\n```\n",
            status=PostStatus.PUBLISHED,
            published_at=datetime(2020, 1, 1, tzinfo=UTC),
            credits=template.credits,
        )
        for n in range(120)
    ]
    import_records(site)
    post = Post.objects.get(slug="post-77")
    assert "<strong>post 77</strong>" in post.body_html
    assert 'class="highlight' in post.body_html
    assert Post.objects.filter(word_count__gt=0).count() == 120
    assert ImportedItem.objects.filter(kind="post").count() == 120
    assert Category.objects.count() == 2


@pytest.fixture
def image_server(tmp_path: Path) -> Any:
    """A real HTTP server on 127.0.0.1 serving one PNG, as a remote site would."""
    import functools
    import http.server
    import threading

    folder = tmp_path / "remote"
    folder.mkdir()
    (folder / "remote.png").write_bytes(image_bytes(size=(300, 200)))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return None

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def remote_site(base: str) -> ImportedSite:
    url = f"{base}/remote.png"
    site = ImportedSite(source="ghost", origin="ghost:remote")
    site.authors = [ImportedAuthor(key="a", name="A")]
    site.posts = [
        ImportedPost(
            key="1",
            title="Remote",
            slug="remote",
            body=f"![Far away]({url})\n",
            status=PostStatus.PUBLISHED,
            published_at=datetime(2022, 1, 1, tzinfo=UTC),
            credits=[ImportedCredit("a")],
            media=[ImportedMedia(reference=url, url=url)],
            hero_image=ImportedMedia(reference=url, url=url),
            hero_image_alt="Far away",
        )
    ]
    return site


def test_remote_images_stay_remote_unless_downloaded(
    image_server: str, django_capture_on_commit_callbacks: Commit
) -> None:
    report = import_records(remote_site(image_server))
    post = Post.objects.get()
    assert f"({image_server}/remote.png)" in post.body
    assert not post.hero_image
    assert any("--download-media" in notice.message for notice in report.notices)
    assert MediaFile.objects.count() == 0


def test_download_media_brings_remote_images_in(
    image_server: str, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_records(remote_site(image_server), download_media=True)
    post = Post.objects.get()
    library = MediaFile.objects.get()
    assert (library.width, library.height) == (300, 200)
    assert f"({library.url})" in post.body
    assert post.hero_image.name.startswith("heroes/2022/01/")
    assert (Path(settings.MEDIA_ROOT) / str(post.hero_image.name)).is_file()


def test_an_address_that_does_not_answer_is_reported(
    django_capture_on_commit_callbacks: Commit,
) -> None:
    report = import_records(remote_site("http://127.0.0.1:9"), download_media=True)
    assert any("could not download" in notice.message for notice in report.notices)
    assert "(http://127.0.0.1:9/remote.png)" in Post.objects.get().body
