from __future__ import annotations

import io
import json
import os
import re

import pytest
from django.core.management import call_command

from linernotes.cli import EVERYDAY_COMMANDS, _point_site_url_at_demo, main
from linernotes.content.models import Author, Category, CategoryAlias, Page, Post
from linernotes.demo.loader import SEED_FILE, load_demo
from tests.factories import PostFactory
from tests.shared_data import shared_file

SEED_INVENTORY = "reference/seed-site.md"

pytestmark = pytest.mark.django_db


def test_rerender_updates_stale_html_and_dry_run_saves_nothing() -> None:
    post = PostFactory.create(body="Some *emphasis*.")
    Post.objects.filter(pk=post.pk).update(body_html="<p>stale</p>")
    out = io.StringIO()
    call_command("rerender", "--dry-run", stdout=out)
    assert "1 posts and pages would change" in out.getvalue()
    assert Post.objects.get(pk=post.pk).body_html == "<p>stale</p>"
    out = io.StringIO()
    call_command("rerender", stdout=out)
    assert "<em>emphasis</em>" in Post.objects.get(pk=post.pk).body_html
    # Off a terminal, progress is plain lines, one stage per kind of item.
    assert "Posts: [1/1]" in out.getvalue().splitlines()


def test_demo_loads_seed_and_written_posts_idempotently(settings) -> None:
    first = load_demo()
    second = load_demo()
    assert first == second
    seed_count = len(json.loads(SEED_FILE.read_text())["posts"])
    assert first.posts >= seed_count + 5
    assert Post.objects.published().count() == first.posts
    link_posts = Post.objects.exclude(external_url="")
    assert link_posts.count() == seed_count
    assert all(p.summary or not p.body for p in link_posts)
    written = Post.objects.filter(external_url="")
    assert written.count() >= 5
    assert all(p.word_count > 300 for p in written)
    assert CategoryAlias.objects.get(slug="maching-learning").category.slug == "machine-learning"
    assert Category.objects.count() == 16
    assert Page.objects.in_navigation().exists()
    assert Author.objects.filter(name="Federica Luraschi", role="Senior Data Scientist").exists()
    hero = written.exclude(hero_image="").first()
    assert hero is not None
    assert hero.hero_image_width
    assert hero.hero_image_alt


def test_loading_the_demo_again_leaves_unchanged_posts_alone() -> None:
    load_demo()
    before = dict(Post.objects.values_list("slug", "updated_at"))
    load_demo()
    assert dict(Post.objects.values_list("slug", "updated_at")) == before


def test_demo_posts_and_pages_start_their_history_once() -> None:
    from linernotes.content.models import Page
    from linernotes.content.revisions import revisions_of

    load_demo()
    load_demo()
    objects: list[Post | Page] = [*Post.objects.all(), *Page.objects.all()]
    for obj in objects:
        revisions = revisions_of(obj)
        assert revisions.count() == 1, obj
        assert revisions.get().by is None


def _inventory_titles(text: str) -> list[str]:
    section = text.split("### 11.1", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| \d+ \| (.+?) \|", section, flags=re.MULTILINE)
    return [" ".join(title.split()) for title in rows]


def test_demo_has_every_titled_post_of_the_seed_inventory() -> None:
    expected = _inventory_titles(shared_file(SEED_INVENTORY).read_text(encoding="utf-8"))
    assert len(expected) >= 50
    fixture = json.loads(SEED_FILE.read_text(encoding="utf-8"))["posts"]
    titles = {" ".join(post["title"].split()) for post in fixture}
    assert [title for title in expected if title not in titles] == []


def test_demo_command_prepares_without_serving(settings) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "Demo ready" in out.getvalue()
    assert Post.objects.published().exists()


def test_cli_help_lists_the_everyday_commands(capsys) -> None:
    main(["--help"])
    text = capsys.readouterr().out
    assert text.startswith("usage: linernotes")
    for name in EVERYDAY_COMMANDS:
        assert f"  {name}" in text


@pytest.mark.parametrize("command", sorted(EVERYDAY_COMMANDS))
def test_every_project_command_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: linernotes {command}" in capsys.readouterr().out


def test_settings_checks_report_a_bad_site_url(settings) -> None:
    from linernotes.config.checks import check_debug_in_production, check_site_url

    assert check_site_url() == []
    settings.LINERNOTES_SITE_URL = "blog.example.com/path"
    assert [message.id for message in check_site_url()] == ["linernotes.E001"]
    settings.LINERNOTES_SITE_URL = "https://blog.example.com"
    settings.DEBUG = True
    assert [message.id for message in check_debug_in_production()] == ["linernotes.W001"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], "http://127.0.0.1:8000"),
        (["--port", "8123"], "http://127.0.0.1:8123"),
        (["--port=9000", "--host", "0.0.0.0"], "http://0.0.0.0:9000"),
    ],
)
def test_demo_links_follow_its_address(monkeypatch, options: list[str], expected: str) -> None:
    monkeypatch.delenv("LINERNOTES_SITE_URL", raising=False)
    _point_site_url_at_demo(options)
    assert os.environ["LINERNOTES_SITE_URL"] == expected
