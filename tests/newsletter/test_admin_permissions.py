"""The newsletter admin: viewing is not acting. Actions and pages that change something or
send mail need the change permission; exporting, a read, needs only view permission."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Status
from linernotes.newsletter import mailings
from linernotes.newsletter.models import Delivery, DeliveryState, Mailing, SubscriberState
from tests.factories import PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db

VIEW_ONLY = ("newsletter.view_subscriber", "newsletter.view_mailing", "content.view_post")


def staff(client: Client, *permissions: str) -> Client:
    user = User.objects.create_user("staff", "staff@example.com", "a-long-test-password")
    user.is_staff = True
    user.save()
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return client


def offered_actions(client: Client, changelist: str) -> set[str]:
    page = BeautifulSoup(client.get(changelist).content, "lxml")
    return {str(option["value"]) for option in page.select("select[name=action] option")} - {""}


def run_action(client: Client, changelist: str, action: str, pk: int) -> list[str]:
    """POST the action as the list's form does; the messages the list then shows."""
    response = client.post(
        changelist, {"action": action, "_selected_action": [pk], "index": "0"}, follow=True
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_view_permission_cannot_unsubscribe(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    viewer = staff(client, *VIEW_ONLY)
    reader = make_subscriber("ada@example.com")
    assert offered_actions(viewer, "/admin/newsletter/subscriber/") == {"export_selected"}
    shown = run_action(viewer, "/admin/newsletter/subscriber/", "unsubscribe_selected", reader.pk)
    assert shown == ["No action selected."]
    reader.refresh_from_db()
    assert reader.state == SubscriberState.ACTIVE
    assert not reader.events.exists()


def test_change_permission_can_unsubscribe(client: Client, make_subscriber: MakeSubscriber) -> None:
    editor = staff(client, "newsletter.change_subscriber")
    reader = make_subscriber("ada@example.com")
    shown = run_action(editor, "/admin/newsletter/subscriber/", "unsubscribe_selected", reader.pk)
    assert shown == ["1 subscriber(s) unsubscribed."]
    reader.refresh_from_db()
    assert reader.state == SubscriberState.UNSUBSCRIBED


def test_view_permission_may_export_but_not_import(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    viewer = staff(client, *VIEW_ONLY)
    make_subscriber("ada@example.com")
    export = viewer.get("/admin/newsletter/subscriber/export/")
    assert export.status_code == 200
    assert [row["email"] for row in csv.DictReader(io.StringIO(export.content.decode()))] == [
        "ada@example.com"
    ]
    assert viewer.get("/admin/newsletter/subscriber/import/").status_code == 403


def mailed_post(make_subscriber: MakeSubscriber) -> Mailing:
    """A post mailed to two readers, one delivery of which failed."""
    for address in ("ada@example.com", "grace@example.com"):
        make_subscriber(address)
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    Delivery.objects.filter(subscriber__email="ada@example.com").update(
        state=DeliveryState.FAILED, last_error="451 try later"
    )
    return Mailing.objects.get(post=post)


def test_view_permission_cannot_queue_a_mailing_again(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    viewer = staff(client, *VIEW_ONLY)
    mailing = mailed_post(make_subscriber)
    assert offered_actions(viewer, "/admin/newsletter/mailing/") == set()
    # No action is offered, so the POST is not taken for one: the list is shown again.
    assert run_action(viewer, "/admin/newsletter/mailing/", "queue_again", mailing.pk) == []
    assert Delivery.objects.filter(state=DeliveryState.FAILED).count() == 1


def test_change_permission_can_queue_a_mailing_again(
    client: Client, make_subscriber: MakeSubscriber
) -> None:
    editor = staff(client, "newsletter.change_mailing")
    mailing = mailed_post(make_subscriber)
    shown = run_action(editor, "/admin/newsletter/mailing/", "queue_again", mailing.pk)
    assert shown == ["1 message(s) queued."]
    assert not Delivery.objects.filter(state=DeliveryState.FAILED).exists()


@pytest.mark.parametrize(
    "permissions",
    [VIEW_ONLY, ("newsletter.change_mailing",)],
    ids=["view only", "change mailings but not read posts"],
)
def test_sending_a_test_email_needs_the_change_permission_and_access_to_posts(
    client: Client, permissions: tuple[str, ...]
) -> None:
    user = staff(client, *permissions)
    draft = PostFactory.create(status=Status.DRAFT, published_at=None)
    assert user.get("/admin/newsletter/mailing/send-test/").status_code == 403
    response = user.post(
        "/admin/newsletter/mailing/send-test/", {"post": draft.pk, "email": "anyone@example.org"}
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_an_editor_of_mailings_who_reads_posts_can_send_a_test_email(client: Client) -> None:
    editor = staff(client, "newsletter.change_mailing", "content.view_post")
    draft = PostFactory.create(title="Not out yet", status=Status.DRAFT, published_at=None)
    response = editor.post(
        "/admin/newsletter/mailing/send-test/", {"post": draft.pk, "email": "me@example.com"}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert (message.subject, message.to) == ("[Test] Not out yet", ["me@example.com"])
