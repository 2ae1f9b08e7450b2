"""The four roles, tried through the admin the way a browser (or a forged form) would.

Each forbidden action is posted directly, as if the button were there, and must answer 403
with nothing changed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from linernotes.accounts.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR
from linernotes.accounts.staff import add_staff_user
from linernotes.content import services
from linernotes.content.models import Author, Category, Post, Status
from tests.content.conftest import post_form
from tests.factories import AuthorFactory, PostFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def signed_in(client: Client, role: str, username: str | None = None) -> tuple[Client, Author]:
    user, author = add_staff_user(
        username=username or role.lower(),
        email=f"{username or role.lower()}@example.com",
        role=role,
        password=PASSWORD,
        name=f"{role} Person",
    )
    client.force_login(user)
    return client, author


NEW_CATEGORY = {
    **{"name": "New", "slug": "new", "position": "0", "colour": "#3b5bdb"},
    **{"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"},
}


def change_form(post: Post, **fields: Any) -> dict[str, Any]:
    """What the change form of ``post`` posts back, with ``fields`` changed."""
    bylines = list(post.bylines.all())
    data = post_form(author=bylines[0].author, title=post.title, slug=post.slug, body=post.body)
    data.update(
        {
            "status": post.status,
            "published_at_0": post.published_at.strftime("%Y-%m-%d") if post.published_at else "",
            "published_at_1": post.published_at.strftime("%H:%M:%S") if post.published_at else "",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": str(bylines[0].pk),
            "bylines-0-post": str(post.pk),
        }
    )
    data.update(fields)
    return data


def run_action(client: Client, action: str, *posts: Post) -> int:
    response = client.post(
        "/admin/content/post/",
        {"action": action, "_selected_action": [post.pk for post in posts], "index": "0"},
    )
    return response.status_code


def draft_by(author: Author, **fields: Any) -> Post:
    return PostFactory.create(
        **{"status": Status.DRAFT, "published_at": None, **fields}, authors=[author]
    )


def test_the_migration_creates_the_four_roles_with_their_permissions() -> None:
    def codenames(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    contributor, author, editor = codenames(CONTRIBUTOR), codenames(AUTHOR), codenames(EDITOR)
    administrator = codenames(ADMINISTRATOR)
    assert "content.change_post" in contributor
    assert "content.publish_post" not in contributor
    assert author - contributor == {"content.publish_post"}
    assert {"content.edit_others_posts", "content.change_category", "seo.change_redirect"} <= editor
    assert not any(name.startswith(("newsletter.", "auth.")) for name in editor)
    assert {"newsletter.change_subscriber", "auth.change_user", "content.delete_post"} <= (
        administrator
    )


class TestContributor:
    def test_writes_a_draft_that_stays_theirs_whoever_the_form_credits(
        self, client: Client
    ) -> None:
        contributor, own = signed_in(client, CONTRIBUTOR)
        guest = AuthorFactory.create()
        response = contributor.post("/admin/content/post/add/", post_form(author=guest))
        assert response.status_code == 302
        post = Post.objects.get(slug="a-post")
        assert post.status == Status.DRAFT
        assert {b.author for b in post.bylines.all()} == {guest, own}

    def test_cannot_publish_by_posting_the_status(self, client: Client) -> None:
        contributor, own = signed_in(client, CONTRIBUTOR)
        form = post_form(author=own, status=Status.PUBLISHED)
        assert contributor.post("/admin/content/post/add/", form).status_code == 403
        assert not Post.objects.exists()
        post = draft_by(own)
        edited = change_form(post, status=Status.PUBLISHED, body="Changed")
        assert contributor.post(f"/admin/content/post/{post.pk}/change/", edited).status_code == 403
        post.refresh_from_db()
        assert (post.status, post.body) == (Status.DRAFT, PostFactory.body)

    def test_is_offered_only_draft_and_review(self, client: Client) -> None:
        contributor, own = signed_in(client, CONTRIBUTOR)
        post = draft_by(own)
        page = BeautifulSoup(
            contributor.get(f"/admin/content/post/{post.pk}/change/").content, "lxml"
        )
        offered = [option["value"] for option in page.select("select[name=status] option")]
        assert offered == [Status.DRAFT, Status.REVIEW]
        assert page.select("select[name=action]") == []

    def test_submitting_for_review_mails_the_editors_once(
        self, client: Client, django_capture_on_commit_callbacks: Any
    ) -> None:
        add_staff_user(
            username="ed", email="ed@example.com", role=EDITOR, password=PASSWORD, name="Ed"
        )
        add_staff_user(username="au", email="au@example.com", role=AUTHOR, password=PASSWORD)
        contributor, own = signed_in(client, CONTRIBUTOR)
        post = draft_by(own)
        url = f"/admin/content/post/{post.pk}/change/"
        with django_capture_on_commit_callbacks(execute=True):
            assert contributor.post(url, change_form(post, status=Status.REVIEW)).status_code == 302
        post.refresh_from_db()
        assert post.status == Status.REVIEW
        assert [message.to for message in mail.outbox] == [["ed@example.com"]]
        assert post.title in mail.outbox[0].subject
        assert f"/admin/content/post/{post.pk}/change/" in mail.outbox[0].body
        with django_capture_on_commit_callbacks(execute=True):
            contributor.post(url, change_form(post, body="A second look."))
        assert len(mail.outbox) == 1  # saved again while waiting: no second mail

    def test_cannot_open_or_change_someone_elses_post(self, client: Client) -> None:
        contributor, _ = signed_in(client, CONTRIBUTOR)
        theirs = draft_by(AuthorFactory.create())
        url = f"/admin/content/post/{theirs.pk}/change/"
        assert contributor.get(url).status_code == 403
        assert contributor.post(url, change_form(theirs, title="Mine now")).status_code == 403
        assert (
            contributor.post(
                f"/admin/content/post/{theirs.pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
        theirs.refresh_from_db()
        assert theirs.title != "Mine now"
        listed = BeautifulSoup(contributor.get("/admin/content/post/").content, "lxml")
        assert theirs.title not in listed.get_text()

    def test_cannot_change_their_post_once_it_is_public(self, client: Client) -> None:
        contributor, own = signed_in(client, CONTRIBUTOR)
        post = PostFactory.create(authors=[own])
        url = f"/admin/content/post/{post.pk}/change/"
        assert contributor.get(url).status_code == 200  # read-only: they may still look
        assert contributor.post(url, change_form(post, body="Live edit")).status_code == 403
        post.refresh_from_db()
        assert post.body == PostFactory.body

    def test_cannot_run_publishing_actions_or_manage_categories(self, client: Client) -> None:
        contributor, own = signed_in(client, CONTRIBUTOR)
        post = draft_by(own)
        assert run_action(contributor, "publish_selected", post) == 403
        post.refresh_from_db()
        assert post.status == Status.DRAFT
        category = NEW_CATEGORY
        assert contributor.post("/admin/content/category/add/", category).status_code == 403
        assert not Category.objects.filter(slug="new").exists()

    def test_the_service_refuses_them_too(self) -> None:
        user, own = add_staff_user(
            username="c", email="c@example.com", role=CONTRIBUTOR, password=PASSWORD
        )
        post = draft_by(own)
        with pytest.raises(PermissionDenied):
            services.publish_post(post=post, by=user)
        assert Post.objects.get(pk=post.pk).status == Status.DRAFT


class TestAuthor:
    def test_publishes_and_schedules_their_own_post(self, client: Client) -> None:
        author, own = signed_in(client, AUTHOR)
        post = draft_by(own)
        url = f"/admin/content/post/{post.pk}/change/"
        form = change_form(post, status=Status.PUBLISHED, published_at_0="2099-01-01")
        form["published_at_1"] = "09:00:00"
        assert author.post(url, form).status_code == 302
        post.refresh_from_db()
        assert post.status == Status.SCHEDULED  # a time still to come schedules it
        assert not Post.objects.published().filter(pk=post.pk).exists()
        assert run_action(author, "publish_selected", draft_by(own, slug="second")) == 302
        assert Post.objects.published().filter(slug="second").exists()

    def test_cannot_publish_or_change_someone_elses_post(self, client: Client) -> None:
        author, _ = signed_in(client, AUTHOR)
        theirs = draft_by(AuthorFactory.create())
        assert run_action(author, "publish_selected", theirs) == 403
        url = f"/admin/content/post/{theirs.pk}/change/"
        assert author.post(url, change_form(theirs, status=Status.PUBLISHED)).status_code == 403
        theirs.refresh_from_db()
        assert theirs.status == Status.DRAFT

    def test_cannot_delete_posts(self, client: Client) -> None:
        author, own = signed_in(client, AUTHOR)
        post = draft_by(own)
        response = author.post(f"/admin/content/post/{post.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Post.objects.filter(pk=post.pk).exists()


class TestEditor:
    def test_publishes_everyones_posts_and_manages_categories(self, client: Client) -> None:
        editor, _ = signed_in(client, EDITOR)
        theirs = draft_by(AuthorFactory.create())
        waiting = draft_by(AuthorFactory.create(), slug="waiting", status=Status.REVIEW)
        listed = BeautifulSoup(editor.get("/admin/content/post/?status=review").content, "lxml")
        titles = [link.get_text() for link in listed.select("#result_list tbody th a")]
        assert titles == [waiting.title]
        assert run_action(editor, "publish_selected", theirs, waiting) == 302
        assert Post.objects.published().filter(pk__in=[theirs.pk, waiting.pk]).count() == 2
        category = NEW_CATEGORY
        assert editor.post("/admin/content/category/add/", category).status_code == 302
        assert Category.objects.filter(slug="new").exists()

    def test_cannot_reach_the_newsletter_or_the_users(self, client: Client) -> None:
        editor, _ = signed_in(client, EDITOR)
        assert editor.get("/admin/newsletter/subscriber/").status_code == 403
        assert editor.get("/admin/auth/user/").status_code == 403
        user = User.objects.get(username="editor")
        form = {"username": "editor", "is_superuser": "on", "is_staff": "on"}
        assert editor.post(f"/admin/auth/user/{user.pk}/change/", form).status_code == 403
        user.refresh_from_db()
        assert not user.is_superuser


def test_an_administrator_reaches_the_newsletter_and_the_users(client: Client) -> None:
    administrator, _ = signed_in(client, ADMINISTRATOR)
    assert administrator.get("/admin/newsletter/subscriber/").status_code == 200
    assert administrator.get("/admin/auth/user/").status_code == 200
    assert (
        administrator.get(
            f"/admin/content/post/{draft_by(AuthorFactory.create()).pk}/change/"
        ).status_code
        == 200
    )


def test_scheduled_and_waiting_posts_are_labelled_in_the_post_list(client: Client) -> None:
    editor, _ = signed_in(client, EDITOR)
    later = timezone.now() + timedelta(days=3)
    draft_by(AuthorFactory.create(), title="Later", status=Status.SCHEDULED, published_at=later)
    page = BeautifulSoup(editor.get("/admin/content/post/").content, "lxml")
    row = next(row for row in page.select("#result_list tbody tr") if "Later" in row.get_text())
    assert "Scheduled" in row.select_one(".field-status").get_text()
    filters = [link.get_text(strip=True) for link in page.select("#changelist-filter a")]
    assert {"Waiting for review", "Scheduled"} <= set(filters)
