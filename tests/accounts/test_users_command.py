"""`linernotes users`: accounts with roles from the command line."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from linernotes.accounts.staff import role_of
from linernotes.content.models import Author, Post, Status
from linernotes.content.ownership import editable_posts
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def users(*args: str) -> str:
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


def test_add_creates_a_staff_account_with_its_role_and_author(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-password\n"))
    said = users(
        "add",
        "ada",
        "--email",
        "ada@example.com",
        "--role",
        "author",
        "--name",
        "Ada Okafor",
        "--password-stdin",
    )
    assert said.startswith("Added ada (Author), writing as Ada Okafor.")
    user = User.objects.get(username="ada")
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password("a-long-enough-password")
    assert role_of(user) == "Author"
    assert Author.objects.get(user=user).slug == "ada-okafor"


def test_add_links_an_existing_author_and_can_leave_the_password_for_later() -> None:
    author = AuthorFactory.create(slug="lin-park")
    said = users(
        "add",
        "lin",
        "--email",
        "lin@example.com",
        "--role",
        "CONTRIBUTOR",
        "--author",
        "lin-park",
        "--no-password",
    )
    assert "linernotes changepassword lin" in said
    author.refresh_from_db()
    assert author.user is not None
    assert author.user.username == "lin"
    assert not author.user.has_usable_password()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "owner"], "There is no role 'owner'; the roles are Contributor, Author"),
        (["--role", "editor", "--author", "nobody"], "There is no author with the slug 'nobody'"),
    ],
)
def test_add_explains_what_is_wrong_and_creates_nothing(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        users("add", "sam", "--email", "sam@example.com", "--no-password", *arguments)
    assert not User.objects.filter(username="sam").exists()
    assert not Author.objects.exists()


def test_add_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too common"):
        users("add", "sam", "--email", "s@example.com", "--role", "editor", "--password-stdin")
    assert not User.objects.filter(username="sam").exists()


def test_role_changes_the_role_and_list_shows_it() -> None:
    assert "There are no staff accounts yet" in users("list")
    users("add", "sam", "--email", "sam@example.com", "--role", "contributor", "--no-password")
    assert users("role", "sam", "editor") == "sam is now Editor.\n"
    user = User.objects.get(username="sam")
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert users("list").split("\t")[:2] == ["sam", "Editor"]
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        users("role", "nobody", "editor")


def test_the_demo_has_one_account_of_each_writing_role_who_can_do_their_job(
    client: Client,
) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    call_command("demo", "--no-serve", stdout=io.StringIO())  # again: nothing duplicated
    said = out.getvalue()
    for username, role in [
        ("editor", "Editor"),
        ("author", "Author"),
        ("contributor", "Contributor"),
    ]:
        assert f"or as '{username}' ({role}," in said
        user = User.objects.get(username=username)
        assert role_of(user) == role
        credentials = {"username": username, "password": "liner-notes-demo"}
        assert client.post("/admin/login/?next=/admin/", credentials).status_code == 302
        assert client.get("/admin/content/post/").status_code == 200
        client.logout()
    waiting = Post.objects.get(status=Status.REVIEW)
    assert waiting.bylines.get().author.user == User.objects.get(username="contributor")
    assert editable_posts(User.objects.get(username="author")).exists()  # posts of their own


def test_posts_list_shows_scheduled_posts_as_scheduled() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from linernotes.content import services
    from tests.factories import PostFactory

    later = PostFactory.create(status=Status.DRAFT, published_at=None, title="Later")
    services.publish_post(post=later, at=timezone.now() + timedelta(days=2))
    PostFactory.create(title="Out now")
    out = io.StringIO()
    call_command("posts", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Scheduled for ")
    assert lines[0].endswith("\tLater")
    assert lines[1].startswith("Published on ")
    out = io.StringIO()
    call_command("posts", "list", "--status", "review", stdout=out)
    assert out.getvalue() == "There are no in review posts.\n"
