from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from linernotes.seo.models import Match, Redirect
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("redirects", *args, stdout=out)
    return out.getvalue()


def test_add_list_test_and_remove(client: Client) -> None:
    assert "Saved /old/ → /new/" in run("add", "/old/", "/new/")
    assert "Saved" in run("add", r"^/blog/(.*)$", "/$1", "--regex", "--status", "302")
    assert "Saved" in run("add", "/retired/", "--status", "410")
    listing = run("list").splitlines()
    assert listing == [
        "301  exact  /old/ → /new/  (manual, 0 hits)",
        "410  exact  /retired/ → -  (manual, 0 hits)",
        "302  regex  ^/blog/(.*)$ → /$1  (manual, 0 hits)",
    ]
    assert run("test", "/blog/hello/") == "302 → /hello/  (rule ^/blog/(.*)$, manual)\n"
    assert run("test", "/retired/") == "410 Gone  (rule /retired/, manual)\n"
    assert run("test", "/elsewhere/") == "404  (no page and no rule answers here)\n"
    # Asking is not a visit.
    assert set(Redirect.objects.values_list("hits", flat=True)) == {0}
    assert client.get("/blog/hello/")["Location"] == "/hello/"

    assert "Would remove 1 rule(s)." in run("remove", "/old/", "--dry-run")
    assert Redirect.objects.filter(old_path="/old/").exists()
    assert "Removed 1 rule(s)." in run("remove", "/old/")
    assert not Redirect.objects.filter(old_path="/old/").exists()


def test_add_replaces_the_rule_for_the_same_path() -> None:
    run("add", "/old/", "/first/")
    run("add", "/old/", "/second/")
    assert list(Redirect.objects.values_list("old_path", "new_path", "match")) == [
        ("/old/", "/second/", Match.EXACT)
    ]


def test_invalid_rules_are_reported() -> None:
    with pytest.raises(CommandError, match="Lookahead"):
        run("add", r"^/(?=a)(.*)$", "/x/$1", "--regex")
    with pytest.raises(CommandError, match="410 Gone"):
        run("add", "/old/")
    assert not Redirect.objects.exists()


def test_check_reports_stored_rules_that_fail_the_checks() -> None:
    run("add", "/old/", "/new/")
    run("add", r"^/blog/(.*)$", "/$1", "--regex")
    assert run("check") == "Every rule passes the checks.\n"
    # As a rule saved under Python's re, before patterns ran on RE2, would be stored.
    Redirect.objects.filter(old_path=r"^/blog/(.*)$").update(old_path=r"^/blog/(?!keep)(.*)$")
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 rule\(s\) are not applied"):
        call_command("redirects", "check", stdout=out)
    assert out.getvalue() == (
        "^/blog/(?!keep)(.*)$: Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) "
        "are not supported.\n"
    )


def test_test_reports_what_the_site_itself_answers() -> None:
    category = CategoryFactory.create(slug="data", name="Data")
    category.slug = "data-science"
    category.save()
    post = PostFactory.create(slug="moved", categories=[category])
    old_address = post.get_absolute_url()
    post.slug = "moved-again"
    post.save()
    assert run("test", "/category/data/") == (
        "301 → /category/data-science/  (the category 'Data' was renamed from 'data')\n"
    )
    assert run("test", old_address) == (
        f"301 → {post.get_absolute_url()}  (automatic rule for {old_address}, made when a post "
        "moved)\n"
    )
    assert run("test", post.get_absolute_url()) == (
        "200  (a page answers here, so no rule is asked)\n"
    )
