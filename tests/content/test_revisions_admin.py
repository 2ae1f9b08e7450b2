"""Revisions in the admin (history, compare, restore, permissions) and `linernotes revisions`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Author, Page, Post, Status
from linernotes.content.revisions import record_revision, revisions_of
from tests.content.conftest import post_form
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/admin/content/post"


def staff(client: Client, *codenames: str) -> User:
    """Sign ``client`` in as a staff user with only these content permissions."""
    user = User.objects.create_user("staff", "staff@example.com", "a-long-test-password")
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
    client.force_login(user)
    return user


def add_post(client: Client, author: Author, **fields: Any) -> Post:
    response = client.post(f"{POSTS}/add/", post_form(author=author, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get(slug=fields.get("slug", "a-post"))


def change_post(client: Client, post: Post, **fields: Any) -> None:
    """POST the post's change form with its stored values and ``fields`` on top."""
    byline = post.bylines.get()
    data = post_form(author=byline.author, title=post.title, slug=post.slug, body=post.body)
    data.update({"bylines-INITIAL_FORMS": "1", "bylines-0-id": str(byline.pk), **fields})
    response = client.post(f"{POSTS}/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_each_admin_save_records_a_revision_with_user_and_time(editor: Client) -> None:
    before = timezone.now()
    post = add_post(editor, AuthorFactory.create(), body="First.")
    change_post(editor, post, body="Second.")
    revisions = list(revisions_of(post))
    assert [(r.number, r.kind, r.body) for r in revisions] == [
        (2, "saved", "Second."),
        (1, "saved", "First."),
    ]
    assert {r.by.username for r in revisions if r.by} == {"editor"}
    assert all(before <= r.created_at <= timezone.now() for r in revisions)


def test_an_identical_admin_save_records_nothing(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create(), body="Same.")
    change_post(editor, Post.objects.get(pk=post.pk))
    assert revisions_of(post).count() == 1


def test_the_revision_holds_what_the_admin_saved_after_its_own_adjustments(
    editor: Client,
) -> None:
    # With categories chosen and no primary one, the post admin makes the first one primary
    # after saving the form: the revision must hold that, not the form as posted.
    web, data = CategoryFactory.create(name="Web"), CategoryFactory.create(name="Data")
    post = add_post(editor, AuthorFactory.create(), categories=[str(web.pk), str(data.pk)])
    assert post.primary_category is not None
    assert revisions_of(post).get().fields["primary_category"] == post.primary_category.pk


def test_history_lists_revisions_newest_first_with_the_last_two_chosen(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create(), body="One.")
    change_post(editor, post, body="Two.")
    page = BeautifulSoup(editor.get(f"{POSTS}/{post.pk}/revisions/").content, "lxml")
    rows = [
        [cell.text.strip() for cell in row.select("td")[2:5]] for row in page.select("tbody tr")
    ]
    assert rows == [["2", "Saved", "editor"], ["1", "Saved", "editor"]]
    assert page.select_one("input[name=a][checked]")["value"] == "1"
    assert page.select_one("input[name=b][checked]")["value"] == "2"
    restore_links = [a["href"] for a in page.select("tbody a")]
    assert restore_links == [f"{POSTS}/{post.pk}/revisions/{n}/restore/" for n in (2, 1)]
    change_form = BeautifulSoup(editor.get(f"{POSTS}/{post.pk}/change/").content, "lxml")
    link = change_form.select_one(".object-tools a[href$='/revisions/']")
    assert (link.text, link["href"]) == ("Revisions", f"{POSTS}/{post.pk}/revisions/")


def test_compare_page_shows_the_diff_escaped(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create(), body="Hello.")
    change_post(editor, post, body="Hello.\n\n<script>alert('x')</script>")
    response = editor.get(f"{POSTS}/{post.pk}/revisions/compare/", {"a": "2", "b": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert('x')</script>" not in html
    added = BeautifulSoup(html, "lxml").select("table.revision-diff tr.added .text")
    assert [cell.text for cell in added] == ["", "<script>alert('x')</script>"]


def test_compare_needs_two_different_revisions(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create())
    response = editor.get(f"{POSTS}/{post.pk}/revisions/compare/", {"a": "1", "b": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{post.pk}/revisions/")
    missing = editor.get(f"{POSTS}/{post.pk}/revisions/compare/", {"a": "1", "b": "9"})
    assert missing.status_code == 404


def test_get_on_restore_asks_and_changes_nothing_and_post_restores(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create(), body="Old body.")
    change_post(editor, post, body="New body.")
    address = f"{POSTS}/{post.pk}/revisions/1/restore/"
    page = BeautifulSoup(editor.get(address).content, "lxml")
    assert page.select_one("form[method=post] input[type=submit]")["value"] == (
        "Yes, restore revision 1"
    )
    assert [cell.text for cell in page.select("tr.added .text")] == ["Old body."]
    assert Post.objects.get(pk=post.pk).body == "New body."
    assert revisions_of(post).count() == 2

    response = editor.post(address)
    assert response.status_code == 302
    assert response["Location"] == f"{POSTS}/{post.pk}/change/"
    assert Post.objects.get(pk=post.pk).body == "Old body."
    assert revisions_of(post).first().kind == "restored"


def test_a_failed_restore_says_why(editor: Client) -> None:
    post = add_post(editor, AuthorFactory.create(), slug="old-slug")
    change_post(editor, post, slug="new-slug")
    PostFactory.create(slug="old-slug")
    response = editor.post(f"{POSTS}/{post.pk}/revisions/1/restore/", follow=True)
    *_, message = [str(m) for m in response.context["messages"]]
    assert message.startswith("Revision 1 cannot be restored:")
    assert "Slug already exists" in message
    assert Post.objects.get(pk=post.pk).slug == "new-slug"


def test_view_permission_sees_history_but_may_not_restore(client: Client) -> None:
    post = PostFactory.create(body="Old.")
    record_revision(post, by=None)
    post.body = "New."
    post.save()
    record_revision(post, by=None)
    staff(client, "view_post")
    history = client.get(f"{POSTS}/{post.pk}/revisions/")
    assert history.status_code == 200
    assert "Restore…" not in history.content.decode()
    assert client.get(f"{POSTS}/{post.pk}/revisions/compare/?a=1&b=2").status_code == 200
    restore = f"{POSTS}/{post.pk}/revisions/1/restore/"
    assert client.get(restore).status_code == 403
    assert client.post(restore).status_code == 403
    assert Post.objects.get(pk=post.pk).body == "New."
    assert revisions_of(post).count() == 2


def test_a_writer_may_not_see_the_history_of_someone_elses_post(client: Client) -> None:
    post = PostFactory.create(authors=[AuthorFactory.create()])
    record_revision(post, by=None)
    writer = staff(client, "view_post", "change_post")
    own = PostFactory.create(authors=[AuthorFactory.create(user=writer)])
    record_revision(own, by=None)
    assert client.get(f"{POSTS}/{own.pk}/revisions/").status_code == 200
    assert client.get(f"{POSTS}/{post.pk}/revisions/").status_code == 403
    assert client.post(f"{POSTS}/{post.pk}/revisions/1/restore/").status_code == 403


def test_without_view_permission_the_history_is_forbidden(client: Client) -> None:
    page = PageFactory.create()
    record_revision(page, by=None)
    staff(client, "view_post")
    assert client.get(f"/admin/content/page/{page.pk}/revisions/").status_code == 403


def test_a_page_revision_round_trip_in_the_admin(editor: Client) -> None:
    fields = {"title": "About", "slug": "about", "status": Status.PUBLISHED}
    form = {**fields, "body": "We write.", "show_in_navigation": "on", "navigation_order": "1"}
    assert editor.post("/admin/content/page/add/", form).status_code == 302
    page = Page.objects.get(slug="about")
    changed = {**fields, "body": "We wrote.", "navigation_order": "4"}
    assert editor.post(f"/admin/content/page/{page.pk}/change/", changed).status_code == 302
    change_form = BeautifulSoup(
        editor.get(f"/admin/content/page/{page.pk}/change/").content, "lxml"
    )
    assert change_form.select_one(".object-tools a[href$='/revisions/']").text == "Revisions"
    assert editor.post(f"/admin/content/page/{page.pk}/revisions/1/restore/").status_code == 302
    page.refresh_from_db()
    assert (page.body, page.show_in_navigation, page.navigation_order) == ("We write.", True, 1)
    assert [r.kind for r in revisions_of(page)] == ["restored", "saved", "saved"]


def test_page_restore_needs_the_change_permission(client: Client) -> None:
    page = PageFactory.create(body="Old.")
    record_revision(page, by=None)
    staff(client, "view_page")
    assert client.post(f"/admin/content/page/{page.pk}/revisions/1/restore/").status_code == 403
    assert revisions_of(page).count() == 1


def test_revisions_command_lists_them_or_says_there_are_none() -> None:
    user = User.objects.create_user("ada", "ada@example.com", "pw")
    post = PostFactory.create(slug="shared")
    record_revision(post, by=user)
    PageFactory.create(slug="shared", title="Shared page")
    out = io.StringIO()
    call_command("revisions", "list", "shared", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Revisions of the post “{post.title}”, newest first:"
    assert lines[1].split()[:3] == ["1", "saved", "ada"]
    assert lines[2] == "The page “Shared page” has no revisions yet."
    with pytest.raises(CommandError, match="No post or page has the slug 'nothing'"):
        call_command("revisions", "list", "nothing")
