from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import CommandError

from linernotes.content.media_models import MediaFile
from linernotes.content.models import Post
from linernotes.importers.export_json import export_json
from tests.importers.test_export_markdown import build_small_site

pytestmark = pytest.mark.django_db

TOP_LEVEL = [
    "format", "version", "exported_at", "site",
    "authors", "categories", "posts", "pages", "redirects", "media",
]  # fmt: skip
POST_KEYS = [
    "id", "title", "slug", "status", "url", "published_at", "created_at", "updated_at",
    "summary", "excerpt", "featured", "categories", "primary_category", "authors", "body",
    "body_html", "word_count", "hero_image", "hero_image_alt", "external_url", "noindex",
    "meta_title", "meta_description", "canonical_url", "social_image", "social_image_alt",
    "media",
]  # fmt: skip


@pytest.fixture
def document(settings: LazySettings) -> dict[str, Any]:
    settings.TIME_ZONE = "Europe/Stockholm"
    build_small_site()
    out = io.StringIO()
    export_json(out)
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


def test_the_document_has_the_documented_keys_and_counts(document: dict[str, Any]) -> None:
    assert list(document) == TOP_LEVEL
    assert (document["format"], document["version"]) == ("linernotes-json", 1)
    assert document["site"]["name"] == "Liner Notes Engineering"
    assert document["site"]["time_zone"] == "Europe/Stockholm"
    counts = {key: len(document[key]) for key in TOP_LEVEL[4:]}
    assert counts == {
        "authors": 2, "categories": 2, "posts": 2, "pages": 2, "redirects": 2, "media": 4,
    }  # fmt: skip
    assert [list(post) for post in document["posts"]] == [POST_KEYS, POST_KEYS]
    documented = Path(__file__).parents[2] / "docs" / "exporting.md"
    text = documented.read_text()
    for key in POST_KEYS:
        assert f"`{key}`" in text, key


def test_a_post_carries_its_body_html_byline_and_media(document: dict[str, Any]) -> None:
    stored = Post.objects.get(slug="moving-fast")
    chart = MediaFile.objects.get(original_name="chart.png")
    post = next(post for post in document["posts"] if post["slug"] == "moving-fast")
    assert (post["body"], post["body_html"]) == (stored.body, stored.body_html)
    assert post["published_at"] == "2024-10-01T00:30:00+02:00"
    assert post["url"] == "http://127.0.0.1:8000/2024/10/moving-fast/"
    assert post["categories"] == ["infrastructure", "data"]
    assert post["primary_category"] == "infrastructure"
    assert post["authors"] == [
        {"author": "ada", "name": "Ada Lovelace", "role": "Editor"},
        {"author": "bob", "name": "Bob", "role": ""},
    ]
    assert post["hero_image"] == f"/media/{stored.hero_image.name}"
    assert post["media"] == [chart.url]
    draft = next(post for post in document["posts"] if post["slug"] == "unfinished")
    assert (draft["published_at"], draft["hero_image"], draft["status"]) == (None, None, "draft")


def test_media_are_described_with_their_hash(document: dict[str, Any]) -> None:
    stored = Post.objects.get(slug="moving-fast")
    chart = MediaFile.objects.get(original_name="chart.png")
    media = {item["name"]: item for item in document["media"]}
    assert media[chart.file.name] == {
        "name": chart.file.name,
        "url": f"http://127.0.0.1:8000{chart.url}",
        "width": 60,
        "height": 40,
        "alt": "A chart",
        "sha256": chart.sha256,
        "size": chart.size,
    }
    with stored.hero_image.open("rb") as hero:
        data = hero.read()
    described = media[stored.hero_image.name]
    assert (described["width"], described["height"]) == (40, 30)
    assert (described["sha256"], described["size"]) == (hashlib.sha256(data).hexdigest(), len(data))


def test_the_command_writes_a_file_or_stdout(
    settings: LazySettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_small_site()
    target = tmp_path / "site.json"
    call_command("export", "json", str(target))
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith("Exported 2 posts, 2 pages, 2 authors")
    assert len(json.loads(target.read_text())["posts"]) == 2
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []
    call_command("export", "json", "-")
    assert len(json.loads(capsys.readouterr().out)["pages"]) == 2


def test_an_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot write the export"):
        call_command("export", "json", str(tmp_path / "missing" / "site.json"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export", "json", str(tmp_path))
